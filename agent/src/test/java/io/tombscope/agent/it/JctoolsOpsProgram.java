package io.tombscope.agent.it;

import java.util.Iterator;
import java.util.Random;
import java.util.TreeMap;
import org.jctools.maps.NonBlockingHashMap;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * Runs a random sequence of operations, generated from each seed given, on a {@code
 * NonBlockingHashMap} and a {@code NonBlockingHashMapLong}, and prints every result and, after each
 * sequence, the maps' sorted contents: puts, {@code putIfAbsent}, {@code replace}, removes by key
 * and by key and value, removes through iterators and views, {@code computeIfPresent} to null, and
 * {@code clear}. Keys come from a small range so that removed keys come back. The output must be
 * the same with and without the agent.
 */
public final class JctoolsOpsProgram {
  public static void main(String[] args) {
    StringBuilder out = new StringBuilder();
    for (String arg : args) {
      long seed = Long.parseLong(arg);
      Random random = new Random(seed);
      int keys = 8 + random.nextInt(2_000);
      int ops = 20_000;
      NonBlockingHashMap<Integer, Integer> map = new NonBlockingHashMap<>(random.nextInt(64));
      NonBlockingHashMapLong<Integer> longMap = new NonBlockingHashMapLong<>(random.nextInt(64));
      long hash = 0;
      for (int i = 0; i < ops; i++) {
        int k = random.nextInt(keys);
        int v = random.nextInt(4);
        Object r =
            switch (random.nextInt(12)) {
              case 0, 1, 2 -> String.valueOf(map.put(k, v)) + longMap.put(k, v);
              case 3 -> String.valueOf(map.putIfAbsent(k, v)) + longMap.putIfAbsent(k, v);
              case 4 -> String.valueOf(map.replace(k, v)) + longMap.replace(k, v);
              case 5, 6 -> String.valueOf(map.remove(k)) + longMap.remove(k);
              case 7 -> String.valueOf(map.remove(k, v)) + longMap.remove(k, (Object) v);
              case 8 ->
                  removeEvery(map.entrySet().iterator(), 3 + random.nextInt(50))
                      + "/"
                      + removeEvery(longMap.keySet().iterator(), 3 + random.nextInt(50));
              case 9 -> String.valueOf(map.keySet().remove(k)) + longMap.keySet().remove((long) k);
              case 10 ->
                  String.valueOf(map.computeIfPresent(k, (key, old) -> null))
                      + longMap.computeIfPresent((long) k, (key, old) -> null);
              default -> {
                if (random.nextInt(200) == 0) {
                  map.clear();
                  longMap.clear();
                  yield "clear";
                }
                yield String.valueOf(map.get(k)) + longMap.get(k);
              }
            };
        hash = hash * 31 + r.hashCode();
      }
      out.append("seed ")
          .append(seed)
          .append(' ')
          .append(hash)
          .append(' ')
          .append(new TreeMap<>(map))
          .append(' ')
          .append(new TreeMap<>(longMap))
          .append('\n');
    }
    System.out.print(out);
  }

  /** Removes every {@code n}th element through the iterator; returns how many it removed. */
  private static int removeEvery(Iterator<?> it, int n) {
    int removed = 0;
    for (int i = 0; it.hasNext(); i++) {
      it.next();
      if (i % n == 0) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }
}
