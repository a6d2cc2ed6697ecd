package io.tombscope.analyzer.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * One line for a file or directory that could not be made or written. The JDK's file exceptions
 * carry the file's name as their message and their cause in their class, so "cannot write x: x"
 * would say nothing.
 */
final class FileProblem {
  private FileProblem() {}

  static IOException cannotWrite(Path file, IOException e) {
    return new IOException("cannot write " + file + ": " + reason(file, e), e);
  }

  static IOException cannotCreate(Path directory, IOException e) {
    return new IOException("cannot create " + directory + ": " + reason(directory, e), e);
  }

  /** Why {@code target} failed, naming the file that stood in the way when it is another one. */
  static String reason(Path target, IOException e) {
    String other = "";
    if (e instanceof FileSystemException f
        && f.getFile() != null
        && !Path.of(f.getFile()).equals(target)) {
      other = f.getFile() + ": ";
    }
    if (e instanceof NoSuchFileException) {
      return other + "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      return other + "permission denied";
    } else if (e instanceof FileAlreadyExistsException) {
      return other + "exists and is not a directory";
    } else if (e instanceof NotDirectoryException) {
      return other + "not a directory";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      return other + f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
