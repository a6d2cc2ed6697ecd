package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
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
    return sideBySide(
        SteadyChurn::sessionTable,
        method(SteadyChurn.class, "sessionTable"),
        this::churn,
        budget,
        (map, c) ->
            progress(
                "BucketHashMap: %,d sessions turned over at %,d live: B=%d, %,d same-size grows",
                c.deleteHits, size, map.stats().B(), map.stats().sameSizeGrows()));
  }

  /** Keeps {@code size} live keys; each step expires the oldest and adds a new one. */
  private long churn(Map<Long, Long> map, Counter c, long budgetNanos, long maxSteps) {
    long next = 0;
    for (; next < size; next++) {
      map.put(next, next);
      c.inserts++;
    }
    long deadline = deadline(budgetNanos);
    long steps = 0;
    while (more(steps, maxSteps, deadline)) {
      c.delete(map.remove(next - size) != null);
      map.put(next, next);
      c.inserts++;
      next++;
      steps++;
    }
    return steps;
  }
}
