package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.testing.SeededCases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Keys whose {@code hashCode()} collide, as an attacker picks them: the map must keep them in short
 * chains (checked through {@link BucketHashMap.Stats}, not by timing) and still behave as {@link
 * HashMap} does.
 */
class HashFloodingTest {
  private static final int KEYS = 100_000;

  /**
   * Key {@code i} of {@code 2^blocks} strings made of "Aa" and "BB" blocks (bit j of {@code i}
   * picks block j): all share one {@code hashCode()}, since "Aa" and "BB" do and have one length.
   */
  static String collidingString(int i, int blocks) {
    StringBuilder s = new StringBuilder(2 * blocks);
    for (int j = 0; j < blocks; j++) {
      s.append((i >>> j & 1) == 0 ? "Aa" : "BB");
    }
    return s.toString();
  }

  /** {@code (x << 32) | x}: {@code Long.hashCode()} xors the halves, so every one hashes to 0. */
  static Long collidingLong(int x) {
    return ((long) x << 32) | x;
  }

  @Test
  void collidingKeysReallyCollide() {
    assertEquals(collidingString(0, 17).hashCode(), collidingString(KEYS - 1, 17).hashCode());
    assertEquals(0, collidingLong(KEYS - 1).hashCode());
    assertEquals(0, Double.valueOf(Double.longBitsToDouble(collidingLong(7))).hashCode());
  }

  @Test
  void stringKeysWithOneHashCodeKeepShortChains() {
    BucketHashMap<String, Integer> map =
        fillAndCheck(i -> collidingString(i, 17), new BucketHashMap<>());
    assertSpread(map);
  }

  @Test
  void longKeysWithHashCodeZeroKeepShortChains() {
    BucketHashMap<Long, Integer> map =
        fillAndCheck(HashFloodingTest::collidingLong, new BucketHashMap<>());
    assertSpread(map);
  }

  @Test
  void doubleKeysWithHashCodeZeroKeepShortChains() {
    BucketHashMap<Double, Integer> map =
        fillAndCheck(i -> Double.longBitsToDouble(collidingLong(i)), new BucketHashMap<>(0, 11L));
    assertSpread(map);
  }

  /**
   * Fills {@code map} with {@value #KEYS} keys beside a {@link HashMap}, then looks every key up,
   * removes every third, and compares the two.
   */
  private static <K> BucketHashMap<K, Integer> fillAndCheck(
      IntFunction<K> key, BucketHashMap<K, Integer> map) {
    Map<K, Integer> oracle = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      assertEquals(oracle.put(key.apply(i), i), map.put(key.apply(i), i));
    }
    assertEquals(KEYS, oracle.size(), "the keys are distinct");
    for (int i = 0; i < KEYS; i++) {
      assertEquals(i, map.get(key.apply(i)));
    }
    for (int i = 0; i < KEYS; i += 3) {
      assertEquals(oracle.remove(key.apply(i)), map.remove(key.apply(i)));
      assertFalse(map.containsKey(key.apply(i)));
    }
    assertEquals(oracle, map);
    assertEquals(map.scanTombstones(), map.stats().tombstones());
    return map;
  }

  /**
   * 100,000 keys fill a map at B = 14. Hashed well, a bucket holds 6.1 keys on average, so some
   * 3,000 buckets have one overflow bucket and hardly any a second; hashed into one chain, the keys
   * would need 12,500 overflow buckets in one chain.
   */
  private static void assertSpread(BucketHashMap<?, ?> map) {
    BucketHashMap.Stats s = map.stats();
    assertEquals(14, s.B(), s::toString);
    assertTrue(s.overflowBuckets() <= s.buckets() / 2, () -> "overflow buckets: " + s);
    assertTrue(longestChain(map) <= 4, () -> "longest chain: " + longestChain(map));
  }

  @Test
  void chainsOfCollidingStringsStayBelowTheBoundAndEqualKeysStillMeet() {
    BucketHashMap<Object, Integer> map = new BucketHashMap<>(0, 3L);
    for (int i = 0; i < 4096; i++) {
      map.put(collidingString(i, 12), i);
      // Every chain is walked here, so this holds after every insert, not only at the end.
      if (i % 64 == 0) {
        assertTrue(longestChain(map) <= BucketHashMap.FLOOD_CHAIN_BUCKETS, "at key " + i);
      }
    }
    // A String built anew, not the instance inserted, finds its entry.
    assertEquals(4095, map.get(new String(collidingString(4095, 12).toCharArray())));
    assertNull(map.get(collidingString(4095, 13)));
    assertTrue(longestChain(map) <= 3, "the switch spread the chain");
  }

  @Test
  void theSwitchIsOneRebuildWithNoTombstonesAndComesAtTheChainBound() {
    BucketHashMap<Object, Integer> map = new BucketHashMap<>(0, 7L);
    for (int i = 0; i < 40; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 40; i += 2) {
      map.remove(i);
    }
    assertTrue(map.stats().tombstones() > 0);
    int i = 0;
    while (!map.hashesStringContents()) {
      assertFalse(
          i > 8 * (BucketHashMap.FLOOD_CHAIN_BUCKETS + 1), "no switch after " + i + " strings");
      map.put(collidingString(i, 10), i);
      i++;
    }
    // Not before a chain of 8 full buckets: 64 keys, of which at most the 20 integers are not
    // the colliding strings.
    assertTrue(i >= 8 * BucketHashMap.FLOOD_CHAIN_BUCKETS - 20, "switched at " + i);
    // The insert that switched rebuilt the map as trim() does, then went in.
    BucketHashMap.Stats s = map.stats();
    assertEquals(0, s.tombstones());
    assertEquals(0, map.scanTombstones());
    assertFalse(s.growing());
    assertEquals(20 + i, s.size());
    for (int j = 0; j < i; j++) {
      assertEquals(j, map.get(collidingString(j, 10)));
    }
    for (int j = 1; j < 40; j += 2) {
      assertEquals(j, map.get(j));
    }
    // It stays on, through clear() and the new seed that comes with it.
    map.clear();
    assertTrue(map.hashesStringContents());
  }

  @Test
  void nonStringKeysThatCollideStayInOneChainAsDocumented() {
    BucketHashMap<Object, Integer> map = new BucketHashMap<>(0, 5L);
    for (int i = 0; i < 200; i++) {
      map.put(new Collider(i), i);
    }
    // What remains: a key type's own hashCode() decides, as HashMap's tree bins do not here.
    assertTrue(longestChain(map) >= 200 / BucketHashMap.BUCKET_SLOTS);
    // A String landing in that chain switches String hashing on; the Colliders stay together.
    map.put(collidingString(1, 4), -1);
    for (int i = 0; i < 200; i++) {
      assertEquals(i, map.get(new Collider(i)));
    }
    assertEquals(-1, map.get(collidingString(1, 4)));
  }

  /** Colliding strings, colliding longs, integers and null under random operations. */
  @Test
  void collidingKeysBehaveLikeHashMap() {
    SeededCases.check(
        40,
        random -> {
          BucketHashMap<Object, Integer> map = new BucketHashMap<>(0, random.nextLong());
          Map<Object, Integer> oracle = new HashMap<>();
          int keyRange = random.nextInt(64, 4096);
          int ops = random.nextInt(1000, 20_000);
          for (int n = 0; n < ops; n++) {
            Object key =
                switch (random.nextInt(4)) {
                  case 0, 1 -> collidingString(random.nextInt(keyRange), 12);
                  case 2 -> collidingLong(random.nextInt(keyRange));
                  default -> random.nextInt(8) == 0 ? null : random.nextInt(keyRange);
                };
            int value = random.nextInt(1000);
            int op = random.nextInt(100);
            if (op < 50) {
              assertEquals(oracle.put(key, value), map.put(key, value), "put " + key);
            } else if (op < 65) {
              assertEquals(oracle.get(key), map.get(key), "get " + key);
              assertEquals(oracle.containsKey(key), map.containsKey(key));
            } else if (op < 95) {
              assertEquals(oracle.remove(key), map.remove(key), "remove " + key);
            } else if (op < 97) {
              assertEquals(oracle.remove(key, value), map.remove(key, value));
            } else if (op < 98) {
              List<Object> removed = new ArrayList<>();
              for (Iterator<Map.Entry<Object, Integer>> it = map.entrySet().iterator();
                  it.hasNext(); ) {
                Map.Entry<Object, Integer> e = it.next();
                if (e.getValue() % 3 == 0) {
                  it.remove();
                  removed.add(e.getKey());
                }
              }
              oracle.values().removeIf(v -> v % 3 == 0);
              for (Object k : removed) {
                assertFalse(map.containsKey(k));
              }
            } else if (op < 99) {
              map.trim();
            } else if (random.nextInt(10) == 0) {
              oracle.clear();
              map.clear();
            }
            assertEquals(oracle.size(), map.size());
          }
          assertEquals(map.scanTombstones(), map.stats().tombstones());
          assertEquals(oracle, map);
          assertEquals(map, oracle);
          assertEquals(oracle.hashCode(), map.hashCode());
        });
  }

  @Test
  void stringHashIsSeededAndSpreadsCollidingStrings() {
    Set<Long> hashes = new HashSet<>();
    int[] buckets = new int[1 << 10];
    for (int i = 0; i < 1 << 16; i++) {
      long h = StringHash.hash(collidingString(i, 16), 42L);
      assertTrue(hashes.add(h), "64-bit collision at " + i);
      buckets[(int) h & (buckets.length - 1)]++;
    }
    // 64 per bucket on average; a uniform hash leaves every one within about 6 standard deviations.
    for (int count : buckets) {
      assertTrue(count > 16 && count < 112, "bucket count " + count);
    }
    String s = "session-0123456789";
    assertEquals(StringHash.hash(s, 1L), StringHash.hash(new String(s.toCharArray()), 1L));
    assertNotEquals(StringHash.hash(s, 1L), StringHash.hash(s, 2L));
    assertNotEquals(StringHash.hash("a", 1L), StringHash.hash("a\0", 1L));
    assertNotEquals(StringHash.hash("", 1L), StringHash.hash("\0", 1L));
    assertNotEquals(StringHash.hash("\u00e9t\u00e9", 1L), StringHash.hash("\u00e9t\u00e8", 1L));
  }

  /** The longest chain of the current generation, in buckets (the map is not growing here). */
  private static int longestChain(BucketHashMap<?, ?> map) {
    int longest = 0;
    for (int b = 0; b < map.stats().buckets(); b++) {
      longest = Math.max(longest, map.chainLength(b));
    }
    return longest;
  }
}
