package io.tombscope.benchmarks.map;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * Delete-and-insert churn at a constant {@code size} live keys, {@code BucketHashMap} against
 * {@code java.util.HashMap}: nanoseconds per pair of one remove and one put of an absent key.
 *
 * <p>This is the workload that fills a Go-style map with tombstones: the live keys are a window
 * sliding over a ring of {@code 2 × size} keys; each operation removes the oldest key of the window
 * and inserts the key just past it, which was removed {@code size} operations earlier. The map
 * lives for the whole trial, so the measurement covers the steady state, tombstone reuse and
 * same-size grows included, not a freshly built map.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MapChurn {
  static final int BATCH = 1024;

  @Param({"BucketHashMap", "HashMap"})
  public MapKind impl;

  @Param({"1000", "1000000"})
  public int size;

  private Map<Long, Long> map;
  private Long[] ring;
  private int oldest;

  @Setup
  public void fill() {
    ring = Keys.distinct(2 * size, 5);
    map = impl.create();
    for (int i = 0; i < size; i++) {
      map.put(ring[i], ring[i]);
    }
    oldest = 0;
  }

  /** One remove of the oldest live key and one put of an absent key. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Map<Long, Long> churn() {
    Map<Long, Long> m = map;
    Long[] keys = ring;
    int n = keys.length;
    int out = oldest;
    int in = out + size;
    if (in >= n) {
      in -= n;
    }
    for (int i = 0; i < BATCH; i++) {
      m.remove(keys[out]);
      Long k = keys[in];
      m.put(k, k);
      if (++out == n) {
        out = 0;
      }
      if (++in == n) {
        in = 0;
      }
    }
    oldest = out;
    return m;
  }
}
