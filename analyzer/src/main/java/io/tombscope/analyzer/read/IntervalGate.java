package io.tombscope.analyzer.read;

/**
 * Tells the reader of the histograms, which runs beside the reader of the events, which histograms
 * belong to complete intervals: one that ends by the last complete interval's {@code t} does, and
 * one that ends later waits until the events say (a later interval completes, the {@code end} line
 * comes, or the events are done and it was cut off with an unfinished interval). So the histograms
 * are used exactly as if they were read after the events, with memory for one histogram.
 *
 * <p>Thread-safe: one thread advances it, another waits on it.
 */
final class IntervalGate {
  /** Histograms are written with millisecond precision: start and length may each round half. */
  private static final double ROUNDING_MS = 1.5;

  private long lastIntervalT = -1;
  private boolean ended;
  private boolean done;

  /** An interval that ended at {@code t} is complete. */
  synchronized void advance(long t) {
    lastIntervalT = Math.max(lastIntervalT, t);
    notifyAll();
  }

  /** The {@code end} line came: every histogram is complete. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** The events are read (or failed): nothing will complete any more. */
  synchronized void done() {
    done = true;
    notifyAll();
  }

  /**
   * Whether a histogram that ends at {@code endMs} (since the start) belongs to a complete
   * interval, waiting until that is known.
   */
  synchronized boolean complete(double endMs) throws InterruptedException {
    while (!ended && !done && endMs > lastIntervalT + ROUNDING_MS) {
      wait();
    }
    return ended || endMs <= lastIntervalT + ROUNDING_MS;
  }
}
