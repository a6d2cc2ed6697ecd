package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A program for the live view's tests: eight allocation sites delete a known number of keys in ten
 * rounds a few hundred milliseconds apart (so a scraper sees the counts rise), then it prints
 * {@code DONE hits=H misses=M grows=G} and keeps its maps alive until it is killed or {@code
 * args[0]} seconds have passed.
 */
public final class LiveProgram {
  private LiveProgram() {}

  static List<BucketHashMap<Integer, Integer>> maps;

  public static void main(String[] args) throws Exception {
    // One statement a site: a site is the stack that constructed the map, line numbers included.
    BucketHashMap<Integer, Integer> m1 = new BucketHashMap<>(0, 1L);
    BucketHashMap<Integer, Integer> m2 = new BucketHashMap<>(0, 2L);
    BucketHashMap<Integer, Integer> m3 = new BucketHashMap<>(0, 3L);
    BucketHashMap<Integer, Integer> m4 = new BucketHashMap<>(0, 4L);
    BucketHashMap<Integer, Integer> m5 = new BucketHashMap<>(0, 5L);
    BucketHashMap<Integer, Integer> m6 = new BucketHashMap<>(0, 6L);
    BucketHashMap<Integer, Integer> m7 = new BucketHashMap<>(0, 7L);
    BucketHashMap<Integer, Integer> m8 = new BucketHashMap<>(0, 8L);
    maps = List.of(m1, m2, m3, m4, m5, m6, m7, m8);
    Path go = Path.of(args[1]);
    for (int i = 0; i < 600 && !Files.exists(go); i++) {
      Thread.sleep(100);
    }
    long hits = 0;
    long misses = 0;
    int next = 0;
    for (int round = 0; round < 10; round++) {
      for (int m = 0; m < maps.size(); m++) {
        BucketHashMap<Integer, Integer> map = maps.get(m);
        int first = next;
        for (int i = 0; i < 400; i++) {
          map.put(next++, i);
        }
        // Site m deletes (m + 1) * 30 keys it holds and 7 it never held.
        for (int i = 0; i < (m + 1) * 30; i++) {
          hits += map.remove(first + i) != null ? 1 : 0;
        }
        for (int i = 0; i < 7; i++) {
          misses += map.remove(-1 - i) == null ? 1 : 0;
        }
      }
      Thread.sleep(300);
    }
    long grows = 0;
    for (BucketHashMap<Integer, Integer> map : maps) {
      grows += map.stats().grows();
    }
    System.out.println("DONE hits=" + hits + " misses=" + misses + " grows=" + grows);
    System.out.flush();
    Thread.sleep(Long.parseLong(args[0]) * 1000);
  }
}
