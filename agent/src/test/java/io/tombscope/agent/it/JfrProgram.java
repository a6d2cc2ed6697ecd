package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;

/**
 * A program for the JFR test: one map grows from empty to 6,600 entries, then loses the first 80%
 * it was given. Most of those sit before later ones in their buckets, so their slots stay
 * tombstones (over a quarter of all slots); it prints {@code TRUTH hits=H tombstones=T slots=S} and
 * holds the map for {@code args[0]} milliseconds, so that several intervals see it.
 */
public final class JfrProgram {
  private JfrProgram() {}

  public static void main(String[] args) throws Exception {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 9L);
    for (int i = 0; i < 6600; i++) {
      map.put(i, i);
    }
    long hits = 0;
    for (int i = 0; i < 5280; i++) {
      if (map.remove(i) != null) {
        hits++;
      }
    }
    BucketHashMap.Stats s = map.stats();
    System.out.println(
        "TRUTH hits=" + hits + " tombstones=" + s.tombstones() + " slots=" + s.slots());
    Thread.sleep(Long.parseLong(args[0]));
    System.out.println(map.size());
  }
}
