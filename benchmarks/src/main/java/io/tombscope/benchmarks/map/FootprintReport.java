package io.tombscope.benchmarks.map;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.map.BucketHashMap;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Bytes per entry of each map's own structure, measured with JOL: the size of the whole object
 * graph reachable from a filled map, minus the sizes of its key and value objects, divided by the
 * number of entries. Prints one row per size and the ratio {@code BucketHashMap / HashMap} (target:
 * at most {@value #TARGET_RATIO}).
 *
 * <pre>java -Xmx3g -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.map.FootprintReport
 * </pre>
 *
 * <p>Arguments, optional: the entry counts to measure (default 1000 100000 1000000).
 */
public final class FootprintReport {
  static final double TARGET_RATIO = 0.6;

  private FootprintReport() {}

  /** One measurement: bytes of the map's own objects, and how many entries it held. */
  record Footprint(MapKind kind, int entries, long structureBytes, long estimatedBytes) {
    double bytesPerEntry() {
      return (double) structureBytes / entries;
    }
  }

  public static void main(String[] args) {
    List<Integer> sizes = new ArrayList<>();
    try {
      for (String a : args) {
        sizes.add(Arguments.positiveInt(a, "entry count"));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("FootprintReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1_000, 100_000, 1_000_000);
    }
    System.out.println(VM.current().details());
    System.out.printf(
        Locale.ROOT,
        "%10s %20s %20s %12s %8s %8s%n",
        "entries",
        "BucketHashMap B/e",
        "(its estimatedBytes)",
        "HashMap B/e",
        "ratio",
        "target");
    for (int n : sizes) {
      Footprint bucket = measure(MapKind.BucketHashMap, n);
      Footprint hash = measure(MapKind.HashMap, n);
      double ratio = bucket.bytesPerEntry() / hash.bytesPerEntry();
      System.out.printf(
          Locale.ROOT,
          "%10d %20.1f %20.1f %12.1f %8.2f %8s%n",
          n,
          bucket.bytesPerEntry(),
          (double) bucket.estimatedBytes() / n,
          hash.bytesPerEntry(),
          ratio,
          ratio <= TARGET_RATIO ? "met" : "MISSED");
    }
  }

  /** Fills a new map of {@code kind} with {@code n} distinct keys and values, and measures it. */
  static Footprint measure(MapKind kind, int n) {
    Long[] keys = Keys.distinct(n, 11);
    Map<Long, Long> map = kind.create();
    for (Long k : keys) {
      // A value object of its own, as in real maps, so that no value is shared with a key.
      map.put(k, Long.valueOf(~k));
    }
    long estimated = map instanceof BucketHashMap<?, ?> b ? b.stats().estimatedBytes() : -1;
    return new Footprint(kind, n, structureBytes(map), estimated);
  }

  /** Bytes of every object reachable from {@code map} except its keys and values. */
  static long structureBytes(Map<?, ?> map) {
    long total = GraphLayout.parseInstance(map).totalSize();
    return total - payloadBytes(map);
  }

  /** Bytes of the distinct key and value objects of {@code map}, each counted once. */
  static long payloadBytes(Map<?, ?> map) {
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    long bytes = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      for (Object o : new Object[] {e.getKey(), e.getValue()}) {
        if (o != null && seen.put(o, Boolean.TRUE) == null) {
          bytes += VM.current().sizeOf(o);
        }
      }
    }
    return bytes;
  }
}
