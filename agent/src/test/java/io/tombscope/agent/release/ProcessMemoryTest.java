package io.tombscope.agent.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** How long a release waits for the resident set to settle, on a simulated clock. */
class ProcessMemoryTest {
  private static final long MIB = 1 << 20;

  /** A clock that only sleeps move, and an RSS that is a function of the milliseconds passed. */
  private static final class Simulated {
    long nanos;
    int reads;
    final LongUnaryOperator rssAtMillis;

    Simulated(LongUnaryOperator rssAtMillis) {
      this.rssAtMillis = rssAtMillis;
    }

    long settle(boolean uncommitted) {
      return ProcessMemory.settledRss(
          () -> {
            reads++;
            return rssAtMillis.applyAsLong(nanos / 1_000_000);
          },
          uncommitted,
          () -> nanos,
          millis -> {
            nanos += millis * 1_000_000;
            return true;
          });
    }

    long millis() {
      return nanos / 1_000_000;
    }
  }

  /** G1's pattern: nothing for 100 ms, then 64 MiB every 10 ms until 512 MiB are returned. */
  private static long g1(long millis) {
    long steps = millis < 100 ? 0 : Math.min(8, (millis - 100) / 10 + 1);
    return 1024 * MIB - steps * 64 * MIB;
  }

  @Test
  void waitsForTheCollectorsDelayedUncommitToFinish() {
    Simulated s = new Simulated(ProcessMemoryTest::g1);
    assertEquals(512 * MIB, s.settle(true));
    assertTrue(s.millis() >= 170 + ProcessMemory.QUIET_MILLIS, "stopped at " + s.millis() + " ms");
    assertTrue(s.millis() < ProcessMemory.SETTLE_BUDGET_MILLIS, "stopped at " + s.millis() + " ms");
  }

  @Test
  void readsOnceWhenTheHeapDidNotShrink() {
    Simulated s = new Simulated(ProcessMemoryTest::g1);
    assertEquals(1024 * MIB, s.settle(false));
    assertEquals(0, s.millis());
    assertEquals(1, s.reads);
  }

  @Test
  void aResidentSetThatKeepsFallingIsReadUntilTheBudgetRunsOut() {
    Simulated s = new Simulated(millis -> 4096 * MIB - millis * 100 * 1024);
    long rss = s.settle(true);
    assertEquals(ProcessMemory.SETTLE_BUDGET_MILLIS, s.millis());
    assertEquals(4096 * MIB - s.millis() * 100 * 1024, rss);
  }

  @Test
  void aResidentSetThatStopsBeingReadableKeepsTheLastReading() {
    Simulated s = new Simulated(millis -> millis < 200 ? 900 * MIB - millis * MIB : -1);
    assertEquals(720 * MIB, s.settle(true));
  }

  @Test
  void anInterruptEndsTheWaitWithTheLastReading() {
    long rss = ProcessMemory.settledRss(() -> 300 * MIB, true, System::nanoTime, millis -> false);
    assertEquals(300 * MIB, rss);
  }
}
