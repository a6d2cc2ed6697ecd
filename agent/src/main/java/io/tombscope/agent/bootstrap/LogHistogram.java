package io.tombscope.agent.bootstrap;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A small thread-safe histogram of positive longs (nanoseconds, entry counts) with log-linear
 * buckets: 8 sub-buckets per power of two, so a value is kept within 1/8 of itself (exactly below
 * 16). 384 counters cover values up to 2^48 (78 hours in nanoseconds); larger values count in the
 * last bucket. Written by app threads on sampled or rare events only. The flusher {@linkplain #take
 * takes} the counts each interval, so a counter holds one interval's values at most: an {@code int}
 * is enough, and the flusher needs no copy of what it wrote last (1.5 KiB per series and site in
 * all).
 */
public final class LogHistogram {
  private static final int SUB_BITS = 3;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;
  private static final long MAX_VALUE = (1L << 48) - 1;

  /** Number of buckets. */
  public static final int BUCKETS = (48 - SUB_BITS + 1) * SUB_BUCKETS;

  private final AtomicIntegerArray counts = new AtomicIntegerArray(BUCKETS);

  /** Counts one value; negative values count as 0. */
  public void record(long value) {
    counts.incrementAndGet(bucketOf(Math.min(MAX_VALUE, Math.max(0, value))));
  }

  /** Count in bucket {@code i} since the last {@link #take}. */
  public int count(int i) {
    return counts.get(i);
  }

  /** Returns the count in bucket {@code i} and resets it, without losing a concurrent record. */
  public int take(int i) {
    // A plain read first: most buckets are empty, and an atomic swap costs far more than a read.
    return counts.get(i) == 0 ? 0 : counts.getAndSet(i, 0);
  }

  static int bucketOf(long value) {
    if (value < SUB_BUCKETS) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BITS
    int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
    return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
  }

  /** The middle of bucket {@code i}: the value a bucket's counts are reported as. */
  public static long valueOf(int bucket) {
    if (bucket < SUB_BUCKETS) {
      return bucket;
    }
    int exponent = bucket / SUB_BUCKETS + SUB_BITS - 1;
    long low = ((long) (SUB_BUCKETS + (bucket & (SUB_BUCKETS - 1)))) << (exponent - SUB_BITS);
    long width = 1L << (exponent - SUB_BITS);
    return low + width / 2;
  }
}
