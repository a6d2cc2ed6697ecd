package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
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
    return sideBySide(
        MissStorm::seenIds,
        method(MissStorm.class, "seenIds"),
        this::storm,
        budget,
        (map, c) ->
            progress(
                "BucketHashMap: %,d deletes, %,d missed (%.0f%%)",
                c.deleteHits + c.deleteMisses,
                c.deleteMisses,
                100.0 * c.deleteMisses / Math.max(1, c.deleteHits + c.deleteMisses)));
  }

  private long storm(Map<Long, Boolean> map, Counter c, long budgetNanos, long maxSteps) {
    SplittableRandom random = new SplittableRandom(seed);
    for (long i = 0; i < size; i++) {
      map.put(i, Boolean.TRUE);
      c.inserts++;
    }
    long deadline = deadline(budgetNanos);
    long steps = 0;
    while (more(steps, maxSteps, deadline)) {
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
