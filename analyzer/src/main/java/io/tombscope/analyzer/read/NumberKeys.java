package io.tombscope.analyzer.read;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The number keys of a recording's {@code counters} and {@code gauge} lines, each given an index
 * the first time it is met, so that a site keeps its values in arrays ({@link SiteRecord}) and a
 * segment's columns map to those indices once, when they are declared, instead of every line
 * looking its keys up. The keys the reader itself uses have fixed indices.
 *
 * <p>Bounded: at most {@link #MAX_KEYS} keys (the agent writes about 40); {@link #index} returns -1
 * past that. Thread-safe for the reader's two threads: keys are given indices under a lock, and
 * {@link #inRange} of an index is read without one, by a thread that was given that index (the
 * ranges of an index never change, and the arrays are only ever copied to larger ones).
 */
final class NumberKeys {
  static final int MAX_KEYS = 1024;

  static final int T = 0;
  static final int SITE = 1;
  static final int DELETE_HITS = 2;
  static final int DELETE_MISSES = 3;
  static final int SIZE = 4;
  static final int MAPS = 5;
  static final int SLOTS = 6;
  static final int TOMBSTONES = 7;
  static final int TOMBSTONES_PEAK = 8;
  static final int ESTIMATED_BYTES = 9;
  static final int DEAD_SLOTS = 10;
  static final int MAP_SIZE_PEAK = 11;
  static final int DRAINED_SLOTS = 12;
  static final int DRAINED_MAPS = 13;
  static final int DRAINED_BYTES = 14;
  static final int DELETES = 15;
  static final int SILENT_DELETES = 16;

  private static final List<String> FIXED =
      List.of(
          "t",
          "site",
          "deleteHits",
          "deleteMisses",
          "size",
          "maps",
          "slots",
          "tombstones",
          "tombstonesPeak",
          "estimatedBytes",
          "deadSlots",
          SiteRecord.EXACT_PEAK_SIZE,
          "drainedSlots",
          "drainedMaps",
          "drainedBytes",
          "deletes",
          "silentDeletes");

  private final Map<String, Integer> indices = new HashMap<>();
  private final List<String> names = new ArrayList<>();

  /** Per index, the range {@link NumberRules} gives its key, the time's end set per recording. */
  private volatile long[] min = new long[64];

  private volatile long[] max = new long[64];
  private final long maxT;

  /**
   * @param maxT the latest {@code t} the recording can hold
   */
  NumberKeys(long maxT) {
    this.maxT = maxT;
    for (String key : FIXED) {
      index(key);
    }
  }

  /** The index of {@code key}, given it now if it has none; -1 when {@link #MAX_KEYS} are taken. */
  synchronized int index(String key) {
    Integer i = indices.get(key);
    if (i != null) {
      return i;
    }
    if (names.size() >= MAX_KEYS) {
      return -1;
    }
    int index = names.size();
    names.add(key);
    indices.put(key, index);
    if (index == min.length) {
      min = java.util.Arrays.copyOf(min, index * 2);
      max = java.util.Arrays.copyOf(max, index * 2);
    }
    min[index] = NumberRules.lowest(key);
    max[index] = NumberRules.highest(key, maxT);
    return index;
  }

  /** The index of {@code key}, or -1 if none was met. */
  synchronized int find(String key) {
    Integer i = indices.get(key);
    return i == null ? -1 : i;
  }

  synchronized String name(int index) {
    return names.get(index);
  }

  synchronized int size() {
    return names.size();
  }

  /** Whether {@code value} is in the range of the key at {@code index}. */
  boolean inRange(int index, long value) {
    return value >= min[index] && value <= max[index];
  }
}
