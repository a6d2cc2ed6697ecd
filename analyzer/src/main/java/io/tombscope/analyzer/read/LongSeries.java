package io.tombscope.analyzer.read;

import java.util.Arrays;

/**
 * One value per report point of a recording, without boxing. A point is one interval, or, in a
 * recording with more intervals than the reader keeps points, a run of them; the value is the
 * highest of the run, so a peak is never lost to downsampling.
 *
 * <p>A level (a gauge, a running total) carries its last value over points that have none; a rate
 * (what happened in an interval) is 0 there.
 */
public final class LongSeries {
  private long[] values = new long[16];
  private int size;
  private final boolean rate;

  /** A level: points without a value of their own carry the last one forward. */
  LongSeries() {
    this(false);
  }

  /** A level, or with {@code rate} a rate: points without a value of their own are 0. */
  LongSeries(boolean rate) {
    this.rate = rate;
  }

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /**
   * Sets point {@code index} to {@code value}, or to the higher of both when the point has one
   * already (it holds several intervals); points skipped on the way carry the last value forward (a
   * rate's are 0).
   */
  void put(int index, long value) {
    if (index < size - 1) {
      throw new IllegalArgumentException("point " + index + " is closed");
    }
    if (index == size - 1) {
      values[index] = Math.max(values[index], value);
      return;
    }
    fillTo(index);
    add(value);
  }

  /** Carries the last value forward (a rate: 0) until the series has {@code points} points. */
  void fillTo(int points) {
    long last = rate ? 0 : last();
    while (size < points) {
      add(last);
    }
  }

  /**
   * Halves the resolution: the points that start at global point {@code first} are merged in pairs
   * of global points (0 and 1, 2 and 3, ...), each keeping the higher value. The series then starts
   * at global point {@code first / 2}.
   */
  void halve(int first) {
    if (size == 0) {
      return;
    }
    int newSize = (first + size - 1) / 2 - first / 2 + 1;
    long[] merged = new long[Math.max(16, 2 * newSize)];
    Arrays.fill(merged, 0, newSize, Long.MIN_VALUE);
    for (int j = 0; j < size; j++) {
      int k = (first + j) / 2 - first / 2;
      merged[k] = Math.max(merged[k], values[j]);
    }
    values = merged;
    size = newSize;
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
