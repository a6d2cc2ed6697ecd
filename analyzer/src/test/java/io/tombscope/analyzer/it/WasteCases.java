package io.tombscope.analyzer.it;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A program whose maps the findings must judge right, one method per case, run under the packaged
 * agent with its defaults by {@code FindingsIT}. The lines the findings must name are marked with a
 * comment that the test looks for ({@code // ALLOCATES}, {@code // DELETES}).
 */
public final class WasteCases {
  private WasteCases() {}

  /** Keeps objects reachable until the end, so the collector cannot hide what they hold. */
  static final List<Object> KEPT = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    awaitInstrumented();
    // Every case in one run: each builds its maps at its own lines, so each is its own sites.
    bigAmongSmall();
    insertOnlyTiny();
    drainedThenDies();
    missStorm();
    usedAsSet();
    libraryBuilt();
    // A last interval, so that every gauge of the run is written before the end.
    Thread.sleep(600);
  }

  /**
   * Waits until the agent has instrumented the JDK's maps, which it does in the background after
   * the program starts (a map built before then is not tracked). By reflection: the agent jar is on
   * the class path only under {@code -javaagent}.
   */
  static void awaitInstrumented() throws Exception {
    Object done =
        Class.forName("io.tombscope.agent.Tombscope")
            .getMethod("awaitInstrumented", long.class)
            .invoke(null, 60_000L);
    if (!Boolean.TRUE.equals(done)) {
      throw new IllegalStateException("the JDK's maps were not instrumented in time");
    }
  }

  /** One big HashMap and one big WeakHashMap, drained, among thousands of small maps. */
  static void bigAmongSmall() throws InterruptedException {
    for (int i = 0; i < 5000; i++) {
      Map<Integer, Integer> small = new HashMap<>(); // TINY
      small.put(i, i);
      small.put(i + 1, i);
      KEPT.add(small);
    }
    Map<Integer, String> big = new HashMap<>(); // ALLOCATES big HashMap
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      keys.add(i);
      big.put(i, "v" + i); // GROWS big HashMap
    }
    Map<Integer, String> weak = new WeakHashMap<>(); // ALLOCATES big WeakHashMap
    for (int i = 0; i < 200_000; i++) {
      weak.put(keys.get(i), "w" + i); // GROWS big WeakHashMap
    }
    for (int i = 0; i < 199_900; i++) {
      big.remove(i);
      weak.remove(keys.get(i));
    }
    KEPT.add(big);
    KEPT.add(weak);
    KEPT.add(keys);
    Thread.sleep(700);
  }

  /** Thousands of maps of one to three entries that nothing deletes from. */
  static void insertOnlyTiny() throws InterruptedException {
    for (int i = 0; i < 20_000; i++) {
      Map<String, Integer> tiny = new HashMap<>(); // TINY
      for (int k = 0; k <= i % 3; k++) {
        tiny.put("k" + k, k); // TINY
      }
      KEPT.add(tiny);
    }
    Thread.sleep(700);
  }

  /** A map loaded, drained and held a while, then dropped and collected before the end. */
  static void drainedThenDies() throws InterruptedException {
    Map<Integer, Integer> batch = new HashMap<>(); // ALLOCATES batch
    for (int i = 0; i < 300_000; i++) {
      batch.put(i, i); // GROWS batch
    }
    for (int i = 0; i < 299_990; i++) {
      batch.remove(i);
    }
    Thread.sleep(1_500);
    batch = null;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
  }

  /** Most deletes of a big map are of absent keys. */
  static void missStorm() throws InterruptedException {
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      index.put(i, i);
    }
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 20_000; i++) {
        index.remove(-1 - i); // DELETES missStorm
      }
    }
    KEPT.add(index);
    Thread.sleep(700);
  }

  /** A map used as a set: every value null, every remove "silent". */
  static void usedAsSet() throws InterruptedException {
    Map<Object, Void> members = new WeakHashMap<>();
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      Object key = Integer.valueOf(i);
      keys.add(key);
      members.put(key, null);
    }
    for (Object key : keys) {
      members.remove(key);
    }
    Map<Object, Void> plain = new HashMap<>();
    for (Object key : keys) {
      plain.put(key, null);
    }
    for (Object key : keys) {
      plain.remove(key);
    }
    KEPT.add(members);
    KEPT.add(plain);
    KEPT.add(keys);
    Thread.sleep(700);
  }

  /** A cache built by a library: filled, then invalidated almost whole. */
  static void libraryBuilt() throws InterruptedException {
    Cache<Integer, String> cache = Caffeine.newBuilder().build(); // ALLOCATES ConcurrentHashMap
    for (int i = 0; i < 200_000; i++) {
      cache.put(i, "v" + i); // GROWS ConcurrentHashMap
    }
    for (int i = 0; i < 190_000; i++) {
      cache.invalidate(i);
    }
    KEPT.add(cache);
    Thread.sleep(700);
  }
}
