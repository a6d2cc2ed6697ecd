package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session table: a fixed number of live sessions, the oldest one expires whenever a new one
 * starts. Constant size, endless deletes: Go's same-size-grow case.
 */
public final class SteadyChurn extends Scenario {
  public SteadyChurn(int size, long seed, PrintStream out) {
    super(size, seed, out);
  }

  @Override
  public String name() {
    return "churn";
  }

  private static BucketHashMap<Long, Long> sessionTable() {
    return new BucketHashMap<>();
  }

  @Override
  public List<GroundTruth> run(Duration budget) {
    Counter bucket = new Counter();
    long start = System.nanoTime();
    BucketHashMap<Long, Long> sessions = sessionTable();
    bucket.maps++;
    long ops = churn(sessions, bucket, budget.toNanos(), -1);
    long bucketNanos = System.nanoTime() - start;
    progress(
        "BucketHashMap: %,d sessions turned over at %,d live: B=%d, %,d same-size grows",
        bucket.deleteHits, size, sessions.stats().B(), sessions.stats().sameSizeGrows());

    Counter hash = new Counter();
    start = System.nanoTime();
    Map<Long, Long> plain = new HashMap<>();
    hash.maps++;
    churn(plain, hash, Long.MAX_VALUE, ops);
    long hashNanos = System.nanoTime() - start;
    progress("HashMap: the same %,d operations in %,d ms", ops, hashNanos / 1_000_000);
    return List.of(
        truth(
            BucketHashMap.class.getName(),
            method(SteadyChurn.class, "sessionTable"),
            bucket,
            sessions.size(),
            sessions,
            bucketNanos),
        truth(
            HashMap.class.getName(),
            method(SteadyChurn.class, "run"),
            hash,
            plain.size(),
            plain,
            hashNanos));
  }

  /** Keeps {@code size} live keys; each step expires the oldest and adds a new one. */
  private long churn(Map<Long, Long> map, Counter c, long budgetNanos, long maxSteps) {
    long deadline = System.nanoTime() + Math.min(budgetNanos, Long.MAX_VALUE / 2);
    long next = 0;
    for (; next < size; next++) {
      map.put(next, next);
      c.inserts++;
    }
    long steps = 0;
    while (maxSteps < 0 ? (steps & 1023) != 0 || System.nanoTime() < deadline : steps < maxSteps) {
      c.delete(map.remove(next - size) != null);
      map.put(next, next);
      c.inserts++;
      next++;
      steps++;
    }
    return steps;
  }
}
