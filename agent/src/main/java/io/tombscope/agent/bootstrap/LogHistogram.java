package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A small thread-safe histogram of positive longs (nanoseconds, entry counts) with log-linear
 * buckets: 8 sub-buckets per power of two, so a value is kept within 1/8 of itself (exactly below
 * 16). 384 counters cover values up to 2^48 (78 hours in nanoseconds); larger values count in the
 * last bucket. Written by app threads on sampled or rare events only. The flusher {@linkplain #take
 * takes} the counts each interval, so a counter holds one interval's values at most: an {@code int}
 * is enough, and the flusher needs no copy of what it wrote last. Counters come in pages of {@value
 * #PAGE} (two powers of two), each made on its first value: a series' values span a few powers of
 * two, so a histogram holds a few hundred bytes instead of all 1.5 KiB.
 */
public final class LogHistogram {
  private static final int SUB_BITS = 3;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;
  private static final long MAX_VALUE = (1L << 48) - 1;

  /** Number of buckets. */
  public static final int BUCKETS = (48 - SUB_BITS + 1) * SUB_BUCKETS;

  private static final int PAGE_BITS = 4;
  static final int PAGE = 1 << PAGE_BITS;
  private static final int PAGES = (BUCKETS + PAGE - 1) / PAGE;
  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle PAGE_AT = MethodHandles.arrayElementVarHandle(int[][].class);

  // pages[p] holds buckets p * PAGE to p * PAGE + PAGE - 1; null until one of them has a value.
  private final int[][] pages = new int[PAGES][];

  /** Counts one value; negative values count as 0. */
  public void record(long value) {
    int bucket = bucketOf(Math.min(MAX_VALUE, Math.max(0, value)));
    int[] page = (int[]) PAGE_AT.getAcquire(pages, bucket >>> PAGE_BITS);
    if (page == null) {
      page = newPage(bucket >>> PAGE_BITS);
    }
    COUNT.getAndAdd(page, bucket & (PAGE - 1), 1);
  }

  private int[] newPage(int p) {
    PAGE_AT.compareAndSet(pages, p, null, new int[PAGE]);
    return (int[]) PAGE_AT.getAcquire(pages, p);
  }

  /** Count in bucket {@code i} since the last {@link #take}. */
  public int count(int i) {
    int[] page = (int[]) PAGE_AT.getAcquire(pages, i >>> PAGE_BITS);
    return page == null ? 0 : (int) COUNT.getVolatile(page, i & (PAGE - 1));
  }

  /** Returns the count in bucket {@code i} and resets it, without losing a concurrent record. */
  public int take(int i) {
    int[] page = (int[]) PAGE_AT.getAcquire(pages, i >>> PAGE_BITS);
    if (page == null) {
      return 0;
    }
    // A plain read first: most buckets are empty, and an atomic swap costs far more than a read.
    int j = i & (PAGE - 1);
    return (int) COUNT.getVolatile(page, j) == 0 ? 0 : (int) COUNT.getAndSet(page, j, 0);
  }

  /** Bytes this histogram holds on the heap (compressed references): itself and its pages. */
  public long heapBytes() {
    long bytes = 16 + 16 + 4L * PAGES;
    for (int p = 0; p < PAGES; p++) {
      if (PAGE_AT.getAcquire(pages, p) != null) {
        bytes += 16 + 4L * PAGE;
      }
    }
    return bytes;
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
