package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A dedup filter that "forgets" ids it mostly never saw: nine deletes in ten target absent keys.
 * Each miss returns quietly, as Go's delete does, but still walks its chain.
 */
public final class MissStorm extends Scenario {
  public MissStorm(int size, long seed, PrintStream out) {
    super(size, seed, out);
  }

  @Override
  public String name() {
    return "miss-storm";
  }

  private static BucketHashMap<Long, Boolean> seenIds() {
    return new BucketHashMap<>();
  }

  @Override
  public List<GroundTruth> run(Duration budget) {
    Counter bucket = new Counter();
    long start = System.nanoTime();
    BucketHashMap<Long, Boolean> seen = seenIds();
    bucket.maps++;
    long ops = storm(seen, bucket, budget.toNanos(), -1);
    long bucketNanos = System.nanoTime() - start;
    progress(
        "BucketHashMap: %,d deletes, %,d missed (%.0f%%)",
        bucket.deleteHits + bucket.deleteMisses,
        bucket.deleteMisses,
        100.0 * bucket.deleteMisses / Math.max(1, bucket.deleteHits + bucket.deleteMisses));
    Counter hash = new Counter();
    start = System.nanoTime();
    Map<Long, Boolean> plain = new HashMap<>();
    hash.maps++;
    storm(plain, hash, Long.MAX_VALUE, ops);
    long hashNanos = System.nanoTime() - start;
    progress("HashMap: the same %,d operations in %,d ms", ops, hashNanos / 1_000_000);
    return List.of(
        truth(
            BucketHashMap.class.getName(),
            method(MissStorm.class, "seenIds"),
            bucket,
            seen.size(),
            seen,
            bucketNanos),
        truth(
            HashMap.class.getName(),
            method(MissStorm.class, "run"),
            hash,
            plain.size(),
            plain,
            hashNanos));
  }

  private long storm(Map<Long, Boolean> map, Counter c, long budgetNanos, long maxSteps) {
    SplittableRandom random = new SplittableRandom(seed);
    for (long i = 0; i < size; i++) {
      map.put(i, Boolean.TRUE);
      c.inserts++;
    }
    long deadline = System.nanoTime() + Math.min(budgetNanos, Long.MAX_VALUE / 2);
    long steps = 0;
    while (maxSteps < 0 ? (steps & 1023) != 0 || System.nanoTime() < deadline : steps < maxSteps) {
      long id = random.nextLong(10L * size);
      boolean hit = map.remove(id) != null;
      c.delete(hit);
      if (hit) {
        map.put(id, Boolean.TRUE); // seen again: the filter keeps its size
        c.inserts++;
      }
      steps++;
    }
    return steps;
  }
}
