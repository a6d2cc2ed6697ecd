package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.map.BucketHashMap;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A program with many distinct map allocation sites, run by {@link AgentHeapReport} with and
 * without the agent. It defines {@code n} classes at run time, each constructing a {@code
 * BucketHashMap} in its own method, so the agent sees {@code n} different allocation stacks; it
 * makes every map grow, delete present and absent keys (so each site gets its counters, call sites
 * and histograms), keeps the maps reachable, waits for the agent to flush, and prints the heap used
 * after a full GC as {@code heapUsedBytes=N}.
 *
 * <p>Given the agent's flush interval and a number of busy sites, it also keeps that many maps
 * churning on a thread of their own while the agent flushes, and prints what the agent's flusher
 * thread allocates per interval meanwhile as {@code flusherBytesPerInterval=N} ({@code -1} without
 * the agent), measured with {@code ThreadMXBean.getThreadAllocatedBytes}: garbage that a heap read
 * after a full GC cannot see.
 *
 * <p>Arguments: the number of sites, how long to wait in milliseconds, and optionally the agent's
 * interval in milliseconds and the number of busy sites.
 */
public final class AllocationSites {
  static final String RESULT_PREFIX = "heapUsedBytes=";
  static final String FLUSHER_PREFIX = "flusherBytesPerInterval=";
  private static final String FLUSHER_THREAD = "tombscope-flusher";
  private static final int MEASURED_INTERVALS = 10;
  private static final int KEYS_PER_MAP = 200;

  private AllocationSites() {}

  public static void main(String[] args) throws Exception {
    int sites;
    long waitMillis;
    long intervalMillis = 0;
    int busy = 0;
    try {
      if (args.length != 2 && args.length != 4) {
        throw new IllegalArgumentException(
            "usage: AllocationSites SITES WAIT_MILLIS [INTERVAL_MILLIS BUSY_SITES]");
      }
      sites = Arguments.positiveInt(args[0], "SITES");
      waitMillis = Arguments.positiveInt(args[1], "WAIT_MILLIS");
      if (args.length == 4) {
        intervalMillis = Arguments.positiveInt(args[2], "INTERVAL_MILLIS");
        busy = Math.min(sites, Arguments.positiveInt(args[3], "BUSY_SITES"));
      }
    } catch (IllegalArgumentException e) {
      System.err.println("AllocationSites: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<Supplier<Map<Long, Long>>> factories = defineSites(sites);
    List<Map<Long, Long>> maps = new ArrayList<>(sites);
    for (Supplier<Map<Long, Long>> factory : factories) {
      maps.add(exercise(factory.get()));
    }
    Thread.sleep(waitMillis);
    if (busy > 0) {
      AtomicBoolean stop = new AtomicBoolean();
      List<Map<Long, Long>> busyMaps = maps.subList(0, busy);
      Thread churn = new Thread(() -> churn(busyMaps, stop), "busy-sites");
      churn.start();
      long perInterval = flusherBytesPerInterval(intervalMillis);
      stop.set(true);
      churn.join();
      System.out.println(FLUSHER_PREFIX + perInterval);
    }
    System.out.println(RESULT_PREFIX + heapUsedAfterGc());
    Reference.reachabilityFence(maps);
    Reference.reachabilityFence(factories);
  }

  /** {@code n} factories, each a class of its own whose {@code get()} constructs the map. */
  static List<Supplier<Map<Long, Long>>> defineSites(int n) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    List<Supplier<Map<Long, Long>>> factories = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Class<?> type =
          new ByteBuddy()
              .subclass(Object.class)
              .implement(Supplier.class)
              .name(AllocationSites.class.getPackageName() + ".GeneratedSite" + i)
              .method(ElementMatchers.named("get"))
              .intercept(MethodCall.construct(BucketHashMap.class.getConstructor()))
              .make()
              .load(
                  AllocationSites.class.getClassLoader(),
                  ClassLoadingStrategy.UsingLookup.of(lookup))
              .getLoaded();
      @SuppressWarnings("unchecked") // the generated get() returns a new BucketHashMap<Long, Long>
      Supplier<Map<Long, Long>> factory =
          (Supplier<Map<Long, Long>>) type.getDeclaredConstructor().newInstance();
      factories.add(factory);
    }
    return factories;
  }

  /**
   * Grows {@code map} through several doublings, then deletes half its keys and some absent ones.
   */
  static Map<Long, Long> exercise(Map<Long, Long> map) {
    for (long k = 0; k < KEYS_PER_MAP; k++) {
      map.put(k * 0x9E3779B97F4A7C15L, k);
    }
    for (long k = 0; k < KEYS_PER_MAP; k += 2) {
      map.remove(k * 0x9E3779B97F4A7C15L);
    }
    for (long k = 0; k < KEYS_PER_MAP / 10; k++) {
      map.remove(-k - 1);
    }
    return map;
  }

  /** Deletes and inserts in every map of {@code maps}, round after round, until {@code stop}. */
  private static void churn(List<Map<Long, Long>> maps, AtomicBoolean stop) {
    for (long k = 1; !stop.get(); k++) {
      for (Map<Long, Long> map : maps) {
        map.put(-k * 31, k);
        map.remove(-k * 31);
        map.remove(k * 0x9E3779B97F4A7C15L); // absent: the odd keys stay, even ones went
      }
    }
  }

  /**
   * What the agent's flusher allocates per interval over {@value #MEASURED_INTERVALS} intervals, or
   * -1 without the agent. Intervals are counted by the clock, which can only overstate the figure
   * (a slow flush makes fewer intervals than counted).
   */
  private static long flusherBytesPerInterval(long intervalMillis) throws InterruptedException {
    Thread flusher = null;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(FLUSHER_THREAD)) {
        flusher = t;
      }
    }
    if (flusher == null) {
      Thread.sleep(intervalMillis * MEASURED_INTERVALS);
      return -1;
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = flusher.getId();
    long before = threads.getThreadAllocatedBytes(id);
    long start = System.nanoTime();
    Thread.sleep(intervalMillis * MEASURED_INTERVALS);
    long after = threads.getThreadAllocatedBytes(id);
    long intervals = Math.max(1, (System.nanoTime() - start) / 1_000_000 / intervalMillis);
    return (after - before) / intervals;
  }

  private static long heapUsedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    // Several collections, keeping the lowest reading: finalizers and reference processing can hold
    // garbage for one more cycle.
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
