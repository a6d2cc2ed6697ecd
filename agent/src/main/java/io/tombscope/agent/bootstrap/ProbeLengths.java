package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Exact counts of probe lengths (slots examined), one counter per length up to {@link #MAX_EXACT}
 * and one for everything longer. Single writer, like {@link Counts}; other threads read it.
 *
 * <p>The counters reach only as far as the longest length seen, grown by powers of two: most maps
 * probe a few slots, so a map holds about a hundred bytes here rather than half a KiB, and a delete
 * still costs one comparison with the array's length, which also spares the bounds check.
 */
public final class ProbeLengths {
  /** Longest probe length counted exactly; longer ones share the last counter. */
  public static final int MAX_EXACT = 62;

  /** Number of counters: {@code count(n)} for {@code n} from 0 to {@code MAX_EXACT + 1}. */
  public static final int COUNTERS = MAX_EXACT + 2;

  /** Bytes one holds at most: every exact length seen. */
  public static final long MAX_HEAP_BYTES = 32 + 16 + 8L * (MAX_EXACT + 1);

  private static final int FIRST_LENGTHS = 8;
  private static final long[] NONE = new long[0];
  private static final VarHandle COUNTS;

  static {
    try {
      COUNTS = MethodHandles.lookup().findVarHandle(ProbeLengths.class, "counts", long[].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // counts[n] is how many probes examined n slots, for n below its length (at most MAX_EXACT + 1):
  // replaced by a longer copy, published with a release store, when a longer probe comes.
  private long[] counts = NONE;

  /** Probes longer than {@link #MAX_EXACT}. */
  private long longProbes;

  /** Sum of the probe lengths above {@link #MAX_EXACT}, so their mean stays exact. */
  public long longProbeSlots;

  void record(int probeLength) {
    long[] c = counts;
    if (probeLength < c.length) {
      c[probeLength]++;
    } else {
      recordLonger(probeLength);
    }
  }

  private void recordLonger(int probeLength) {
    if (probeLength > MAX_EXACT) {
      longProbes++;
      longProbeSlots += probeLength;
      return;
    }
    long[] longer = grownTo(probeLength);
    longer[probeLength]++;
    COUNTS.setRelease(this, longer);
  }

  /** A copy of the counters long enough for {@code length}, by powers of two up to the last. */
  private long[] grownTo(int length) {
    int size = Math.max(FIRST_LENGTHS, Integer.highestOneBit(length) << 1);
    return Arrays.copyOf(counts, Math.min(MAX_EXACT + 1, size));
  }

  // Null only if another thread sees this object before its constructor's write (a recorder's
  // counts are published without a barrier).
  private long[] counters() {
    long[] c = (long[]) COUNTS.getAcquire(this);
    return c == null ? NONE : c;
  }

  /**
   * How many probes examined {@code length} slots; at {@code MAX_EXACT + 1}, those longer than
   * {@link #MAX_EXACT}.
   */
  public long count(int length) {
    if (length > MAX_EXACT) {
      return longProbes;
    }
    long[] c = counters();
    return length < c.length ? c[length] : 0;
  }

  /** One more than the longest exact length counted so far (0 for none): the others are 0. */
  public int exactLengths() {
    return counters().length;
  }

  /** Adds {@code other}'s counts to these (flusher only: it owns both). */
  public void add(ProbeLengths other) {
    if (other == null) {
      return;
    }
    long[] theirs = other.counters();
    if (theirs.length > counts.length) {
      counts = grownTo(theirs.length - 1);
    }
    long[] c = counts;
    for (int i = 0; i < theirs.length; i++) {
      c[i] += theirs[i];
    }
    longProbes += other.longProbes;
    longProbeSlots += other.longProbeSlots;
  }

  /**
   * {@code into} with {@code other}'s counts added, made when there is something to add to a null
   * {@code into}; null if both are null.
   */
  public static ProbeLengths sum(ProbeLengths into, ProbeLengths other) {
    if (other == null) {
      return into;
    }
    ProbeLengths sum = into == null ? new ProbeLengths() : into;
    sum.add(other);
    return sum;
  }

  /** Sets every count to 0, keeping the counters' length (a scratch sum reused by the flusher). */
  public void clear() {
    Arrays.fill(counts, 0);
    longProbes = 0;
    longProbeSlots = 0;
  }

  /** Bytes these counts hold on the heap (compressed references). */
  public long heapBytes() {
    long[] c = counters();
    return 32 + (c == NONE ? 0 : 16 + 8L * c.length);
  }
}
