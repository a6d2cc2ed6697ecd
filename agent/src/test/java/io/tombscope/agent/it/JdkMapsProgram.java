package io.tombscope.agent.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uses each family of JDK map in its own method (so each has its own allocation site) and prints
 * what it did on one {@code TRUTH} line, for {@link JdkMapsIT} to compare with the recording. The
 * concurrent part has threads hammer shared ConcurrentHashMaps and private HashMaps at once.
 */
public final class JdkMapsProgram {
  private static final List<Object> KEEP = new ArrayList<>();
  private static final StringBuilder TRUTH = new StringBuilder("TRUTH");

  public static void main(String[] args) throws Exception {
    if (!io.tombscope.agent.Tombscope.awaitInstrumented(60_000)) {
      throw new IllegalStateException("the JDK's maps were not instrumented in time");
    }
    hashMap();
    linkedHashMap();
    identityHashMap();
    weakHashMap();
    threadLocals();
    concurrent(Integer.parseInt(args.length > 0 ? args[0] : "4"));
    System.out.println(TRUTH);
    Thread.sleep(300); // one more interval: the gauges of the maps still alive
  }

  private static void truth(String name, long... keyValues) {
    String[] keys = {"deleteHits", "deleteMisses", "silentDeletes", "growsLoad", "extra"};
    TRUTH.append(' ').append(name).append(':');
    for (int i = 0; i < keyValues.length; i++) {
      TRUTH.append(i == 0 ? "" : ",").append(keys[i]).append('=').append(keyValues[i]);
    }
  }

  static void hashMap() {
    Map<Long, Long> m = new HashMap<>();
    KEEP.add(m);
    for (long i = 0; i < 20_000; i++) {
      m.put(i, i);
    }
    long hits = 0;
    long misses = 0;
    for (long i = 0; i < 20_000; i += 2) {
      hits += m.remove(i) != null ? 1 : 0;
    }
    for (long i = 1; i <= 500; i++) {
      misses += m.remove(-i) == null ? 1 : 0;
    }
    m.put(-1L, null);
    m.remove(-1L); // a hit that returns null
    hits++;
    m.keySet().removeIf(k -> k % 10 == 1); // the iterator path
    hits += 2_000;
    m.computeIfPresent(3L, (k, v) -> null); // the compute path
    hits++;
    // 16 -> 32768 slots: 11 doublings (the first allocation is not a resize).
    truth("hashmap", hits, misses, 1, 11);
  }

  static void linkedHashMap() {
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    KEEP.add(m);
    for (int i = 0; i < 1000; i++) {
      m.put("k" + i, "v");
    }
    m.entrySet().removeIf(e -> e.getKey().endsWith("7"));
    m.remove("absent");
    truth("linked", 100, 1, 0, 7);
  }

  static void identityHashMap() {
    IdentityHashMap<Object, Integer> m = new IdentityHashMap<>();
    KEEP.add(m);
    Object[] keys = new Object[600];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new Object();
      m.put(keys[i], i);
    }
    for (int i = 0; i < 300; i++) {
      m.remove(keys[i]);
    }
    m.remove(new Object());
    // Java 17 inherits remove(key, value) from Map, which calls remove(key) only on a match.
    m.remove(keys[401], m.get(keys[401]));
    m.remove(keys[402], -1); // a mismatched value: a miss
    // Iterator removals close the gap in the live table without calling remove(key).
    int viaIterator = 0;
    for (var it = m.keySet().iterator(); it.hasNext(); ) {
      if (it.next() == keys[500] || m.size() > 250) {
        it.remove();
        viaIterator++;
      }
    }
    // A table of 64 references (32 pairs) doubles whenever it is a third full: to 2048.
    truth("identity", 301 + viaIterator, 2, 0, 5);
  }

  static void weakHashMap() throws InterruptedException {
    WeakHashMap<Object, String> m = new WeakHashMap<>();
    KEEP.add(m);
    List<Object> all = new ArrayList<>();
    List<Object> strong = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      Object k = new Object();
      m.put(k, "v");
      all.add(k);
      if (i % 5 == 0) {
        strong.add(k);
      }
    }
    m.remove(strong.get(0));
    Object nullValued = new Object();
    m.put(nullValued, null);
    m.remove(nullValued); // a hit that returns null
    m.remove(new Object());
    m.remove(strong.get(1), "other"); // a mismatched value: a miss
    // Drop 4,000 keys at once; size() expunges whatever the collector has queued so far.
    all = null;
    for (int tries = 0; m.size() > strong.size() - 1 && tries < 100; tries++) {
      System.gc();
      Thread.sleep(20);
    }
    KEEP.add(strong);
    truth("weak", 2, 2, 1, 9, 4_000);
  }

  static void threadLocals() throws InterruptedException {
    long[] done = new long[2];
    Thread t =
        new Thread(
            () -> {
              List<ThreadLocal<String>> locals = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                ThreadLocal<String> local = new ThreadLocal<>();
                local.set("v" + i);
                locals.add(local);
              }
              for (int i = 0; i < 20; i++) {
                locals.get(i).remove();
                done[0]++;
              }
              new ThreadLocal<String>().remove(); // absent from this thread's map
              done[1]++;
            },
            "locals");
    t.start();
    t.join();
    truth("threadlocal", done[0], done[1]);
  }

  static void concurrent(int threads) throws Exception {
    ConcurrentHashMap<Integer, Integer> shared = new ConcurrentHashMap<>();
    KEEP.add(shared);
    AtomicLong hits = new AtomicLong();
    AtomicLong misses = new AtomicLong();
    AtomicLong privateHits = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    int perThread = 50_000;
    for (int w = 0; w < threads; w++) {
      int base = w * perThread;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                Map<Integer, Integer> own = privateMap();
                for (int i = 0; i < perThread; i++) {
                  shared.put(base + i, i);
                  own.put(i, i);
                  if (i % 3 == 0) {
                    hits.addAndGet(shared.remove(base + i / 3) != null ? 1 : 0);
                    misses.addAndGet(shared.remove(-1 - i) == null ? 1 : 0);
                    privateHits.addAndGet(own.remove(i / 3) != null ? 1 : 0);
                  }
                }
              },
              "worker-" + w);
      workers.add(t);
      t.start();
    }
    start.countDown();
    for (Thread t : workers) {
      t.join();
    }
    shared.clear(); // one clear, not deletes
    truth("concurrent", hits.get(), misses.get());
    truth("private", privateHits.get(), 0, 0, 0, threads);
  }

  static Map<Integer, Integer> privateMap() {
    return new HashMap<>();
  }
}
