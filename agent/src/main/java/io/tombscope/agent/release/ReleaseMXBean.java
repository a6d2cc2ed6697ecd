package io.tombscope.agent.release;

/**
 * The release trigger over JMX, registered as {@code io.tombscope:type=Release}: visible in
 * JConsole and VisualVM, and used by {@code tombscope release PID}.
 */
public interface ReleaseMXBean {
  /** Object name under which the agent registers it. */
  String OBJECT_NAME = "io.tombscope:type=Release";

  /** Runs a release and returns its before/after table. */
  String release();

  /**
   * Runs a release on behalf of {@code trigger} ({@code jmx}, {@code attach} or {@code api}) and
   * returns its before/after table.
   */
  String releaseFor(String trigger);

  /** Like {@link #releaseFor} but returns the release's recording event, one line of JSON. */
  String releaseAsJson(String trigger);

  /** The last release's table, or an empty string. */
  String getLastRelease();

  /** Releases run so far. */
  long getReleaseCount();
}
