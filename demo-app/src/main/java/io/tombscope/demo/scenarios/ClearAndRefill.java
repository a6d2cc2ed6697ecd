package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-request scratch map reused across requests: filled, partly deleted, then cleared. Go's
 * clear keeps the bucket array, so the map stays at the size of the largest request.
 */
public final class ClearAndRefill extends Scenario {
  public ClearAndRefill(int size, long seed, PrintStream out) {
    super(size, seed, out);
  }

  @Override
  public String name() {
    return "clear-refill";
  }

  private static BucketHashMap<Integer, Integer> scratch() {
    return new BucketHashMap<>();
  }

  @Override
  public List<GroundTruth> run(Duration budget) {
    Counter bucket = new Counter();
    long start = System.nanoTime();
    BucketHashMap<Integer, Integer> map = scratch();
    bucket.maps++;
    long cycles = cycles(map, bucket, budget.toNanos(), -1);
    long bucketNanos = System.nanoTime() - start;
    progress("BucketHashMap: %,d clear-and-refill cycles, B stays %d", cycles, map.stats().B());
    Counter hash = new Counter();
    start = System.nanoTime();
    Map<Integer, Integer> plain = new HashMap<>();
    hash.maps++;
    cycles(plain, hash, Long.MAX_VALUE, cycles);
    long hashNanos = System.nanoTime() - start;
    progress("HashMap: the same %,d cycles in %,d ms", cycles, hashNanos / 1_000_000);
    return List.of(
        truth(
                BucketHashMap.class.getName(),
                method(ClearAndRefill.class, "scratch"),
                bucket,
                map.size(),
                map,
                bucketNanos)
            .put("clears", cycles),
        truth(
            HashMap.class.getName(),
            method(ClearAndRefill.class, "run"),
            hash,
            plain.size(),
            plain,
            hashNanos));
  }

  private long cycles(Map<Integer, Integer> map, Counter c, long budgetNanos, long maxCycles) {
    long deadline = System.nanoTime() + Math.min(budgetNanos, Long.MAX_VALUE / 2);
    long cycles = 0;
    int fill = Math.max(16, size / 10);
    while (maxCycles < 0 ? System.nanoTime() < deadline || cycles == 0 : cycles < maxCycles) {
      // Request sizes vary: one request in 16 is ten times larger.
      int n = cycles % 16 == 0 ? fill * 10 : fill;
      for (int i = 0; i < n; i++) {
        map.put(i, i);
        c.inserts++;
      }
      for (int i = 0; i < n; i += 4) {
        c.delete(map.remove(i) != null);
      }
      map.clear();
      cycles++;
    }
    return cycles;
  }
}
