package io.tombscope.analyzer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;

/**
 * The numbered lines of one input's interval ({@code counters}, {@code gauge}, {@code deleteSite},
 * {@code untracked}), packed into a few arrays: line {@code i} is of {@link #kind}, {@link #site},
 * and holds the numbers of {@link #keys} ({@link KeyTable} indexes) in {@link #values} from {@link
 * #from}. An interval's lines wait in a queue until the merge takes them, and a few arrays per
 * interval cost the garbage collector far less than objects per line. Written by one thread, then
 * handed over whole.
 */
final class StepLines {
  static final byte COUNTERS = 0;
  static final byte GAUGE = 1;
  static final byte DELETE_SITE = 2;
  static final byte UNTRACKED = 3;

  byte[] kind;
  int[] site;
  long[] line;
  int[][] keys;
  int[] from;
  long[] values;

  /** Of a {@code deleteSite} line, what names its stack; else null. */
  String[] stackKey;

  /** Of a {@code deleteSite} line, its stack's fields; of an {@code untracked} line, the line. */
  JsonNode[] node;

  int size;
  private int valueCount;

  StepLines(int lines) {
    int n = Math.max(1, lines);
    kind = new byte[n];
    site = new int[n];
    line = new long[n];
    keys = new int[n][];
    from = new int[n];
    values = new long[16 * n];
    stackKey = new String[n];
    node = new JsonNode[n];
  }

  /**
   * Adds a line of {@code kind} whose numbers are {@code lineValues}, of the keys {@code indexes}:
   * only those where {@code kept} is true, or all of them when {@code kept} is null.
   */
  void add(
      byte kind,
      int site,
      long line,
      int[] indexes,
      long[] lineValues,
      boolean[] kept,
      String stackKey,
      JsonNode node) {
    if (size == this.kind.length) {
      int n = 2 * size;
      this.kind = Arrays.copyOf(this.kind, n);
      this.site = Arrays.copyOf(this.site, n);
      this.line = Arrays.copyOf(this.line, n);
      keys = Arrays.copyOf(keys, n);
      from = Arrays.copyOf(from, n);
      this.stackKey = Arrays.copyOf(this.stackKey, n);
      this.node = Arrays.copyOf(this.node, n);
    }
    if (valueCount + indexes.length > values.length) {
      values = Arrays.copyOf(values, Math.max(2 * values.length, valueCount + indexes.length));
    }
    this.kind[size] = kind;
    this.site[size] = site;
    this.line[size] = line;
    keys[size] = indexes;
    from[size] = valueCount;
    if (kept == null) {
      System.arraycopy(lineValues, 0, values, valueCount, indexes.length);
      valueCount += indexes.length;
    } else {
      for (int i = 0; i < lineValues.length; i++) {
        if (kept[i]) {
          values[valueCount++] = lineValues[i];
        }
      }
    }
    this.stackKey[size] = stackKey;
    this.node[size] = node;
    size++;
  }
}
