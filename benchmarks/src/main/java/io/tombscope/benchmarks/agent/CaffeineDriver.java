package io.tombscope.benchmarks.agent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.SplittableRandom;

/**
 * A program that leans on Caffeine, for {@link RealPrograms}: a bounded loading cache under 3
 * million skewed requests, an unbounded cache of which 95% is invalidated, and 2,000 small caches
 * filled past their bound. Its maps are Caffeine's own ({@code ConcurrentHashMap} inside) and the
 * JDK's. Prints one checksum line, so the work cannot be skipped.
 */
public final class CaffeineDriver {
  private static final int REQUESTS = 3_000_000;
  private static final int KEYS = 200_000;
  private static final int UNBOUNDED = 300_000;
  private static final int SMALL_CACHES = 2_000;

  private CaffeineDriver() {}

  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(42);
    long sum = 0;

    LoadingCache<Integer, String> bounded =
        Caffeine.newBuilder().maximumSize(20_000).build(k -> "v" + k);
    for (int i = 0; i < REQUESTS; i++) {
      double r = random.nextDouble();
      // Skewed: a few keys are hot, most are cold.
      int key = (int) (KEYS * r * r * r);
      sum += bounded.get(key).length();
    }
    bounded.cleanUp();
    sum += bounded.estimatedSize();

    Cache<Integer, Integer> unbounded = Caffeine.newBuilder().build();
    for (int i = 0; i < UNBOUNDED; i++) {
      unbounded.put(i, i);
    }
    for (int i = 0; i < UNBOUNDED; i++) {
      if (i % 20 != 0) {
        unbounded.invalidate(i);
      }
    }
    for (int i = 0; i < UNBOUNDED; i += 7) {
      Integer v = unbounded.getIfPresent(i);
      sum += v == null ? 0 : v;
    }

    for (int c = 0; c < SMALL_CACHES; c++) {
      Cache<Integer, Integer> small = Caffeine.newBuilder().maximumSize(64).build();
      for (int i = 0; i < 200; i++) {
        small.put(i, i);
        Integer v = small.getIfPresent(random.nextInt(200));
        sum += v == null ? 0 : 1;
      }
      small.invalidateAll();
    }
    System.out.println("checksum " + sum);
  }
}
