package io.tombscope.benchmarks.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeysTest {
  @Test
  void distinctKeysAreDistinctAndFixedBySeed() {
    Long[] a = Keys.distinct(10_000, 1);
    assertEquals(10_000, new HashSet<>(Arrays.asList(a)).size());
    assertArrayEquals(a, Keys.distinct(10_000, 1));
  }

  @Test
  void lookupOrderVisitsEveryKeyEquallyOften() {
    Long[] keys = Keys.distinct(1_000, 2);
    Long[] order = Keys.lookupOrder(keys, 3_000, 3);
    Map<Long, Integer> visits = new HashMap<>();
    for (Long k : order) {
      visits.merge(k, 1, Integer::sum);
    }
    assertEquals(1_000, visits.size());
    assertEquals(Set.of(3), new HashSet<>(visits.values()));
  }

  @Test
  void lookupOrderIsShuffled() {
    Long[] keys = Keys.distinct(1_000, 2);
    assertFalse(Arrays.equals(keys, Keys.lookupOrder(keys, 1_000, 3)));
  }

  @Test
  void roundUpToMultiple() {
    assertEquals(1_024, Keys.roundUp(1_000, 1_024));
    assertEquals(1_024, Keys.roundUp(1_024, 1_024));
    assertEquals(1_000_448, Keys.roundUp(1_000_000, 1_024));
  }

  @Test
  void badCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Keys.distinct(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> Keys.lookupOrder(new Long[0], 4, 0));
  }

  @Test
  void collidingKeysAreDistinctAndShareOneHashCode() {
    Set<String> strings = new HashSet<>();
    Set<Long> longs = new HashSet<>();
    for (int i = 0; i < 1 << 10; i++) {
      String s = Keys.collidingString(i, 10);
      assertEquals(Keys.collidingString(0, 10).hashCode(), s.hashCode());
      strings.add(s);
      assertEquals(0, Keys.collidingLong(i).hashCode());
      longs.add(Keys.collidingLong(i));
    }
    assertEquals(1 << 10, strings.size());
    assertEquals(1 << 10, longs.size());
  }

  @Test
  void ordinaryStringsAreDistinctAndSpread() {
    Set<String> strings = new HashSet<>();
    Set<Integer> hashCodes = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      strings.add(Keys.ordinaryString(i));
      hashCodes.add(Keys.ordinaryString(i).hashCode());
    }
    assertEquals(10_000, strings.size());
    assertTrue(hashCodes.size() > 9_990, "hash codes: " + hashCodes.size());
  }
}
