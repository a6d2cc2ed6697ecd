package io.tombscope.benchmarks.map;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Pre-boxed {@code Long} keys, so that benchmarks measure the map and not boxing. Keys are drawn
 * from the whole {@code long} range, so both maps see well-spread hash codes.
 */
public final class Keys {
  private Keys() {}

  /** {@code n} distinct keys in a pseudo-random order fixed by {@code seed}. */
  public static Long[] distinct(int n, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("key count must not be negative, got " + n);
    }
    SplittableRandom random = new SplittableRandom(seed);
    Set<Long> seen = new HashSet<>(n * 2);
    Long[] keys = new Long[n];
    for (int i = 0; i < n; ) {
      Long k = random.nextLong();
      if (seen.add(k)) {
        keys[i++] = k;
      }
    }
    return keys;
  }

  /**
   * A lookup sequence of {@code length} keys that visits every key of {@code keys} in turn (cycling
   * when {@code length} is larger), shuffled by {@code seed}, so that consecutive lookups do not
   * follow insertion order.
   */
  public static Long[] lookupOrder(Long[] keys, int length, long seed) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("cannot build a lookup order from no keys");
    }
    Long[] order = new Long[length];
    for (int i = 0; i < length; i++) {
      order[i] = keys[i % keys.length];
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** {@code n} rounded up to a multiple of {@code m}. */
  static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }
}
