package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.testing.SeededCases;
import org.junit.jupiter.api.Test;

class LogHistogramTest {
  @Test
  void smallValuesAreExact() {
    for (long v = 0; v < 16; v++) {
      assertEquals(v, LogHistogram.valueOf(LogHistogram.bucketOf(v)));
    }
  }

  @Test
  void everyValueIsReportedWithinAnEighthOfItself() {
    SeededCases.check(
        1000,
        random -> {
          // Uniform over bit lengths first, so that small values are drawn as often as large.
          long value = random.nextLong(0, (1L << random.nextInt(48)) + 1);
          int bucket = LogHistogram.bucketOf(value);
          assertTrue(bucket >= 0 && bucket < LogHistogram.BUCKETS, "bucket " + bucket);
          long reported = LogHistogram.valueOf(bucket);
          assertTrue(Math.abs(reported - value) <= value / 8, value + " reported as " + reported);
        });
    for (long value : new long[] {0, 1, 7, 8, 9, 1L << 47}) {
      int bucket = LogHistogram.bucketOf(value);
      long reported = LogHistogram.valueOf(bucket);
      assertTrue(Math.abs(reported - value) <= value / 8, value + " reported as " + reported);
    }
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

  /** Threads that make the same pages at once lose no value; untouched pages cost nothing. */
  @Test
  void pagesMadeByRacingThreadsLoseNoValue() throws Exception {
    LogHistogram h = new LogHistogram();
    long empty = h.heapBytes();
    int threads = 4;
    int perThread = 20_000;
    Thread[] workers = new Thread[threads];
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      workers[t] =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  h.record(1L << (i % 40));
                }
              });
      workers[t].start();
    }
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long total = 0;
    for (int b = 0; b < LogHistogram.BUCKETS; b++) {
      total += h.take(b);
    }
    assertEquals((long) threads * perThread, total);
    LogHistogram one = new LogHistogram();
    one.record(1000);
    one.record(1001);
    // One page: its counters and page number, and the array of pages that holds it.
    assertEquals(empty + (16 + 4 + 4) + (16 + 4L * (LogHistogram.PAGE + 1) + 4), one.heapBytes());
    assertTrue(h.heapBytes() > one.heapBytes());
  }
}
