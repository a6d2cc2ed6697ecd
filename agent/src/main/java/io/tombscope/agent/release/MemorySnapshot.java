package io.tombscope.agent.release;

import io.tombscope.agent.recording.Json;

/**
 * Memory at one moment of a release, in bytes; {@code rssBytes} is -1 where the process's resident
 * set cannot be read.
 */
public record MemorySnapshot(
    long heapUsedBytes, long heapCommittedBytes, long rssBytes, long mapBytes, long tombstones) {

  /** What went down from {@code after} to this one: positive when memory was released. */
  public MemorySnapshot minus(MemorySnapshot after) {
    return new MemorySnapshot(
        heapUsedBytes - after.heapUsedBytes,
        heapCommittedBytes - after.heapCommittedBytes,
        rssBytes < 0 || after.rssBytes < 0 ? -1 : rssBytes - after.rssBytes,
        mapBytes - after.mapBytes,
        tombstones - after.tombstones);
  }

  Json toJson() {
    return Json.object()
        .put("heapUsedBytes", heapUsedBytes)
        .put("heapCommittedBytes", heapCommittedBytes)
        .put("rssBytes", rssBytes)
        .put("mapBytes", mapBytes)
        .put("tombstones", tombstones);
  }
}
