package io.tombscope.analyzer.read;

import java.util.Arrays;

/** A growable list of longs: one value per recording interval, without boxing. */
public final class LongSeries {
  private long[] values = new long[16];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  public int size() {
    return size;
  }

  public long get(int i) {
    return values[i];
  }

  public long last() {
    return size == 0 ? 0 : values[size - 1];
  }
}
