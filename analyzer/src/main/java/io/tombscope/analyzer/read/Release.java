package io.tombscope.analyzer.read;

/** One {@code release} event: memory before and after a release, and what went down. */
public record Release(
    long t,
    String trigger,
    Memory before,
    Memory after,
    Memory released,
    long mapsCompacted,
    long mapsPending,
    long pendingBytes,
    long gcCount,
    long durationMs) {

  /** Whether the agent could read the resident set before and after (it records -1 where not). */
  public boolean rssKnown() {
    return before.rssBytes() >= 0 && after.rssBytes() >= 0;
  }

  /** The five measurements of one side of a release, in bytes (tombstones in slots). */
  public record Memory(
      long heapUsedBytes, long heapCommittedBytes, long rssBytes, long mapBytes, long tombstones) {}
}
