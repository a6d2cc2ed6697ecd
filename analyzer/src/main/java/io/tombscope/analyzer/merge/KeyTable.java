package io.tombscope.analyzer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Numbers' keys as small integers, so that a line's numbers become two arrays and sums are array
 * arithmetic. Any key of any map family gets an index the first time it is seen: merging knows no
 * family's keys. Thread-safe: every input's reading thread adds keys.
 */
final class KeyTable {
  private final Map<String, Integer> indexes = new ConcurrentHashMap<>();
  private final List<String> names = new ArrayList<>();
  private volatile int[] sorted = new int[0];
  private volatile String[] nameArray = new String[0];

  /** A line's numbers: {@code keys[i]} (an index of this table) is {@code values[i]}. */
  record Numbers(int[] keys, long[] values) {
    long get(int key) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] == key) {
          return values[i];
        }
      }
      return -1;
    }
  }

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
    int[] order = new int[names.size()];
    List<Integer> all = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      all.add(k);
    }
    all.sort(Comparator.comparing(names::get));
    for (int k = 0; k < order.length; k++) {
      order[k] = all.get(k);
    }
    nameArray = names.toArray(new String[0]);
    sorted = order;
    indexes.put(key, index);
    return index;
  }

  String name(int index) {
    return nameArray[index];
  }

  int size() {
    return sorted.length;
  }

  /** Every index, in the order of the keys' names: lines are written in this order. */
  int[] sortedIndexes() {
    return sorted;
  }

  /** The whole-number values of {@code line}'s top level, except the keys in {@code leaveOut}. */
  Numbers numbers(JsonNode line, java.util.Set<String> leaveOut) {
    int n = 0;
    int[] keys = new int[line.size()];
    long[] values = new long[line.size()];
    for (var it = line.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getValue().isIntegralNumber() && !leaveOut.contains(f.getKey())) {
        keys[n] = index(f.getKey());
        values[n++] = f.getValue().asLong();
      }
    }
    return new Numbers(java.util.Arrays.copyOf(keys, n), java.util.Arrays.copyOf(values, n));
  }
}
