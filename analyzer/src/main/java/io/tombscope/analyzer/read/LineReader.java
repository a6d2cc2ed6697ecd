package io.tombscope.analyzer.read;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a UTF-8 file line by line, knowing each line's number, whether the file's last line was cut
 * off before its {@code \n} (the sign of a recording interrupted mid-write), whether a line was
 * valid UTF-8, and whether it was longer than a line of the format can be: such a line is not held
 * in memory, only skipped, so a file without newlines costs no more than a line.
 */
final class LineReader implements Closeable {
  /** No line the agent writes comes near this: a site's eight frames are a few KiB. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
  private long lineNumber;
  private long bytesRead;
  private boolean lastLineTerminated = true;
  private boolean tooLong;
  private boolean utf8 = true;

  LineReader(Path file) throws IOException {
    this(Files.newInputStream(file));
  }

  /** Reads {@code in}, which it closes. */
  LineReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next line without its terminator ("" for one that was too long), or null at the end of the
   * file.
   */
  String next() throws IOException {
    line.reset();
    tooLong = false;
    boolean any = false;
    while (true) {
      if (position == limit && !fill()) {
        break;
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      append(start, position - start);
      if (position < limit) {
        position++;
        bytesRead++;
        lineNumber++;
        lastLineTerminated = true;
        return decode();
      }
    }
    if (!any) {
      return null;
    }
    lineNumber++;
    lastLineTerminated = false;
    return decode();
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private void append(int start, int length) {
    bytesRead += length;
    if (tooLong || line.size() + length > MAX_LINE_BYTES) {
      tooLong = true;
      line.reset();
      return;
    }
    line.write(buffer, start, length);
  }

  private String decode() {
    if (tooLong) {
      utf8 = true;
      return "";
    }
    byte[] bytes = line.toByteArray();
    if (ascii(bytes)) {
      utf8 = true;
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      utf8 = true;
      return strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      utf8 = false;
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static boolean ascii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code bytes} as UTF-8; malformed input is an error, not a replacement character. */
  static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** Number of the line {@link #next()} returned last (1-based). */
  long lineNumber() {
    return lineNumber;
  }

  /** False if the line just returned ended the file without a {@code \n}. */
  boolean terminated() {
    return lastLineTerminated;
  }

  /** True if the line just returned was longer than {@link #MAX_LINE_BYTES} (it reads as ""). */
  boolean tooLong() {
    return tooLong;
  }

  /** False if the line just returned was not valid UTF-8. */
  boolean utf8() {
    return utf8;
  }

  long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
