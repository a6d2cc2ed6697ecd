package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LogHistogramTest {
  @Test
  void smallValuesAreExact() {
    for (long v = 0; v < 16; v++) {
      assertEquals(v, LogHistogram.valueOf(LogHistogram.bucketOf(v)));
    }
  }

  @Property
  void everyValueIsReportedWithinAnEighthOfItself(
      @ForAll @LongRange(min = 0, max = 1L << 47) long value) {
    int bucket = LogHistogram.bucketOf(value);
    assertTrue(bucket >= 0 && bucket < LogHistogram.BUCKETS, "bucket " + bucket);
    long reported = LogHistogram.valueOf(bucket);
    assertTrue(Math.abs(reported - value) <= value / 8, value + " reported as " + reported);
  }

  @Test
  void countsPerBucket() {
    LogHistogram h = new LogHistogram();
    h.record(1000);
    h.record(1001);
    h.record(-5);
    assertEquals(2, h.count(LogHistogram.bucketOf(1000)));
    assertEquals(1, h.count(0));
  }

  @Test
  void takeReturnsTheCountsSinceTheLastTake() {
    LogHistogram h = new LogHistogram();
    int bucket = LogHistogram.bucketOf(1000);
    h.record(1000);
    h.record(1000);
    assertEquals(2, h.take(bucket));
    assertEquals(0, h.take(bucket));
    h.record(1000);
    assertEquals(1, h.take(bucket));
    assertEquals(0, h.count(bucket));
  }
}
