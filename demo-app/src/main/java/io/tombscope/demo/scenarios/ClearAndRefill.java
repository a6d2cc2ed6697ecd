package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
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
    List<GroundTruth> truths =
        sideBySide(
            ClearAndRefill::scratch,
            method(ClearAndRefill.class, "scratch"),
            this::cycles,
            budget,
            (map, c) ->
                progress(
                    "BucketHashMap: %,d clear-and-refill cycles, B stays %d",
                    clears, map.stats().B()));
    truths.get(0).put("clears", clears);
    return truths;
  }

  private long clears;

  /** Each step is one request: fill, delete a quarter, clear. */
  private long cycles(Map<Integer, Integer> map, Counter c, long budgetNanos, long maxCycles) {
    long deadline = deadline(budgetNanos);
    long cycles = 0;
    int fill = Math.max(16, size / 10);
    // Each cycle is long, so the clock is read every cycle (not every 1,024 steps).
    while (maxCycles >= 0 ? cycles < maxCycles : cycles == 0 || System.nanoTime() < deadline) {
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
    if (maxCycles < 0) {
      clears = cycles;
    }
    return cycles;
  }
}
