package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.map.BucketHashMap;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p>Arguments: the number of sites and how long to wait in milliseconds.
 */
public final class AllocationSites {
  static final String RESULT_PREFIX = "heapUsedBytes=";
  private static final int KEYS_PER_MAP = 200;

  private AllocationSites() {}

  public static void main(String[] args) throws Exception {
    int sites;
    long waitMillis;
    try {
      if (args.length != 2) {
        throw new IllegalArgumentException("usage: AllocationSites SITES WAIT_MILLIS");
      }
      sites = Arguments.positiveInt(args[0], "SITES");
      waitMillis = Arguments.positiveInt(args[1], "WAIT_MILLIS");
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
