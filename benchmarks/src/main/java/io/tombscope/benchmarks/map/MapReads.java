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
 * Lookups and iteration on a map holding {@code size} {@code Long} keys, {@code BucketHashMap}
 * against {@code java.util.HashMap}: nanoseconds per lookup, and per full iteration.
 *
 * <p>Each lookup invocation walks {@value #BATCH} keys of a shuffled sequence, so the map sees the
 * whole key set (and its cache misses at 1M keys) rather than one hot key. The maps are filled once
 * per trial and never change.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MapReads {
  static final int BATCH = 1024;

  @Param({"BucketHashMap", "HashMap"})
  public MapKind impl;

  @Param({"1000", "1000000"})
  public int size;

  private Map<Long, Long> map;
  private Long[] hits;
  private Long[] misses;
  private int cursor;

  @Setup
  public void fill() {
    Long[] keys = Keys.distinct(2 * size, 42);
    map = impl.create();
    Long[] present = new Long[size];
    Long[] absent = new Long[size];
    for (int i = 0; i < size; i++) {
      present[i] = keys[i];
      absent[i] = keys[size + i];
      map.put(keys[i], keys[i]);
    }
    // A length that is a multiple of BATCH keeps every invocation exactly BATCH lookups long.
    int length = Keys.roundUp(size, BATCH);
    hits = Keys.lookupOrder(present, length, 1);
    misses = Keys.lookupOrder(absent, length, 2);
  }

  private int nextBatch() {
    int from = cursor;
    int next = from + BATCH;
    cursor = next == hits.length ? 0 : next;
    return from;
  }

  /** A lookup of a present key. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long getHit() {
    Long[] keys = hits;
    long sum = 0;
    for (int i = nextBatch(), end = i + BATCH; i < end; i++) {
      sum += map.get(keys[i]);
    }
    return sum;
  }

  /** A lookup of an absent key: the walk goes on to the end of the bucket's chain. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int getMiss() {
    Long[] keys = misses;
    int found = 0;
    for (int i = nextBatch(), end = i + BATCH; i < end; i++) {
      if (map.get(keys[i]) != null) {
        found++;
      }
    }
    return found;
  }

  /** One iteration over every entry; divide by {@code size} for the time per entry. */
  @Benchmark
  public long iterate() {
    long sum = 0;
    for (Map.Entry<Long, Long> e : map.entrySet()) {
      sum += e.getKey() ^ e.getValue();
    }
    return sum;
  }
}
