package io.tombscope.agent.recording;

import io.tombscope.agent.bootstrap.ProbeLengths;

/**
 * The probe lengths of a site as the histogram log last had them, kept by the flusher to write only
 * what came since. Only the counters up to the longest length seen are kept: most maps probe a few
 * slots, so a site holds tens of bytes here rather than all {@link ProbeLengths#COUNTERS}. Flusher
 * thread only.
 */
final class LastProbeLengths {
  private static final long[] NONE = new long[0];

  private long[] counts = NONE;
  private long longProbeSlots;

  /** The count written last for probes of {@code length} slots (the last index: longer ones). */
  long count(int length) {
    return length < counts.length ? counts[length] : 0;
  }

  long longProbeSlots() {
    return longProbeSlots;
  }

  /** True if {@code now} holds exactly the counts written last. */
  boolean sameAs(ProbeLengths now) {
    if (now.longProbeSlots != longProbeSlots) {
      return false;
    }
    for (int i = 0; i < ProbeLengths.COUNTERS; i++) {
      if (now.count(i) != count(i)) {
        return false;
      }
    }
    return true;
  }

  /** Remembers {@code now} as written. */
  void copyOf(ProbeLengths now) {
    int used = ProbeLengths.COUNTERS;
    while (used > 0 && now.count(used - 1) == 0) {
      used--;
    }
    if (used > counts.length) {
      counts = new long[used];
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] = i < used ? now.count(i) : 0;
    }
    longProbeSlots = now.longProbeSlots;
  }

  /** Bytes this holds on the heap (compressed references). */
  long heapBytes() {
    return 24 + (counts == NONE ? 0 : 16 + 8L * counts.length);
  }
}
