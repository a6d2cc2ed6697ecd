package io.tombscope.agent.bootstrap;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A small thread-safe histogram of positive longs (nanoseconds, entry counts) with log-linear
 * buckets: 8 sub-buckets per power of two, so a value is kept within 1/8 of itself (exactly below
 * 16). 384 counters (3 KiB) cover values up to 2^48 (78 hours in nanoseconds); larger values count
 * in the last bucket. Written by app threads on sampled or rare events only; the flusher turns its
 * deltas into HdrHistogram intervals.
 */
public final class LogHistogram {
  private static final int SUB_BITS = 3;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;
  private static final long MAX_VALUE = (1L << 48) - 1;

  /** Number of buckets. */
  public static final int BUCKETS = (48 - SUB_BITS + 1) * SUB_BUCKETS;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  /** Counts one value; negative values count as 0. */
  public void record(long value) {
    counts.incrementAndGet(bucketOf(Math.min(MAX_VALUE, Math.max(0, value))));
  }

  /** Count in bucket {@code i} now. */
  public long count(int i) {
    return counts.get(i);
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
