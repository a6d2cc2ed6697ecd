package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A small thread-safe histogram of positive longs (nanoseconds, entry counts) with log-linear
 * buckets: 8 sub-buckets per power of two, so a value is kept within 1/8 of itself (exactly below
 * 16). 384 counters cover values up to 2^48 (78 hours in nanoseconds); larger values count in the
 * last bucket. Written by app threads on sampled or rare events only. The flusher {@linkplain #take
 * takes} the counts each interval, so a counter holds one interval's values at most: an {@code int}
 * is enough, and the flusher needs no copy of what it wrote last. Counters come in pages of {@value
 * #PAGE} (two powers of two), each made on its first value and kept in a short array of the pages
 * made so far: a series' values span a few powers of two, so a histogram holds a hundred or a few
 * hundred bytes instead of all 1.5 KiB, and no index of every page.
 */
public final class LogHistogram {
  private static final int SUB_BITS = 3;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;
  private static final long MAX_VALUE = (1L << 48) - 1;

  /** Number of buckets. */
  public static final int BUCKETS = (48 - SUB_BITS + 1) * SUB_BUCKETS;

  private static final int PAGE_BITS = 4;
  static final int PAGE = 1 << PAGE_BITS;
  private static final int[][] NO_PAGES = new int[0][];
  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(int[].class);
  private static final VarHandle PAGES;

  static {
    try {
      PAGES = MethodHandles.lookup().findVarHandle(LogHistogram.class, "pages", int[][].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The pages made so far, in the order made, replaced by a longer copy (compare-and-set) when one
  // is added; a page holds buckets p * PAGE to p * PAGE + PAGE - 1, and p itself at index PAGE.
  @SuppressWarnings("unused") // through PAGES
  private int[][] pages = NO_PAGES;

  /** Counts one value; negative values count as 0. */
  public void record(long value) {
    int bucket = bucketOf(Math.min(MAX_VALUE, Math.max(0, value)));
    int[] page = page(bucket >>> PAGE_BITS);
    if (page == null) {
      page = newPage(bucket >>> PAGE_BITS);
    }
    COUNT.getAndAdd(page, bucket & (PAGE - 1), 1);
  }

  private int[][] pages() {
    int[][] all = (int[][]) PAGES.getAcquire(this);
    // Null only if another thread sees this object before its constructor's write.
    return all == null ? NO_PAGES : all;
  }

  /** Page {@code p}, or null if it has no value yet. */
  private int[] page(int p) {
    for (int[] page : pages()) {
      if (page[PAGE] == p) {
        return page;
      }
    }
    return null;
  }

  private int[] newPage(int p) {
    int[] made = new int[PAGE + 1];
    made[PAGE] = p;
    while (true) {
      int[][] all = pages();
      for (int[] page : all) {
        if (page[PAGE] == p) {
          return page; // another thread made it first
        }
      }
      int[][] more = Arrays.copyOf(all, all.length + 1);
      more[all.length] = made;
      if (PAGES.compareAndSet(this, all, more)) {
        return made;
      }
    }
  }

  /** Count in bucket {@code i} since the last {@link #take}. */
  public int count(int i) {
    int[] page = page(i >>> PAGE_BITS);
    return page == null ? 0 : (int) COUNT.getVolatile(page, i & (PAGE - 1));
  }

  /** Returns the count in bucket {@code i} and resets it, without losing a concurrent record. */
  public int take(int i) {
    int[] page = page(i >>> PAGE_BITS);
    if (page == null) {
      return 0;
    }
    // A plain read first: most buckets are empty, and an atomic swap costs far more than a read.
    int j = i & (PAGE - 1);
    return (int) COUNT.getVolatile(page, j) == 0 ? 0 : (int) COUNT.getAndSet(page, j, 0);
  }

  /** Bytes this histogram holds on the heap (compressed references): itself and its pages. */
  public long heapBytes() {
    int made = pages().length;
    return 16 + (made == 0 ? 0 : align(16 + 4L * made) + made * align(16 + 4L * (PAGE + 1)));
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
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
