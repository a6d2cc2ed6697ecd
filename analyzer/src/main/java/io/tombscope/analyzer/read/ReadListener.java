package io.tombscope.analyzer.read;

/** What a reader reports while it works: progress, and warnings that do not stop it. */
public interface ReadListener {
  /** {@code bytesRead} of {@code totalBytes} of the recording's files have been read. */
  default void progress(long bytesRead, long totalBytes) {}

  /** A problem the reader worked around (a truncated last line), one line naming file and line. */
  default void warning(String message) {}

  ReadListener NONE = new ReadListener() {};
}
