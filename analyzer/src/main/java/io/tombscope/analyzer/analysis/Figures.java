package io.tombscope.analyzer.analysis;

/**
 * Products and sums of a recording's numbers, which never overflow. The reader accepts no number
 * above 2^48 and at most 2^14 sites, but a product of two numbers (stale entries × bytes per entry,
 * deletes × mean delete time) may pass a {@code long}, and a sum of such products may too.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>A site's figure (bytes, a count, nanoseconds) is held to 0 to {@link #MAX}: a product above
 *       it is shown as 2^48, what the recording format allows for any number, and never wraps.
 *   <li>A site's byte-seconds are held to 0 to {@link #MAX_SUM}, and so is any sum over sites.
 *   <li>A negative operand (none passes the reader) counts as 0.
 * </ol>
 */
public final class Figures {
  /** The most a site's figure may be: the bound of every number in a recording, 2^48. */
  public static final long MAX = 1L << 48;

  /** The most a sum over sites may be, 2^62: 2^14 sites of {@link #MAX} each. */
  public static final long MAX_SUM = 1L << 62;

  private Figures() {}

  /** {@code a × b}, held to 0 to {@link #MAX}. */
  public static long times(long a, long b) {
    if (a <= 0 || b <= 0) {
      return 0;
    }
    if (Math.multiplyHigh(a, b) != 0) {
      return MAX;
    }
    long product = a * b;
    return product < 0 ? MAX : Math.min(MAX, product);
  }

  /** {@code a × b / c}, held to 0 to {@link #MAX}; 0 where {@code c} is 0. */
  public static long scaled(long a, long b, long c) {
    if (a <= 0 || b <= 0 || c <= 0) {
      return 0;
    }
    if (Math.multiplyHigh(a, b) == 0 && a * b > 0) {
      return Math.min(MAX, a * b / c);
    }
    return (long) Math.min(MAX, (double) a * b / c);
  }

  /** {@code count} times of {@code meanNanos} each, rounded, held to 0 to {@link #MAX}. */
  public static long nanos(long count, double meanNanos) {
    double total = count * meanNanos;
    return total > 0 ? Math.min(MAX, Math.round(total)) : 0;
  }

  /** Byte-seconds (or any figure summed over time), rounded, held to 0 to {@link #MAX_SUM}. */
  public static long overTime(double value) {
    return value > 0 ? Math.min(MAX_SUM, Math.round(value)) : 0;
  }

  /** {@code a + b}, held to 0 to {@link #MAX_SUM}. */
  public static long sum(long a, long b) {
    long s = Math.max(0, a) + Math.max(0, b); // both below 2^63: no wrap past Long.MAX_VALUE
    return s < 0 ? MAX_SUM : Math.min(MAX_SUM, s);
  }
}
