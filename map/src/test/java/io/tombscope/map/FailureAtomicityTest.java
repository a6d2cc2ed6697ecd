package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The map calls hashCode() on keys it holds when it grows and when it trims; if that throws part
 * way, the failing call throws and the map is left exactly as it was.
 */
class FailureAtomicityTest {
  /** A key whose hashCode() throws once its countdown of calls runs out. */
  static final class FragileKey {
    static int callsLeft = Integer.MAX_VALUE;
    final int id;

    FragileKey(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      if (--callsLeft < 0) {
        throw new IllegalStateException("hashCode failed");
      }
      return Integer.hashCode(id);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FragileKey k && k.id == id;
    }
  }

  @Test
  void aTrimThatFailsPartWayLeavesEveryEntryWhereItWas() {
    for (boolean growing : new boolean[] {false, true}) {
      FragileKey.callsLeft = Integer.MAX_VALUE;
      BucketHashMap<FragileKey, Integer> map = new BucketHashMap<>(0, 11L);
      Map<FragileKey, Integer> oracle = new HashMap<>();
      int n = 5_000;
      for (int i = 0; i < n; i++) {
        map.put(new FragileKey(i), i);
        oracle.put(new FragileKey(i), i);
      }
      for (int i = 0; i < n; i += 3) {
        map.remove(new FragileKey(i));
        oracle.remove(new FragileKey(i));
      }
      // Then, for the second round, new keys until a grow starts: it stays in progress, so the
      // failed trim has two generations to put back.
      while (growing && !map.stats().growing()) {
        map.put(new FragileKey(n), n);
        oracle.put(new FragileKey(n), n);
        n++;
      }
      BucketHashMap.Stats before = map.stats();
      assertEquals(growing, before.growing());

      FragileKey.callsLeft = map.size() / 2;
      IllegalStateException e = assertThrows(IllegalStateException.class, map::trim);
      assertEquals("hashCode failed", e.getMessage());
      FragileKey.callsLeft = Integer.MAX_VALUE;

      assertEquals(before, map.stats());
      assertTrue(sameEntries(oracle, map) && sameEntries(map, oracle));
      map.put(new FragileKey(-1), -1); // and it is not stuck in the middle of a write
      map.trim();
      assertEquals(0, map.stats().tombstones());
      assertNull(map.get(new FragileKey(n + 1)));
    }
  }

  @Test
  void anEvacuationThatFailsPartWayMovesNothing() {
    FragileKey.callsLeft = Integer.MAX_VALUE;
    BucketHashMap<FragileKey, Integer> map = new BucketHashMap<>(0, 5L);
    Map<FragileKey, Integer> oracle = new HashMap<>();
    int next = 0;
    while (next < 100 || !map.stats().growing()) {
      map.put(new FragileKey(next), next);
      oracle.put(new FragileKey(next), next);
      next++;
    }
    BucketHashMap.Stats before = map.stats();
    assertEquals(0, before.sameSizeGrows(), "a doubling grow in progress");

    int failures = 0;
    while (map.stats().growing()) {
      // The new key's own hash succeeds, and so do the hashes of the first few keys moved; then
      // one throws, part way through an old bucket's chain.
      FragileKey.callsLeft = 2 + failures % 5;
      boolean failed = false;
      try {
        map.put(new FragileKey(next), next);
      } catch (IllegalStateException e) {
        failed = true;
        failures++;
      }
      FragileKey.callsLeft = Integer.MAX_VALUE;
      if (!failed) {
        oracle.put(new FragileKey(next), next); // the buckets it needed moved within the budget
      }
      assertEquals(oracle.size(), map.size());
      assertTrue(sameEntries(oracle, map), "every entry in place after put #" + next);
      // A successful write then moves what the failed one could not.
      map.put(new FragileKey(-next), -next);
      oracle.put(new FragileKey(-next), -next);
      next++;
    }
    assertTrue(failures > 0, "some evacuation was made to fail");
    assertTrue(sameEntries(oracle, map) && sameEntries(map, oracle));
    assertEquals(map.scanTombstones(), map.stats().tombstones());
  }

  /** Both ways, without printing thousands of entries when they differ. */
  private static boolean sameEntries(Map<?, ?> a, Map<?, ?> b) {
    return a.size() == b.size() && a.equals(b);
  }

  /** Keys that all hash alike, so that one chain holds them all; hashCode() as fragile. */
  static final class Twin {
    final int id;

    Twin(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      if (--FragileKey.callsLeft < 0) {
        throw new IllegalStateException("hashCode failed");
      }
      return 7;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Twin t && t.id == id;
    }
  }

  @Test
  void chainsLongerThanEightBucketsMoveWholeOrNotAtAll() {
    // With every key in one chain, a doubling sends them all to X or all to Y, as the seed
    // decides: several seeds see both.
    for (long seed = 1; seed <= 6; seed++) {
      chainsLongerThanEightBucketsMoveWholeOrNotAtAll(seed);
    }
  }

  private static void chainsLongerThanEightBucketsMoveWholeOrNotAtAll(long seed) {
    FragileKey.callsLeft = Integer.MAX_VALUE;
    BucketHashMap<Twin, Integer> map = new BucketHashMap<>(0, seed);
    Map<Twin, Integer> oracle = new HashMap<>();
    int failures = 0;
    for (int next = 0; next < 400; next++) {
      // An insert hashes its own key; one that grows, or continues a grow, hashes the keys it
      // moves too, and is made to fail somewhere along the chain (up to 300 keys deep).
      FragileKey.callsLeft = 2 + (next * 37) % 300;
      boolean failed = false;
      try {
        map.put(new Twin(next), next);
      } catch (IllegalStateException e) {
        failed = true;
        failures++;
      }
      FragileKey.callsLeft = Integer.MAX_VALUE;
      if (!failed) {
        oracle.put(new Twin(next), next);
      }
      assertEquals(oracle.size(), map.size());
    }
    assertTrue(failures > 0, "some evacuation was made to fail");
    assertTrue(sameEntries(oracle, map) && sameEntries(map, oracle));
    assertTrue(map.stats().overflowBuckets() > 8, "one long chain");
  }
}
