package io.tombscope.agent.bootstrap;

/**
 * Exact counts of probe lengths (slots examined), one counter per length up to {@link #MAX_EXACT}
 * and one for everything longer. Single writer, like {@link Counts}.
 */
public final class ProbeLengths {
  /** Longest probe length counted exactly; longer ones share the last counter. */
  public static final int MAX_EXACT = 62;

  /** counts[n] is how many probes examined n slots; the last counter holds longer probes. */
  public final long[] counts = new long[MAX_EXACT + 2];

  /** Sum of the probe lengths above {@link #MAX_EXACT}, so their mean stays exact. */
  public long longProbeSlots;

  void record(int probeLength) {
    if (probeLength <= MAX_EXACT) {
      counts[probeLength]++;
    } else {
      counts[MAX_EXACT + 1]++;
      longProbeSlots += probeLength;
    }
  }

  /** Adds {@code other}'s counts to these. */
  public void add(ProbeLengths other) {
    if (other == null) {
      return;
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
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

  /** Sets every count to 0. */
  public void clear() {
    java.util.Arrays.fill(counts, 0);
    longProbeSlots = 0;
  }

  /** Makes these counts equal to {@code other}'s. */
  public void copyOf(ProbeLengths other) {
    System.arraycopy(other.counts, 0, counts, 0, counts.length);
    longProbeSlots = other.longProbeSlots;
  }

  /** True if every count equals {@code other}'s. */
  public boolean sameAs(ProbeLengths other) {
    return longProbeSlots == other.longProbeSlots && java.util.Arrays.equals(counts, other.counts);
  }
}
