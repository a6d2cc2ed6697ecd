package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of the {@link Map} contract that go beyond what the oracle properties exercise. */
class MapContractTest {

  @Test
  void nullKeysAndValuesWorkLikeHashMap() {
    BucketHashMap<String, String> map = new BucketHashMap<>();
    assertNull(map.put(null, "a"));
    assertNull(map.put("k", null));
    assertEquals("a", map.get(null));
    assertTrue(map.containsKey("k"));
    assertTrue(map.containsValue(null));
    assertEquals("a", map.remove(null));
    assertFalse(map.containsKey(null));
    assertEquals(Map.of(), new HashMap<>(Map.of()));
    assertEquals(1, map.size());
  }

  @Test
  void aWriteDuringAWriteIsAConcurrentModification() {
    BucketHashMap<Object, Integer> map = new BucketHashMap<>();
    map.put(new Collider(1), 1);
    Object reentrant =
        new Object() {
          @Override
          public int hashCode() {
            return 42;
          }

          @Override
          public boolean equals(Object other) {
            map.put("inner", 0); // runs while the outer put holds the write flag
            return false;
          }
        };
    ConcurrentModificationException e =
        assertThrows(ConcurrentModificationException.class, () -> map.put(reentrant, 2));
    assertEquals("concurrent map writes", e.getMessage());
    map.put("after", 3); // the flag was released: the map stays usable
    assertEquals(2, map.size());
  }

  @Test
  void iteratorsAreFailFastExceptThroughIteratorRemove() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 1L);
    for (int i = 0; i < 100; i++) {
      map.put(i, i);
    }
    Iterator<Integer> it = map.keySet().iterator();
    it.next();
    map.put(1000, 0);
    assertThrows(ConcurrentModificationException.class, it::next);

    Iterator<Integer> removing = map.keySet().iterator();
    int removed = 0;
    while (removing.hasNext()) {
      if (removing.next() % 2 == 0) {
        removing.remove();
        removed++;
      }
    }
    assertEquals(51, removed);
    assertEquals(50, map.size());
    assertThrows(IllegalStateException.class, removing::remove);
  }

  @Test
  void iterationDuringAGrowSeesEveryEntryOnceAndCanRemove() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 8L);
    for (int i = 0; i < 105; i++) {
      map.put(i, i);
    }
    assertTrue(map.stats().growing());
    List<Integer> seen = new ArrayList<>();
    for (Iterator<Integer> it = map.keySet().iterator(); it.hasNext(); ) {
      int k = it.next();
      seen.add(k);
      if (k % 3 == 0) {
        it.remove();
      }
    }
    assertEquals(105, seen.size());
    assertEquals(105, seen.stream().distinct().count());
    assertEquals(70, map.size());
    assertEquals(map.scanTombstones(), map.stats().tombstones());
    for (int i = 0; i < 105; i++) {
      assertEquals(i % 3 != 0, map.containsKey(i));
    }
  }

  @Test
  void entrySetValueWritesThrough() {
    BucketHashMap<String, Integer> map = new BucketHashMap<>();
    map.put("a", 1);
    map.put("b", 2);
    for (Map.Entry<String, Integer> e : map.entrySet()) {
      assertEquals(e.getValue(), e.setValue(e.getValue() * 10));
    }
    assertEquals(Map.of("a", 10, "b", 20), map);
    map.replaceAll((k, v) -> v + 1);
    assertEquals(Map.of("a", 11, "b", 21), map);
  }

  @Test
  void computeFamilyFollowsTheMapDefaults() {
    BucketHashMap<String, Integer> map = new BucketHashMap<>();
    assertEquals(1, map.computeIfAbsent("x", k -> 1));
    assertEquals(2, map.computeIfPresent("x", (k, v) -> v + 1));
    assertNull(map.compute("x", (k, v) -> null));
    assertFalse(map.containsKey("x"));
    assertEquals(5, map.merge("y", 5, Integer::sum));
    assertEquals(8, map.merge("y", 3, Integer::sum));
    assertTrue(map.remove("y", 8));
    assertTrue(map.isEmpty());
  }

  @Test
  void viewsRemoveThroughTheMap() {
    BucketHashMap<Integer, String> map = new BucketHashMap<>();
    for (int i = 0; i < 20; i++) {
      map.put(i, "v" + (i % 4));
    }
    assertTrue(map.keySet().remove(3));
    assertFalse(map.keySet().remove(3));
    assertTrue(map.entrySet().remove(Map.entry(4, "v0")));
    assertFalse(map.entrySet().remove(Map.entry(5, "nope")));
    assertTrue(map.values().remove("v2"));
    assertEquals(17, map.size());
    long small = map.keySet().stream().filter(k -> k <= 10).count();
    assertTrue(map.keySet().removeIf(k -> k > 10));
    assertEquals(small, map.size());
    assertEquals(map.scanTombstones(), map.stats().tombstones());
  }

  @Test
  void negativeSizeHintIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new BucketHashMap<>(-1));
  }

  @Test
  void aMapOfNothingHoldsNoBuckets() {
    BucketHashMap.Stats s = new BucketHashMap<>().stats();
    assertEquals(0, s.buckets());
    assertEquals(0, s.slots());
  }
}
