package io.tombscope.agent.bootstrap;

/**
 * One rehash of a third-party map's table, queued by the map's thread for the flusher: a rehash
 * rebuilds the whole table at once, so it has capacities (not powers of two for Trove) where a
 * {@link GrowEvent} has log2 sizes.
 */
public record RehashEvent(
    long endEpochMs,
    int site,
    String cause,
    long fromCapacity,
    long toCapacity,
    long durationNanos,
    long entriesMoved,
    long tombstonesReclaimed) {
  /** The table outgrew its load factor (or {@code ensureCapacity} asked for more). */
  public static final String GROW = "grow";

  /** No free slot was left, only tombstones: the table is rebuilt at the same capacity. */
  public static final String SAME_SIZE = "sameSize";

  /** The library compacted on its own after enough removes ({@code autoCompactionFactor}). */
  public static final String AUTO_COMPACTION = "autoCompaction";

  /** The program called {@code compact()} (or {@code trimToSize()}), or the release trigger did. */
  public static final String COMPACT = "compact";

  /** The table halved because removes left it a quarter full or less (fastutil). */
  public static final String SHRINK = "shrink";

  /** The program called {@code trim()} (fastutil), or the release trigger did. */
  public static final String TRIM = "trim";
}
