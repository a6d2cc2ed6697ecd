package io.tombscope.agent.release;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/** Heap and resident-set readings, and garbage collection until the heap stops shrinking. */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  // G1 (JDK 16+) returns uncommitted regions to the operating system in a background task that
  // starts 100 ms after the collection and frees at most 128 MiB per step, 10 ms apart
  // (G1UncommitRegionTask). The resident set is read until it has stopped falling.
  static final long UNCOMMIT_DELAY_MILLIS = 250;
  static final long QUIET_MILLIS = 100;
  static final long SETTLE_BUDGET_MILLIS = 3_000;
  private static final long POLL_MILLIS = 20;
  private static final long FALL_BYTES = 1 << 20;

  private ProcessMemory() {}

  static long heapUsed() {
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  static long heapCommitted() {
    return MEMORY.getHeapMemoryUsage().getCommitted();
  }

  /** The process's resident set from {@code /proc/self/status}, or -1 where there is none. */
  static long rss() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The resident set once the collector has given back what it uncommitted: if the committed heap
   * fell below {@code committedBefore}, RSS is read every 20 ms until at least {@link
   * #UNCOMMIT_DELAY_MILLIS} have passed and it has not fallen by 1 MiB for {@link #QUIET_MILLIS},
   * at most {@link #SETTLE_BUDGET_MILLIS}; otherwise it is read once. (ZGC and Shenandoah uncommit
   * only after delays of minutes, so their committed heap does not fall here.)
   */
  static long settledRss(long committedBefore) {
    return settledRss(
        ProcessMemory::rss,
        heapCommitted() < committedBefore,
        System::nanoTime,
        ProcessMemory::sleep);
  }

  /**
   * {@link #settledRss(long)} with its readings, clock and sleep given; {@code sleep} returns false
   * when the thread was interrupted, which ends the wait.
   */
  static long settledRss(
      LongSupplier rss, boolean uncommitted, LongSupplier nanoTime, LongPredicate sleep) {
    long last = rss.getAsLong();
    if (last < 0 || !uncommitted) {
      return last;
    }
    long start = nanoTime.getAsLong();
    long quietSince = start;
    long quietLevel = last;
    for (; ; ) {
      long now = nanoTime.getAsLong();
      if (now - start >= SETTLE_BUDGET_MILLIS * 1_000_000
          || now - start >= UNCOMMIT_DELAY_MILLIS * 1_000_000
              && now - quietSince >= QUIET_MILLIS * 1_000_000) {
        return last;
      }
      long r = sleep.test(POLL_MILLIS) ? rss.getAsLong() : -1;
      if (r < 0) {
        return last;
      }
      if (r <= quietLevel - FALL_BYTES) {
        quietSince = nanoTime.getAsLong();
        quietLevel = r;
      }
      last = r;
    }
  }

  /** Sleeps; false (with the interrupt status kept) if the thread was interrupted. */
  static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Full collections until heap used falls by less than 1% (or 1 MiB) from one to the next, at most
   * {@code maxCollections} and about {@code budgetMillis}. Returns how many ran.
   */
  static int collectUntilStable(int maxCollections, long budgetMillis) {
    long deadline = System.nanoTime() + budgetMillis * 1_000_000;
    long previous = Long.MAX_VALUE;
    int collections = 0;
    while (collections < maxCollections && System.nanoTime() < deadline) {
      System.gc();
      collections++;
      long used = heapUsed();
      if (previous != Long.MAX_VALUE && previous - used < Math.max(previous / 100, 1 << 20)) {
        break;
      }
      previous = used;
    }
    return collections;
  }
}
