package io.tombscope.agent.release;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap and resident-set readings, and garbage collection until the heap stops shrinking. */
final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

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
