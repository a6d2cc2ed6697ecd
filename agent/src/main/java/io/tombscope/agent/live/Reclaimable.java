package io.tombscope.agent.live;

import io.tombscope.agent.recording.MapStats;

/**
 * Reclaimable bytes of a site's live maps by the rule of {@code docs/findings.md}, from the gauge
 * the flusher just read: what a {@code trim()} gives back (BucketHashMap), the dead slots of a
 * table kept at its peak length ({@code hashmap}, {@code concurrent}, {@code identity}), or the
 * stale entries still held ({@code weak}, {@code threadlocal}).
 */
final class Reclaimable {
  /** Compressed references, as the analyzer assumes. */
  private static final long REFERENCE_BYTES = 4;

  private Reclaimable() {}

  static long bytes(MapStats s, String family) {
    if (family == null) {
      return Math.max(0, s.estimatedBytes - s.trimmedBytes);
    }
    switch (family) {
      case "hashmap":
      case "concurrent":
        return s.deadSlots * REFERENCE_BYTES;
      case "identity":
        return s.deadSlots * REFERENCE_BYTES * 2; // key and value side by side in one table
      case "weak":
      case "threadlocal":
        return s.tombstones * entryBytes(s, family);
      default:
        return 0;
    }
  }

  /** The bytes one entry holds beyond its table slot, or a typical entry's when unknown. */
  private static long entryBytes(MapStats s, String family) {
    long table = 16 * Math.max(1, s.maps) + REFERENCE_BYTES * s.slots;
    if (s.size > 0 && s.estimatedBytes > table) {
      return (s.estimatedBytes - table) / s.size;
    }
    return family.equals("threadlocal") ? 32 : 40;
  }
}
