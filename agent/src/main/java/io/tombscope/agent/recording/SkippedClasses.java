package io.tombscope.agent.recording;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Classes of a known map family that the agent left uninstrumented because a field or method its
 * advice needs is missing or of another type (another version of the library, or a patched copy).
 * The instrumentation reports them as it meets them; the flusher writes each as one {@code skipped}
 * line. At most {@link #MAX} are kept, so a class loader that loads the same library over and over
 * cannot grow the queue without bound.
 */
public final class SkippedClasses {
  /** Most skipped classes reported over the whole run. */
  public static final int MAX = 1_000;

  private static final ConcurrentLinkedQueue<Skipped> QUEUE = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger REPORTED = new AtomicInteger();

  /** One class left alone, and why. */
  public record Skipped(String family, String className, String reason) {}

  private SkippedClasses() {}

  /** Reports {@code className} of {@code family} as skipped for {@code reason}. */
  public static void report(String family, String className, String reason) {
    if (REPORTED.incrementAndGet() <= MAX) {
      QUEUE.add(new Skipped(family, className, reason));
    }
  }

  /** The next skipped class not yet written, or null. */
  static Skipped poll() {
    return QUEUE.poll();
  }
}
