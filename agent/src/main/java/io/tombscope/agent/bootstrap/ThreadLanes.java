package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A tracked {@code ConcurrentHashMap}'s per-delete state, one lane per stripe of threads: its
 * delete counts and its schedule of caller walks and timed removes ({@link JdkProbes}). With one
 * set of fields for the map, every delete of every thread wrote the same cache lines, which then
 * moved between cores at each delete: two threads churning one map ran six times slower than
 * without the agent ({@code ConcurrentChurn}). A thread now writes only its own lane.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>A lane is a {@code long[]} of {@value #LENGTH} longs (128 bytes) that the first thread of
 *       its stripe allocates: no two lanes share a cache line, nor the line pair that adjacent-line
 *       prefetching moves together. A map that one thread deletes from has one lane; one that
 *       threads of every stripe delete from has {@value #STRIPES}, about 1.2 KiB ({@link
 *       #heapBytes}, in the agent's heap estimate).
 *   <li>Counts are exact: the thread that made a lane adds to it with plain adds that only it
 *       makes; another thread of the same stripe adds atomically to separate slots. The flusher's
 *       sums ({@link #addTo}) may see an add one interval late, never lose it.
 *   <li>The schedule's slots are plain and written by the lane's threads only; two threads sharing
 *       a stripe may shift a walk or a timed remove, which are samples anyway.
 *   <li>Once threads contend on the map's count, each lane reads the map's size at one delete in
 *       {@value #SIZE_PERIOD} ({@link #sizeDue}), its first included; until then at every delete.
 * </ol>
 */
final class ThreadLanes {
  /** Stripes of threads: {@code thread id & (STRIPES - 1)}. */
  static final int STRIPES = 8;

  // Slots of a lane. Per kind of delete (CallSites.DELETES, MISSES, SILENT): the deletes so far
  // and, at LAST_WALK + kind, those at the kind's last walk; then the deletes left before the next
  // timed remove. The same layout is a non-concurrent map's schedule (MapRecorder.walks).
  static final int DELETES = 0;
  static final int LAST_WALK = 3;
  static final int LATENCY_DUE = 6;
  static final int SCHEDULE = 7;
  private static final int OWN_HITS = 7;
  private static final int OWN_MISSES = 8;
  private static final int SHARED_HITS = 9;
  private static final int SHARED_MISSES = 10;
  private static final int THREAD = 11;
  private static final int SIZE_DUE = 12;
  private static final int LENGTH = 16;

  /**
   * Deletes of a lane between two reads of the size of a map whose count threads contend on: the
   * sum of its counter cells, which each read takes from the cores that write them, slowing both.
   */
  static final int SIZE_PERIOD = 32;

  /** Heap bytes of a lane, for the agent's estimate. */
  static final long LANE_BYTES = 16 + 8L * LENGTH;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle LANE = MethodHandles.arrayElementVarHandle(long[][].class);

  private final long[][] lanes = new long[STRIPES][];
  private final int latencyPeriod;

  /** Lanes whose timed-remove countdown starts at {@code latencyPeriod} deletes. */
  ThreadLanes(int latencyPeriod) {
    this.latencyPeriod = Math.max(1, latencyPeriod);
  }

  /** A new schedule for a map that one thread at a time writes: no counts, no padding. */
  static long[] schedule(int latencyPeriod) {
    long[] s = new long[SCHEDULE];
    s[LATENCY_DUE] = Math.max(1, latencyPeriod);
    return s;
  }

  /** The lane of the thread {@code threadId}, made on its stripe's first delete. */
  long[] lane(long threadId) {
    int i = (int) threadId & (STRIPES - 1);
    long[] lane = (long[]) LANE.getAcquire(lanes, i);
    return lane != null ? lane : make(i, threadId);
  }

  private long[] make(int i, long threadId) {
    long[] lane = new long[LENGTH];
    lane[LATENCY_DUE] = latencyPeriod;
    lane[THREAD] = threadId;
    lane[SIZE_DUE] = 1;
    Object won = LANE.compareAndExchangeRelease(lanes, i, (long[]) null, lane);
    return won == null ? lane : (long[]) won;
  }

  /** Counts a delete hit of the thread {@code threadId} in its {@code lane}. */
  static void hit(long[] lane, long threadId, long n) {
    if (lane[THREAD] == threadId) {
      lane[OWN_HITS] += n;
    } else {
      SLOT.getAndAdd(lane, SHARED_HITS, n);
    }
  }

  /** Counts a delete miss of the thread {@code threadId} in its {@code lane}. */
  static void miss(long[] lane, long threadId) {
    if (lane[THREAD] == threadId) {
      lane[OWN_MISSES]++;
    } else {
      SLOT.getAndAdd(lane, SHARED_MISSES, 1L);
    }
  }

  /** Whether this delete of the {@code lane}'s thread is one that reads a contended map's size. */
  static boolean sizeDue(long[] lane) {
    if (--lane[SIZE_DUE] > 0) {
      return false;
    }
    lane[SIZE_DUE] = SIZE_PERIOD;
    return true;
  }

  /** Adds the lanes' delete hits and misses to {@code counts}. */
  void addTo(Counts counts) {
    for (int i = 0; i < STRIPES; i++) {
      long[] lane = (long[]) LANE.getAcquire(lanes, i);
      if (lane != null) {
        counts.deleteHits += lane[OWN_HITS] + (long) SLOT.getVolatile(lane, SHARED_HITS);
        counts.deleteMisses += lane[OWN_MISSES] + (long) SLOT.getVolatile(lane, SHARED_MISSES);
      }
    }
  }

  /** Heap bytes of the lanes made so far and their table. */
  long heapBytes() {
    long bytes = 16 + 16 + 4L * STRIPES;
    for (int i = 0; i < STRIPES; i++) {
      if (LANE.getAcquire(lanes, i) != null) {
        bytes += LANE_BYTES;
      }
    }
    return bytes;
  }
}
