package io.tombscope.analyzer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers' keys as small integers, so that a line's numbers become two arrays and sums are array
 * arithmetic. Any key of any map family gets an index the first time it is seen: merging knows no
 * family's keys. Thread-safe: every input's reading thread adds keys.
 */
final class KeyTable {
  /** Keys that are not counts to add: ids, times and the merge's own JVM counts. */
  static final Set<String> NOT_SUMMED = Set.of("t", "site", "jvms", "jvm");

  /** Gauge keys that are a maximum over the JVMs, not a sum. */
  private static final Set<String> GAUGE_MAX = Set.of("mapSizePeak");

  /** Gauge keys that are cumulative: a JVM that left still counts. */
  private static final Set<String> GAUGE_CUMULATIVE = Set.of("sizePeak", "drainedByteSeconds");

  private final Map<String, Integer> indexes = new ConcurrentHashMap<>();
  private final Map<List<String>, int[]> columns = new ConcurrentHashMap<>();
  private final List<String> names = new ArrayList<>();
  private volatile int[] sorted = new int[0];
  private volatile String[] nameArray = new String[0];
  private volatile boolean[] gaugeMax = new boolean[0];
  private volatile boolean[] gaugeCumulative = new boolean[0];

  /** A line's numbers: {@code keys[i]} (an index of this table) is {@code values[i]}. */
  record Numbers(int[] keys, long[] values) {}

  int index(String key) {
    Integer i = indexes.get(key);
    return i != null ? i : add(key);
  }

  private synchronized int add(String key) {
    Integer i = indexes.get(key);
    if (i != null) {
      return i;
    }
    int index = names.size();
    names.add(key);
    Integer[] all = new Integer[names.size()];
    for (int k = 0; k < all.length; k++) {
      all[k] = k;
    }
    Arrays.sort(all, Comparator.comparing(names::get));
    int[] order = new int[all.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = all[k];
    }
    boolean[] max = Arrays.copyOf(gaugeMax, names.size());
    boolean[] cumulative = Arrays.copyOf(gaugeCumulative, names.size());
    max[index] = GAUGE_MAX.contains(key);
    cumulative[index] = GAUGE_CUMULATIVE.contains(key);
    gaugeMax = max;
    gaugeCumulative = cumulative;
    nameArray = names.toArray(new String[0]);
    sorted = order;
    indexes.put(key, index);
    return index;
  }

  /** How many keys have an index: every index is below it. */
  int size() {
    return nameArray.length;
  }

  String name(int index) {
    return nameArray[index];
  }

  /** Whether a gauge's key is the highest over the JVMs rather than their sum. */
  boolean gaugeMax(int index) {
    return gaugeMax[index];
  }

  /** Whether a gauge's key counts every JVM so far, present or not. */
  boolean gaugeCumulative(int index) {
    return gaugeCumulative[index];
  }

  /** Every index, in the order of the keys' names: lines are written in this order. */
  int[] sortedIndexes() {
    return sorted;
  }

  /** The whole-number values of {@code line}'s top level, except {@link #NOT_SUMMED}. */
  Numbers numbers(JsonNode line) {
    int n = 0;
    int[] keys = new int[line.size()];
    long[] values = new long[line.size()];
    for (var it = line.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getValue().isIntegralNumber() && !NOT_SUMMED.contains(f.getKey())) {
        keys[n] = index(f.getKey());
        values[n++] = f.getValue().asLong();
      }
    }
    return new Numbers(Arrays.copyOf(keys, n), Arrays.copyOf(values, n));
  }

  /**
   * The indexes of the keys of a compact line's columns, but those of {@link #NOT_SUMMED}: looked
   * up once per set of keys.
   */
  int[] indexes(List<String> keys) {
    return columns.computeIfAbsent(keys, this::indexesOf);
  }

  /** The indexes of {@code keys} but those left out, in their order. */
  private int[] indexesOf(List<String> keys) {
    int[] out = new int[keys.size()];
    int n = 0;
    for (String k : keys) {
      if (!NOT_SUMMED.contains(k)) {
        out[n++] = index(k);
      }
    }
    return Arrays.copyOf(out, n);
  }
}
