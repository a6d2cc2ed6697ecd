package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * App threads keep writing their own maps, each checked against a {@link HashMap} oracle, while the
 * main thread runs releases. Prints {@code RESULT ok mismatches=0 compacted=N}.
 */
public final class ConcurrentReleaseProgram {
  private ConcurrentReleaseProgram() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int keyRange = Integer.parseInt(args[1]);
    long seed = Long.parseLong(args[2]);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    long[] mismatches = new long[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread w =
          new Thread(
              () -> {
                SplittableRandom random = new SplittableRandom(seed + id);
                BucketHashMap<Integer, Integer> map = new BucketHashMap<>();
                Map<Integer, Integer> oracle = new HashMap<>();
                for (int i = 0; i < keyRange; i++) {
                  map.put(i, i);
                  oracle.put(i, i);
                }
                long ops = 0;
                while (!stop.get() || ops < 100_000) {
                  int k = random.nextInt(keyRange * 2);
                  if (random.nextInt(3) == 0) {
                    map.put(k, (int) ops);
                    oracle.put(k, (int) ops);
                  } else {
                    if (!java.util.Objects.equals(map.remove(k), oracle.remove(k))) {
                      mismatches[id]++;
                    }
                  }
                  if (++ops % 50_000 == 0 && !map.equals(oracle)) {
                    mismatches[id]++;
                  }
                }
                if (!map.equals(oracle) || !oracle.equals(map)) {
                  mismatches[id]++;
                }
              });
      workers.add(w);
      w.start();
    }
    int compacted = 0;
    for (int i = 0; i < 3; i++) {
      Thread.sleep(150);
      String event = JmxRelease.releaseAsJson("jmx");
      int at = event.indexOf("\"mapsCompacted\":") + "\"mapsCompacted\":".length();
      compacted += Integer.parseInt(event.substring(at, event.indexOf(',', at)));
    }
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    long total = 0;
    for (long m : mismatches) {
      total += m;
    }
    System.out.println(
        "RESULT "
            + (total == 0 ? "ok" : "broken")
            + " mismatches="
            + total
            + " compacted="
            + compacted);
  }
}
