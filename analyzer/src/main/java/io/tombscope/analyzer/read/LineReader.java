package io.tombscope.analyzer.read;

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

  /** A line that spans two reads of the buffer is copied here. */
  private byte[] spill = new byte[512];

  private int spillLength;

  /** The line returned last: {@code lineBytes[lineFrom, lineTo)}, in the buffer or the spill. */
  private byte[] lineBytes = buffer;

  private int lineFrom;
  private int lineTo;
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
    return nextRaw() ? decode() : null;
  }

  /**
   * Moves to the next line and leaves it undecoded, as bytes ({@link #bytes}, {@link #from}, {@link
   * #to}; none for a line that was too long), or returns false at the end of the file. {@link
   * #utf8} is not known for such a line until {@link #text} decodes it.
   */
  boolean nextRaw() throws IOException {
    spillLength = 0;
    tooLong = false;
    boolean any = false;
    while (true) {
      if (position == limit && !fill()) {
        break;
      }
      any = true;
      int start = position;
      int end = start;
      while (end < limit && buffer[end] != '\n') {
        end++;
      }
      position = end;
      if (end < limit && spillLength == 0 && !tooLong) {
        // The whole line is in the buffer: no copy.
        bytesRead += end - start + 1;
        position++;
        lineNumber++;
        lastLineTerminated = true;
        lineBytes = buffer;
        lineFrom = start;
        lineTo = end;
        return true;
      }
      append(start, end - start);
      if (position < limit) {
        position++;
        bytesRead++;
        lineNumber++;
        lastLineTerminated = true;
        spilled();
        return true;
      }
    }
    if (!any) {
      return false;
    }
    lineNumber++;
    lastLineTerminated = false;
    spilled();
    return true;
  }

  private void spilled() {
    lineBytes = spill;
    lineFrom = 0;
    lineTo = tooLong ? 0 : spillLength;
  }

  /** The array that holds the line {@link #nextRaw} moved to, from {@link #from} to {@link #to}. */
  byte[] bytes() {
    return lineBytes;
  }

  int from() {
    return lineFrom;
  }

  int to() {
    return lineTo;
  }

  /** The line {@link #nextRaw} moved to, decoded ("" for one that was too long). */
  String text() {
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
    if (tooLong || spillLength + length > MAX_LINE_BYTES) {
      tooLong = true;
      spillLength = 0;
      return;
    }
    if (spillLength + length > spill.length) {
      spill = java.util.Arrays.copyOf(spill, Math.max(spill.length * 2, spillLength + length));
    }
    System.arraycopy(buffer, start, spill, spillLength, length);
    spillLength += length;
  }

  private String decode() {
    if (tooLong) {
      utf8 = true;
      return "";
    }
    if (ascii(lineBytes, lineFrom, lineTo)) {
      utf8 = true;
      return new String(lineBytes, lineFrom, lineTo - lineFrom, StandardCharsets.ISO_8859_1);
    }
    byte[] bytes = java.util.Arrays.copyOfRange(lineBytes, lineFrom, lineTo);
    try {
      utf8 = true;
      return strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      utf8 = false;
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private static boolean ascii(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] < 0) {
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
