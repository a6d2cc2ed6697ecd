package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Exact totals of what the JDK maps that the agent does not track did, per family: so a recording
 * never reads as empty when the program deleted.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Every untracked delete or resize costs one atomic add on a counter striped by thread id: no
 *       allocation, no lock, and two threads on different stripes never write one cache line (each
 *       stripe is 256 bytes, of which the counters use the first 160).
 *   <li>Totals are exact: adds are atomic, and a reader sums every stripe. A reader may see an add
 *       one interval late, never lose it.
 * </ol>
 */
public final class Untracked {
  /** Deletes that removed a mapping ({@code threadlocal}: every {@code ThreadLocal.remove}). */
  public static final int HITS = 0;

  public static final int MISSES = 1;
  public static final int RESIZES = 2;
  public static final int STALE_EXPUNGED = 3;
  private static final int KINDS = 4;

  private static final int STRIPES = 64;
  private static final int STRIDE = 32; // longs per stripe: 256 bytes
  private static final long[] COUNTS = new long[STRIPES * STRIDE];
  private static final VarHandle AT = MethodHandles.arrayElementVarHandle(long[].class);

  private Untracked() {}

  /** Adds one event of {@code kind} to the totals of {@code family} (a {@link Family} index). */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
  static void add(int family, int kind, long n) {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    AT.getAndAdd(COUNTS, stripe * STRIDE + family * KINDS + kind, n);
  }

  /**
   * {@link #add}, and true when this add took its stripe's count past a multiple of {@code 1 <<
   * log2Every}: one event in that many, with no cost beyond the add's own.
   */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
  static boolean addAndSample(int family, int kind, long n, int log2Every) {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    long before = (long) AT.getAndAdd(COUNTS, stripe * STRIDE + family * KINDS + kind, n);
    return (before >>> log2Every) != ((before + n) >>> log2Every);
  }

  /** The total of {@code kind} for {@code family} so far. */
  public static long total(int family, int kind) {
    long sum = 0;
    for (int stripe = 0; stripe < STRIPES; stripe++) {
      sum += (long) AT.getVolatile(COUNTS, stripe * STRIDE + family * KINDS + kind);
    }
    return sum;
  }
}
