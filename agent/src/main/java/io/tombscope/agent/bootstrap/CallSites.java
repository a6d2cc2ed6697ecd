package io.tombscope.agent.bootstrap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sampled delete call sites of one allocation site: at most {@link #MAX_FRAMES} distinct frames,
 * the rest counted under {@link #OTHER}. Each sample stands for {@code period} deletes.
 */
public final class CallSites {
  /** Most distinct call frames kept per allocation site. */
  public static final int MAX_FRAMES = 64;

  /** The frame under which call sites beyond the limit are counted. */
  public static final String OTHER = "(other)";

  private final ConcurrentHashMap<String, AtomicLongArray> frames = new ConcurrentHashMap<>();

  void record(String frame, boolean hit, int period) {
    AtomicLongArray counts = frames.get(frame);
    if (counts == null) {
      String key = frames.size() >= MAX_FRAMES ? OTHER : frame;
      counts = frames.computeIfAbsent(key, k -> new AtomicLongArray(2));
    }
    counts.addAndGet(0, period);
    if (!hit) {
      counts.addAndGet(1, period);
    }
  }

  /** Frame → {deletes, deleteMisses}, estimated (samples × period). */
  public Map<String, AtomicLongArray> frames() {
    return frames;
  }
}
