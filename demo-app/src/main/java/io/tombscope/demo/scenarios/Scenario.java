package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import io.tombscope.map.BucketHashMap;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

  /** Class and method of the caller, as the agent names allocation sites (without the line). */
  protected static String method(Class<?> type, String name) {
    return type.getName() + "." + name;
  }
}
