package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One delete pattern from real services. Each scenario runs the same operations on {@code
 * BucketHashMap} (which the agent records) and, for comparison, on {@code java.util.HashMap}, and
 * reports both as ground truth.
 */
public abstract class Scenario {
  protected final int size;
  protected final long seed;
  protected final PrintStream out;

  protected Scenario(int size, long seed, PrintStream out) {
    this.size = size;
    this.seed = seed;
    this.out = out;
  }

  /** The scenario's name on the command line. */
  public abstract String name();

  /** Runs for about {@code budget} and returns the ground truth, BucketHashMap side first. */
  public abstract List<GroundTruth> run(Duration budget);

  protected void progress(String format, Object... args) {
    out.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(name(), args));
    out.flush();
  }

  private static Object[] prepend(String first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** Ground truth for one map kind; {@code map} (if a BucketHashMap) adds its final layout. */
  protected GroundTruth truth(
      String mapClass,
      String allocationMethod,
      Counter c,
      long finalSize,
      Map<?, ?> map,
      long nanos) {
    GroundTruth t =
        new GroundTruth(name(), mapClass, allocationMethod)
            .put("mapsCreated", c.maps)
            .put("inserts", c.inserts)
            .put("deletes", c.deleteHits + c.deleteMisses)
            .put("deleteHits", c.deleteHits)
            .put("deleteMisses", c.deleteMisses)
            .put("finalSize", finalSize)
            .put("millis", nanos / 1_000_000);
    if (map instanceof BucketHashMap<?, ?> b) {
      BucketHashMap.Stats s = b.stats();
      t.put("B", s.B())
          .put("tombstones", s.tombstones())
          .put("grows", s.grows())
          .put("sameSizeGrows", s.sameSizeGrows())
          .put("estimatedBytes", s.estimatedBytes());
    }
    return t;
  }

  /** One scenario's operations on any map; returns the steps done (to replay them exactly). */
  @FunctionalInterface
  protected interface Workload<K, V> {
    /**
     * Runs on {@code map} until {@code budgetNanos} have passed or, when {@code maxSteps >= 0}, for
     * exactly that many steps; counts into {@code c}.
     */
    long run(Map<K, V> map, Counter c, long budgetNanos, long maxSteps);
  }

  /**
   * Runs {@code workload} on a map from {@code factory} (a method of the scenario: the map's
   * allocation site) for the budget, then the same number of steps on a {@code HashMap}, and
   * returns both ground truths. {@code describe} prints what the BucketHashMap side shows.
   */
  protected <K, V> List<GroundTruth> sideBySide(
      Supplier<BucketHashMap<K, V>> factory,
      String factoryMethod,
      Workload<K, V> workload,
      Duration budget,
      BiConsumer<BucketHashMap<K, V>, Counter> describe) {
    Counter bucket = new Counter();
    long start = System.nanoTime();
    BucketHashMap<K, V> map = factory.get();
    bucket.maps++;
    long steps = workload.run(map, bucket, budget.toNanos(), -1);
    long bucketNanos = System.nanoTime() - start;
    describe.accept(map, bucket);

    Counter hash = new Counter();
    start = System.nanoTime();
    Map<K, V> plain = new HashMap<>();
    hash.maps++;
    workload.run(plain, hash, Long.MAX_VALUE, steps);
    long hashNanos = System.nanoTime() - start;
    progress(
        "HashMap: the same %,d steps in %,d ms (BucketHashMap: %,d ms)",
        steps, hashNanos / 1_000_000, bucketNanos / 1_000_000);
    return List.of(
        truth(BucketHashMap.class.getName(), factoryMethod, bucket, map.size(), map, bucketNanos),
        truth(
            HashMap.class.getName(),
            method(Scenario.class, "sideBySide"),
            hash,
            plain.size(),
            plain,
            hashNanos));
  }

  /** True while a workload should go on: until the deadline, or for exactly {@code maxSteps}. */
  protected static boolean more(long steps, long maxSteps, long deadlineNanos) {
    // The clock is read once every 1,024 steps: cheaper than the map operations being timed.
    return maxSteps < 0
        ? (steps & 1023) != 0 || System.nanoTime() < deadlineNanos
        : steps < maxSteps;
  }

  protected static long deadline(long budgetNanos) {
    return System.nanoTime() + Math.min(budgetNanos, Long.MAX_VALUE / 2);
  }

  /** Class and method of the caller, as the agent names allocation sites (without the line). */
  protected static String method(Class<?> type, String name) {
    return type.getName() + "." + name;
  }
}
