package io.tombscope.benchmarks.map;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Keys for the map benchmarks: pre-boxed {@code Long} keys, so that benchmarks measure the map and
 * not boxing, drawn from the whole {@code long} range, so both maps see well-spread hash codes; and
 * the keys of {@link CollidingKeys}, whose hash codes collide on purpose.
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

  /**
   * String {@code i} of the 2<sup>{@code blocks}</sup> made of "Aa" and "BB" blocks (bit j of
   * {@code i} picks block j): they all share one {@code hashCode()}, since "Aa" and "BB" do.
   */
  public static String collidingString(int i, int blocks) {
    StringBuilder s = new StringBuilder(2 * blocks);
    for (int j = 0; j < blocks; j++) {
      s.append((i >>> j & 1) == 0 ? "Aa" : "BB");
    }
    return s.toString();
  }

  /**
   * {@code (i << 32) | i}: {@code Long.hashCode()} xors the two halves, so every one hashes to 0.
   */
  public static Long collidingLong(int i) {
    return ((long) i << 32) | i;
  }

  /** An ordinary string key, distinct for every {@code i}: "session-" and 16 hex digits. */
  public static String ordinaryString(int i) {
    long x = (i + 1) * 0x9E3779B97F4A7C15L;
    x = (x ^ (x >>> 31)) * 0xBF58476D1CE4E5B9L;
    return "session-" + String.format("%016x", x ^ (x >>> 27));
  }

  /** {@code n} rounded up to a multiple of {@code m}. */
  static int roundUp(int n, int m) {
    return (n + m - 1) / m * m;
  }
}
