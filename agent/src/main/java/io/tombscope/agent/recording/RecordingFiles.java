package io.tombscope.agent.recording;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the recording directory and the files in it, so that the agent never writes into a file
 * it did not create in this run.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>The directory is created with {@code mkdir}, which fails on anything that exists, link or
 *       not. A directory that already exists is used only if it is a real directory (not a link),
 *       belongs to this user and is empty; otherwise the recording goes to the first fresh name
 *       beside it ({@code rec-123-1}, {@code rec-123-2}, ...), again created with {@code mkdir}.
 *   <li>Every file is created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS}: a file or link
 *       planted after the checks above makes the recording fail, and is never written through.
 *   <li>On POSIX file systems the directory is {@code 0700} and files are {@code 0600} (less what
 *       the umask takes away): a recording holds the program's class names and arguments.
 * </ol>
 */
public final class RecordingFiles {
  /** Fresh names tried beside a directory that cannot be used. */
  static final int MAX_FRESH_NAMES = 1000;

  private static final Set<OpenOption> CREATE_ONLY = Set.of(CREATE_NEW, WRITE, NOFOLLOW_LINKS);

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private RecordingFiles() {}

  /**
   * The directory a recording went to: the one asked for, or a fresh one beside it because the one
   * asked for {@code movedBecause} ({@code "is not empty"}; null when it was used).
   */
  public record Directory(Path path, Path requested, String movedBecause) {}

  /** Creates the recording directory for {@code requested} (absolute), as described above. */
  public static Directory createDirectory(Path requested) throws IOException {
    try {
      mkdir(requested);
      return new Directory(requested, requested, null);
    } catch (FileAlreadyExistsException e) {
      String why = whyNotUsable(requested);
      if (why == null) {
        return new Directory(requested, requested, null);
      }
      Path name = requested.getFileName();
      for (int i = 1; name != null && i <= MAX_FRESH_NAMES; i++) {
        Path fresh = requested.resolveSibling(name + "-" + i);
        try {
          mkdir(fresh);
          return new Directory(fresh, requested, why);
        } catch (FileAlreadyExistsException taken) {
          // the next name
        }
      }
      throw new FileAlreadyExistsException(
          requested.toString(), null, why + ", and no fresh name beside it is free");
    }
  }

  /**
   * Creates {@code file}, which must not exist (not even as a link), readable and writable by its
   * owner only.
   */
  public static OutputStream createFile(Path file) throws IOException {
    return Channels.newOutputStream(createChannel(file));
  }

  /** Creates {@code file} as {@link #createFile} does, as a channel that can also truncate it. */
  static SeekableByteChannel createChannel(Path file) throws IOException {
    return POSIX
        ? Files.newByteChannel(file, CREATE_ONLY, attribute("rw-------"))
        : Files.newByteChannel(file, CREATE_ONLY);
  }

  private static void mkdir(Path dir) throws IOException {
    try {
      create(dir);
    } catch (NoSuchFileException e) {
      Path parent = dir.getParent();
      if (parent == null) {
        throw e;
      }
      Files.createDirectories(parent);
      create(dir);
    }
  }

  private static void create(Path dir) throws IOException {
    if (POSIX) {
      Files.createDirectory(dir, attribute("rwx------"));
    } else {
      Files.createDirectory(dir);
    }
  }

  /** Why an existing {@code dir} cannot hold the recording, or null if it can. */
  static String whyNotUsable(Path dir) throws IOException {
    BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      return "is a symbolic link";
    }
    if (!a.isDirectory()) {
      return "is not a directory";
    }
    if (!ownedByThisUser(dir)) {
      return "belongs to another user";
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return entries.iterator().hasNext() ? "is not empty" : null;
    }
  }

  private static boolean ownedByThisUser(Path dir) throws IOException {
    try {
      return Files.getOwner(dir, NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"));
    } catch (UnsupportedOperationException e) {
      return true; // no owners on this file system
    }
  }

  private static FileAttribute<?> attribute(String permissions) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
  }
}
