package io.tombscope.agent.it;

import io.tombscope.agent.it.lib.TinyLibrary;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Big JDK maps among thousands of small ones, under the agent's defaults, each case in its own
 * method so each has its own site; prints what it did on one {@code TRUTH} line for {@link
 * JdkTrackingIT}. Run with the cases to do as arguments: {@code big}, {@code dies}, {@code misses},
 * {@code library}, {@code churn}.
 */
public final class JdkTrackingProgram {
  private static final List<Object> KEEP = new ArrayList<>();
  private static final Map<String, String> TRUTH = new java.util.LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    if (!io.tombscope.agent.Tombscope.awaitInstrumented(60_000)) {
      throw new IllegalStateException("the JDK's maps were not instrumented in time");
    }
    for (String c : args) {
      switch (c) {
        case "big" -> {
          smallMaps();
          bigHashMap();
          bigWeakHashMap();
        }
        case "dies" -> drainedMapThatDies();
        case "misses" -> missStorm();
        case "library" -> library();
        case "churn" -> churn();
        default -> throw new IllegalArgumentException(c);
      }
    }
    StringBuilder line = new StringBuilder("TRUTH");
    TRUTH.forEach((name, values) -> line.append(' ').append(name).append(':').append(values));
    System.out.println(line);
    Thread.sleep(300); // one more interval: the gauges of the maps still alive
  }

  private static void truth(String name, String key, long value) {
    TRUTH.merge(name, key + '=' + value, (a, b) -> a + ',' + b);
  }

  /** 5,000 small maps, each with a few deletes: never tracked but for the odd sampled one. */
  static void smallMaps() {
    long deletes = 0;
    for (int i = 0; i < 5_000; i++) {
      Map<Integer, Integer> m = new HashMap<>();
      for (int k = 0; k < 8; k++) {
        m.put(k, k);
      }
      for (int k = 0; k < 4; k++) {
        deletes += m.remove(k) != null ? 1 : 0;
      }
      deletes += m.remove(-1) == null ? 1 : 0;
      KEEP.add(m);
    }
    truth("small", "deletes", deletes);
  }

  /** One HashMap of 20,000 keys, 15,000 removed and 1,000 missed: tracked once it grows. */
  static void bigHashMap() {
    Map<Long, Long> m = new HashMap<>();
    KEEP.add(m);
    for (long i = 0; i < 20_000; i++) {
      m.put(i, i);
    }
    long hits = 0;
    long misses = 0;
    for (long i = 0; i < 15_000; i++) {
      hits += m.remove(i) != null ? 1 : 0;
    }
    for (long i = 0; i < 1_000; i++) {
      misses += m.remove(-1 - i) == null ? 1 : 0;
    }
    truth("bigHash", "deleteHits", hits);
    truth("bigHash", "deleteMisses", misses);
    truth("bigHash", "sizePeak", 20_000);
  }

  /** One WeakHashMap of 10,000 strongly held keys, 8,000 removed. */
  static void bigWeakHashMap() {
    Map<Object, Integer> m = new WeakHashMap<>();
    List<Object> keys = new ArrayList<>();
    KEEP.add(m);
    KEEP.add(keys);
    for (int i = 0; i < 10_000; i++) {
      Object key = Integer.valueOf(1_000_000 + i).toString();
      keys.add(key);
      m.put(key, i);
    }
    long hits = 0;
    for (int i = 0; i < 8_000; i++) {
      hits += m.remove(keys.get(i)) != null ? 1 : 0;
    }
    truth("bigWeak", "deleteHits", hits);
    truth("bigWeak", "sizePeak", 10_000);
  }

  /** A map filled to 50,000, drained to 10, kept a while, then dropped and collected. */
  static void drainedMapThatDies() throws InterruptedException {
    Map<Long, Long> m = new HashMap<>();
    for (long i = 0; i < 50_000; i++) {
      m.put(i, i);
    }
    for (long i = 10; i < 50_000; i++) {
      m.remove(i);
    }
    Thread.sleep(350); // held drained across gauges
    WeakReference<Object> ref = new WeakReference<>(m);
    m = null;
    for (int i = 0; i < 100 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    truth("dies", "collected", ref.get() == null ? 1 : 0);
    truth("dies", "sizePeak", 50_000);
    Thread.sleep(300); // gauges after its death
  }

  /** A big map, then 3,000 deletes of absent keys from one line. */
  static void missStorm() {
    Map<Long, Long> m = new HashMap<>();
    KEEP.add(m);
    for (long i = 0; i < 5_000; i++) {
      m.put(i, i);
    }
    long misses = 0;
    for (long i = 0; i < 3_000; i++) {
      misses += m.remove(-1 - i) == null ? 1 : 0; // the deleting line
    }
    truth("storm", "deleteMisses", misses);
  }

  /**
   * A recursion guard: one small set (never past 16 slots) that adds and removes a key on every
   * visit, 1,000,000 times: too small to grow, unlikely to be sampled, and most of the deletes.
   */
  static void churn() {
    java.util.Set<Long> visiting = new java.util.HashSet<>();
    KEEP.add(visiting);
    long hits = 0;
    for (long i = 0; i < 1_000_000; i++) {
      visiting.add(i);
      hits += visiting.remove(i) ? 1 : 0; // the deleting line
    }
    truth("churn", "deleteHits", hits);
  }

  /** A library's map, built and grown ten calls deep in the library, from this line. */
  static void library() {
    TinyLibrary cache = new TinyLibrary();
    KEEP.add(cache);
    for (long i = 0; i < 10_000; i++) {
      cache.put(i, 10); // the program's line that reaches the library's map
    }
    long hits = 0;
    for (long i = 0; i < 9_000; i++) {
      hits += cache.invalidate(i) ? 1 : 0;
    }
    truth("library", "deleteHits", hits);
  }
}
