package io.tombscope.benchmarks.map;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inserting new keys and removing present ones, {@code BucketHashMap} against {@code
 * java.util.HashMap}: nanoseconds per put or remove.
 *
 * <p>Every invocation works on a map of its own: {@link #putNew} fills a new map with {@value
 * #KEYS} keys (so the growth a fill goes through is part of the cost, as it is in real code), and
 * {@link #remove} empties a map that an untimed per-invocation setup filled. An invocation takes
 * milliseconds, long enough that the per-invocation setup does not distort the timing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MapWrites {
  static final int KEYS = 1 << 16;

  @Param({"BucketHashMap", "HashMap"})
  public MapKind impl;

  private Long[] keys;

  @Setup
  public void keys() {
    keys = Keys.distinct(KEYS, 3);
  }

  /** A map holding every key, refilled before each invocation of {@link #remove}. */
  @State(Scope.Thread)
  public static class Filled {
    Map<Long, Long> map;

    @Setup(Level.Invocation)
    public void fill(MapWrites bench) {
      map = bench.impl.create();
      for (Long k : bench.keys) {
        map.put(k, k);
      }
    }
  }

  /** A put of a key the map does not hold, into a map growing from empty. */
  @Benchmark
  @OperationsPerInvocation(KEYS)
  public Map<Long, Long> putNew() {
    Map<Long, Long> map = impl.create();
    for (Long k : keys) {
      map.put(k, k);
    }
    return map;
  }

  /** A remove of a present key, until the map is empty. */
  @Benchmark
  @OperationsPerInvocation(KEYS)
  public Map<Long, Long> remove(Filled filled) {
    Map<Long, Long> map = filled.map;
    for (Long k : keys) {
      map.remove(k);
    }
    return map;
  }
}
