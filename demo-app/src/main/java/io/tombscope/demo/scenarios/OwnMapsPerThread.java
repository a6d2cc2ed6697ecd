package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Worker threads, each owning its own maps (the map is not thread-safe; ownership is how real code
 * uses it): a per-thread cache with churn. All of them are one allocation site.
 */
public final class OwnMapsPerThread extends Scenario {
  private final int threads;

  public OwnMapsPerThread(int size, int threads, long seed, PrintStream out) {
    super(size, seed, out);
    this.threads = threads;
  }

  @Override
  public String name() {
    return "threads";
  }

  private static BucketHashMap<Long, Long> workerCache() {
    return new BucketHashMap<>();
  }

  @Override
  public List<GroundTruth> run(Duration budget) {
    Counter bucket = new Counter();
    long start = System.nanoTime();
    long[] sizes = new long[1];
    List<Long> steps = runAll(true, budget.toNanos(), null, bucket, sizes);
    long bucketNanos = System.nanoTime() - start;
    long bucketSize = sizes[0];
    progress(
        "BucketHashMap: %d threads, %,d deletes in their own maps",
        threads, bucket.deleteHits + bucket.deleteMisses);
    Counter hash = new Counter();
    start = System.nanoTime();
    runAll(false, Long.MAX_VALUE, steps, hash, sizes);
    long hashNanos = System.nanoTime() - start;
    progress("HashMap: the same operations in %,d ms", hashNanos / 1_000_000);
    return List.of(
        truth(
                BucketHashMap.class.getName(),
                method(OwnMapsPerThread.class, "workerCache"),
                bucket,
                bucketSize,
                null,
                bucketNanos)
            .put("threads", threads),
        truth(
            HashMap.class.getName(),
            method(OwnMapsPerThread.class, "runAll"),
            hash,
            sizes[0],
            null,
            hashNanos));
  }

  private List<Long> runAll(
      boolean bucketMaps, long budgetNanos, List<Long> maxSteps, Counter total, long[] finalSize) {
    List<Thread> workers = new ArrayList<>();
    Counter[] counters = new Counter[threads];
    long[] steps = new long[threads];
    long[] sizes = new long[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      counters[t] = new Counter();
      Thread w =
          new Thread(
              () -> {
                Map<Long, Long> own = bucketMaps ? workerCache() : new HashMap<>();
                counters[id].maps++;
                steps[id] =
                    churn(
                        own,
                        counters[id],
                        budgetNanos,
                        maxSteps == null ? -1 : maxSteps.get(id),
                        id);
                sizes[id] = own.size();
              },
              "demo-worker-" + t);
      workers.add(w);
      w.start();
    }
    List<Long> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      try {
        workers.get(t).join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      total.add(counters[t]);
      done.add(steps[t]);
    }
    finalSize[0] = 0;
    for (long s : sizes) {
      finalSize[0] += s;
    }
    return done;
  }

  private long churn(Map<Long, Long> map, Counter c, long budgetNanos, long maxSteps, int id) {
    long live = Math.max(100, size / threads);
    long base = (long) id << 40;
    long next = 0;
    for (; next < live; next++) {
      map.put(base + next, next);
      c.inserts++;
    }
    long deadline = System.nanoTime() + Math.min(budgetNanos, Long.MAX_VALUE / 2);
    long steps = 0;
    while (maxSteps < 0 ? (steps & 1023) != 0 || System.nanoTime() < deadline : steps < maxSteps) {
      c.delete(map.remove(base + next - live) != null);
      if ((steps & 7) == 0) {
        c.delete(map.remove(base - 1 - steps) != null); // an already-gone key
      }
      map.put(base + next, next);
      c.inserts++;
      next++;
      steps++;
    }
    return steps;
  }
}
