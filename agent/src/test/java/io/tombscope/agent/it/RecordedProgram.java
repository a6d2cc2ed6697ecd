package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * A program run under the packaged agent by the forked-JVM tests. It keeps its own exact counts of
 * what it did to its maps and prints them as the last line, {@code TRUTH site-name:key=value ...}.
 */
public final class RecordedProgram {
  private RecordedProgram() {}

  static long hits;
  static long misses;
  // The most tombstones the current map held at once, read from its stats() after every delete.
  static long tombstonesPeak;

  public static void main(String[] args) throws Exception {
    StringBuilder truth = new StringBuilder("TRUTH");
    truth.append(churn()).append(drain()).append(manySmallMaps());
    System.out.println(truth);
    if (args.length > 0 && args[0].equals("linger")) {
      Thread.sleep(Long.parseLong(args[1]));
    }
  }

  private static String churn() {
    hits = 0;
    misses = 0;
    tombstonesPeak = 0;
    BucketHashMap<Long, Long> map = new BucketHashMap<>(0, 42L);
    for (long i = 0; i < 1000; i++) {
      map.put(i, i);
    }
    for (long i = 1000; i < 300_000; i++) {
      count(map.remove(i - 1000) != null);
      seePeak(map);
      map.put(i, i);
      if (i % 3 == 0) {
        count(map.remove(-i) != null);
      }
    }
    return line("churn", map, 1);
  }

  private static String drain() {
    hits = 0;
    misses = 0;
    tombstonesPeak = 0;
    // Fixed seeds throughout: the robustness tests compare the whole truth line across runs.
    BucketHashMap<Integer, String> map = new BucketHashMap<>(0, 7L);
    for (int i = 0; i < 50_000; i++) {
      map.put(i, "v");
    }
    for (var it = map.keySet().iterator(); it.hasNext(); ) {
      if (it.next() % 10 != 0) {
        it.remove();
        hits++;
        seePeak(map);
      }
    }
    // Cleared within the interval: no gauge sees these tombstones, only the agent's running count.
    map.clear();
    return line("drain", map, 1);
  }

  private static String manySmallMaps() {
    hits = 0;
    misses = 0;
    List<BucketHashMap<Integer, Integer>> maps = new ArrayList<>();
    long grows = 0;
    long sameSize = 0;
    long largestMapPeak = 0;
    for (int m = 0; m < 200; m++) {
      BucketHashMap<Integer, Integer> map = new BucketHashMap<>(4, m);
      for (int i = 0; i < 30; i++) {
        map.put(i, i);
      }
      tombstonesPeak = 0;
      for (int i = 0; i < 40; i += 2) {
        count(map.remove(i) != null);
        seePeak(map);
      }
      largestMapPeak = Math.max(largestMapPeak, tombstonesPeak);
      grows += map.stats().grows() - map.stats().sameSizeGrows();
      sameSize += map.stats().sameSizeGrows();
      if (m % 2 == 0) {
        maps.add(map); // half stay alive, half may be collected before the last flush
      }
    }
    System.gc();
    return " small:maps=200,deleteHits="
        + hits
        + ",deleteMisses="
        + misses
        + ",growsLoad="
        + grows
        + ",growsOverflow="
        + sameSize
        + ",live="
        + maps.size()
        + ",largestMapTombstonesPeak="
        + largestMapPeak;
  }

  private static void seePeak(BucketHashMap<?, ?> map) {
    tombstonesPeak = Math.max(tombstonesPeak, map.stats().tombstones());
  }

  private static void count(boolean hit) {
    if (hit) {
      hits++;
    } else {
      misses++;
    }
  }

  private static String line(String name, BucketHashMap<?, ?> map, int maps) {
    BucketHashMap.Stats s = map.stats();
    return " "
        + name
        + ":maps="
        + maps
        + ",deleteHits="
        + hits
        + ",deleteMisses="
        + misses
        + ",growsLoad="
        + (s.grows() - s.sameSizeGrows())
        + ",growsOverflow="
        + s.sameSizeGrows()
        + ",size="
        + s.size()
        + ",tombstonesPeak="
        + tombstonesPeak;
  }
}
