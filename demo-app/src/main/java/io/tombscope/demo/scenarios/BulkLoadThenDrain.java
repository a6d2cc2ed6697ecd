package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch job: loads a large map, processes and deletes most entries, keeps the rest. The map stays
 * at its peak size, full of tombstones, until something compacts it: the scenario asks the agent
 * (when present) for a memory release from its own thread, which trims the map at once.
 */
public final class BulkLoadThenDrain extends Scenario {
  private static final double KEEP = 0.05;

  public BulkLoadThenDrain(int size, long seed, PrintStream out) {
    super(size, seed, out);
  }

  @Override
  public String name() {
    return "drain";
  }

  private static BucketHashMap<Long, String> batch() {
    return new BucketHashMap<>();
  }

  @Override
  public List<GroundTruth> run(Duration budget) {
    int load = size * 20;
    Counter bucket = new Counter();
    long start = System.nanoTime();
    BucketHashMap<Long, String> jobs = batch();
    bucket.maps++;
    loadAndDrain(jobs, bucket, load);
    long bucketNanos = System.nanoTime() - start;
    BucketHashMap.Stats drained = jobs.stats();
    progress(
        "BucketHashMap: loaded %,d, deleted %,d: %,d tombstones, %,d slots for %,d entries (%,d KiB)",
        load,
        bucket.deleteHits,
        drained.tombstones(),
        drained.slots(),
        drained.size(),
        drained.estimatedBytes() / 1024);
    String release = releaseThroughAgent();
    if (release != null) {
      progress("memory release asked of the agent from this thread:");
      release.lines().forEach(l -> progress("  %s", l));
    } else {
      progress("no agent: run under -javaagent to see what a release gives back");
    }
    GroundTruth b =
        truth(
                BucketHashMap.class.getName(),
                method(BulkLoadThenDrain.class, "batch"),
                bucket,
                jobs.size(),
                jobs,
                bucketNanos)
            .put("tombstonesBeforeRelease", drained.tombstones())
            .put("bytesBeforeRelease", drained.estimatedBytes());

    Counter hash = new Counter();
    start = System.nanoTime();
    Map<Long, String> plain = new HashMap<>();
    hash.maps++;
    loadAndDrain(plain, hash, load);
    long hashNanos = System.nanoTime() - start;
    progress(
        "HashMap: the same load and drain in %,d ms (its table stays at peak size too)",
        hashNanos / 1_000_000);
    sleepRest(budget, System.nanoTime() - start + bucketNanos);
    return List.of(
        b,
        truth(
            HashMap.class.getName(),
            method(BulkLoadThenDrain.class, "run"),
            hash,
            plain.size(),
            plain,
            hashNanos));
  }

  private static void loadAndDrain(Map<Long, String> map, Counter c, int load) {
    for (long i = 0; i < load; i++) {
      map.put(i, "job-" + i);
      c.inserts++;
    }
    long keepEvery = Math.round(1 / KEEP);
    for (long i = 0; i < load; i++) {
      if (i % keepEvery != 0) {
        c.delete(map.remove(i) != null);
      }
    }
  }

  /** Tombscope.release() through reflection, so the demo runs with or without the agent. */
  private static String releaseThroughAgent() {
    try {
      Class<?> api = Class.forName("io.tombscope.agent.Tombscope");
      Method release = api.getMethod("release");
      return (String) release.invoke(null);
    } catch (ClassNotFoundException e) {
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "release failed: " + e;
    }
  }

  private static void sleepRest(Duration budget, long usedNanos) {
    long rest = (budget.toNanos() - usedNanos) / 1_000_000;
    if (rest > 0) {
      try {
        Thread.sleep(Math.min(rest, 2_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
