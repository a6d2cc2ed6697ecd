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

  /** The five measurements of one side of a release, in bytes (tombstones in slots). */
  public record Memory(
      long heapUsedBytes, long heapCommittedBytes, long rssBytes, long mapBytes, long tombstones) {}
}
