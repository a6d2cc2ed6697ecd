package io.tombscope.analyzer.read;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a UTF-8 file line by line, knowing each line's number and whether the file's last line was
 * cut off before its {@code \n} (the sign of a recording interrupted mid-write).
 */
final class LineReader implements Closeable {
  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
  private long lineNumber;
  private long bytesRead;
  private boolean lastLineTerminated = true;

  LineReader(Path file) throws IOException {
    this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
  }

  /** The next line without its terminator, or null at the end of the file. */
  String next() throws IOException {
    line.reset();
    int b;
    while ((b = in.read()) != -1) {
      bytesRead++;
      if (b == '\n') {
        lineNumber++;
        lastLineTerminated = true;
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    if (line.size() == 0) {
      return null;
    }
    lineNumber++;
    lastLineTerminated = false;
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Number of the line {@link #next()} returned last (1-based). */
  long lineNumber() {
    return lineNumber;
  }

  /** False if the line just returned ended the file without a {@code \n}. */
  boolean terminated() {
    return lastLineTerminated;
  }

  long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
