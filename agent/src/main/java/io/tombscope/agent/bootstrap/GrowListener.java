package io.tombscope.agent.bootstrap;

/**
 * Told of each grow of a tracked map as it starts and as it ends, on the thread that does it (the
 * agent's JFR events, whose duration spans the grow). Grows are rare, so this is off the hot path;
 * implementations must not throw, and failures are counted as suppressed if they do.
 */
public interface GrowListener {
  /** A grow starts: returns what {@link #end} needs for it, or null to skip this grow. */
  Object begin();

  /** The grow for which {@link #begin} returned {@code begun} is over. */
  void end(Object begun, GrowEvent grow, Site site);
}
