package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Probe lengths are counted exactly while their counters grow to the longest length seen. */
class ProbeLengthsTest {
  @Test
  void everyLengthCountsExactlyAsTheCountersGrow() {
    ProbeLengths p = new ProbeLengths();
    assertEquals(0, p.exactLengths());
    long longSlots = 0;
    // Lengths out of order: short, long, the longest exact, then beyond it.
    int[] lengths = {1, 5, 0, 9, 1, 33, ProbeLengths.MAX_EXACT, 17, 70, 100, 7, 63};
    long[] expected = new long[ProbeLengths.COUNTERS];
    for (int length : lengths) {
      p.record(length);
      if (length > ProbeLengths.MAX_EXACT) {
        expected[ProbeLengths.MAX_EXACT + 1]++;
        longSlots += length;
      } else {
        expected[length]++;
      }
    }
    for (int i = 0; i < ProbeLengths.COUNTERS; i++) {
      assertEquals(expected[i], p.count(i), "length " + i);
    }
    assertEquals(longSlots, p.longProbeSlots);
    assertEquals(ProbeLengths.MAX_EXACT + 1, p.exactLengths());
  }

  @Test
  void shortProbesKeepFewCounters() {
    ProbeLengths p = new ProbeLengths();
    for (int i = 0; i < 1000; i++) {
      p.record(i % 6);
    }
    assertEquals(8, p.exactLengths());
    assertTrue(p.heapBytes() <= 32 + 16 + 8 * 8, "bytes " + p.heapBytes());
    assertTrue(p.heapBytes() < ProbeLengths.MAX_HEAP_BYTES);
  }

  @Test
  void sumsAddLongerCountsToShorterOnes() {
    ProbeLengths shortOnes = TestSites.probeLengths(1, 2, 2);
    ProbeLengths longOnes = TestSites.probeLengths(2, 30, 90);
    ProbeLengths sum = ProbeLengths.sum(null, shortOnes);
    sum = ProbeLengths.sum(sum, longOnes);
    assertEquals(1, sum.count(1));
    assertEquals(3, sum.count(2));
    assertEquals(1, sum.count(30));
    assertEquals(1, sum.count(ProbeLengths.MAX_EXACT + 1));
    assertEquals(90, sum.longProbeSlots);
    // The first sum is a new object: the counts it was made from stay as they were.
    assertEquals(2, shortOnes.count(2));
    assertEquals(null, ProbeLengths.sum(null, null));
  }
}
