package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingFilesTest {
  @TempDir Path tmp;

  @Test
  void aNewDirectoryIsCreatedForItsOwnerOnly() throws Exception {
    Path rec = tmp.resolve("a/b/rec");
    RecordingFiles.Directory d = RecordingFiles.createDirectory(rec);
    assertEquals(rec, d.path());
    assertNull(d.movedBecause());
    assertEquals("rwx------", permissions(rec));
    try (OutputStream out = RecordingFiles.createFile(rec.resolve("meta.json"))) {
      out.write('x');
    }
    assertEquals("rw-------", permissions(rec.resolve("meta.json")));
  }

  @Test
  void anEmptyDirectoryOfOursIsUsedAndAnythingElseGetsAFreshNameBesideIt() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertEquals(empty, RecordingFiles.createDirectory(empty).path());

    Path full = Files.createDirectory(tmp.resolve("full"));
    Files.writeString(full.resolve("events.jsonl"), "theirs");
    Files.createDirectory(tmp.resolve("full-1"));
    RecordingFiles.Directory d = RecordingFiles.createDirectory(full);
    assertEquals(tmp.resolve("full-2"), d.path(), "full-1 exists already, even if empty");
    assertEquals("is not empty", d.movedBecause());

    Path file = Files.writeString(tmp.resolve("file"), "theirs");
    assertEquals("is not a directory", RecordingFiles.createDirectory(file).movedBecause());

    Path link = Files.createSymbolicLink(tmp.resolve("link"), empty);
    RecordingFiles.Directory viaLink = RecordingFiles.createDirectory(link);
    assertEquals(tmp.resolve("link-1"), viaLink.path());
    assertEquals("is a symbolic link", viaLink.movedBecause());
  }

  @Test
  void aFileIsNeverCreatedThroughALinkNorOverAnExistingFile() throws Exception {
    Path victim = Files.writeString(tmp.resolve("victim"), "precious", StandardCharsets.UTF_8);
    Path link = Files.createSymbolicLink(tmp.resolve("meta.json"), victim);
    assertThrows(FileAlreadyExistsException.class, () -> RecordingFiles.createFile(link));
    Path dangling = Files.createSymbolicLink(tmp.resolve("events.jsonl"), tmp.resolve("nowhere"));
    assertThrows(FileAlreadyExistsException.class, () -> RecordingFiles.createFile(dangling));
    assertThrows(FileAlreadyExistsException.class, () -> RecordingFiles.createFile(victim));
    assertEquals("precious", Files.readString(victim));
    assertTrue(Files.notExists(tmp.resolve("nowhere")));
  }

  @Test
  void aFailureNamesThePathAndWhatIsWrong() {
    Path file = tmp.resolve("x");
    assertEquals(
        file + ": permission denied",
        RecordingWriter.reason(new java.nio.file.AccessDeniedException(file.toString())));
    assertEquals(
        file + ": exists already",
        RecordingWriter.reason(new FileAlreadyExistsException(file.toString())));
  }

  private static String permissions(Path p) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }
}
