package io.tombscope.analyzer.read;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decoded lines of events files in the order they were read, without an object per line: a compact
 * line as its kind, site (or stack), the key indices of its columns and its values; any other line
 * as its JSON object; and, in their places, the problems found and the ends of files. {@link
 * RecordingReader} hands them in batches of {@link #LINES} from the thread that decodes them to the
 * one that applies them, which keeps the lines of the interval in progress in one too, until its
 * {@code agent} line comes. Reused once applied. Not thread-safe: one thread fills it, then another
 * reads it.
 */
final class EventBatch {
  static final byte COUNTERS = 0;
  static final byte GAUGE = 1;
  static final byte DELETE_SITE = 2;
  static final byte JSON = 3;

  /** A problem the decoding found ({@link Problem}). */
  static final byte PROBLEM = 4;

  /** The end of a file: its id is 1 for the last file, its one value the lines it held. */
  static final byte FILE_END = 5;

  /** The decoding failed: its ref is the {@link RecordingException} or runtime exception. */
  static final byte FAILURE = 6;

  /** Lines in one batch handed between threads. */
  static final int LINES = 2048;

  int size;
  byte[] kinds = new byte[256];
  Path[] files = new Path[256];
  long[] lines = new long[256];
  int[] ids = new int[256];
  Object[] refs = new Object[256];
  int[] offsets = new int[257];
  long[] values = new long[4096];

  /** Nothing follows this batch. */
  boolean last;

  /** A problem found while decoding, to be reported in its place. */
  record Problem(char kind, Path file, long line, String message) {
    static final char WARN = 'w';
    static final char SKIP = 's';
    static final char TRUNCATED = 't';

    void replayInto(Problems problems) {
      switch (kind) {
        case SKIP -> problems.skip(file, line, message);
        case TRUNCATED -> problems.truncated(file, line);
        default -> problems.warn(message);
      }
    }
  }

  /** Whether it holds the lines of a batch to hand over. */
  boolean isFull() {
    return size >= LINES;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Adds a line; its values follow with {@link #value}. */
  void add(byte kind, Path file, long line, int id, Object ref) {
    if (size == kinds.length) {
      int n = size * 2;
      kinds = Arrays.copyOf(kinds, n);
      files = Arrays.copyOf(files, n);
      lines = Arrays.copyOf(lines, n);
      ids = Arrays.copyOf(ids, n);
      refs = Arrays.copyOf(refs, n);
      offsets = Arrays.copyOf(offsets, n + 1);
    }
    kinds[size] = kind;
    files[size] = file;
    lines[size] = line;
    ids[size] = id;
    refs[size] = ref;
    offsets[size + 1] = offsets[size];
    size++;
  }

  /** Appends a value to the line added last. */
  void value(long v) {
    int end = offsets[size];
    if (end == values.length) {
      values = Arrays.copyOf(values, end * 2);
    }
    values[end] = v;
    offsets[size] = end + 1;
  }

  void clear() {
    Arrays.fill(refs, 0, size, null);
    Arrays.fill(files, 0, size, null);
    size = 0;
    last = false;
  }
}
