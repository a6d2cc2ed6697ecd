package io.tombscope.map;

import static io.tombscope.map.BucketHashMap.EMPTY_ONE;
import static io.tombscope.map.BucketHashMap.EMPTY_REST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Follows Go's {@code mapdelete} and {@code mapassign} slot by slot. A map with at most 8 entries
 * has B = 0, one bucket, so its slots fill in insertion order whatever the hash.
 */
class SlotStateTest {

  private static final byte F = 5; // any tophash >= minTopHash: "full" in the expectations below

  private static BucketHashMap<Integer, String> eightInOneBucket() {
    BucketHashMap<Integer, String> map = new BucketHashMap<>(0, 7L);
    for (int i = 0; i < 8; i++) {
      map.put(i, "v" + i);
    }
    assertEquals(0, map.stats().B());
    return map;
  }

  /** Maps every full slot to F so expectations read as slot states. */
  private static byte[] states(BucketHashMap<?, ?> map, int bucket) {
    byte[] s = map.slotStates(bucket);
    for (int i = 0; i < s.length; i++) {
      if ((s[i] & 0xff) >= BucketHashMap.MIN_TOP_HASH) {
        s[i] = F;
      }
    }
    return s;
  }

  @Test
  void deletingFromTheMiddleLeavesOneTombstone() {
    var map = eightInOneBucket();
    assertEquals("v3", map.remove(3));
    assertArrayEquals(new byte[] {F, F, F, EMPTY_ONE, F, F, F, F}, states(map, 0));
    assertEquals(1, map.stats().tombstones());
    assertEquals(7, map.size());
    assertFalse(map.containsKey(3), "a deleted key is absent to every lookup");
    assertNull(map.get(3));
  }

  @Test
  void deletingTheLastSlotOfTheChainCollapsesTheRunBeforeIt() {
    var map = eightInOneBucket();
    map.remove(5);
    map.remove(6);
    assertArrayEquals(new byte[] {F, F, F, F, F, EMPTY_ONE, EMPTY_ONE, F}, states(map, 0));
    map.remove(7);
    assertArrayEquals(
        new byte[] {F, F, F, F, F, EMPTY_REST, EMPTY_REST, EMPTY_REST}, states(map, 0));
    assertEquals(0, map.stats().tombstones());
  }

  @Test
  void collapseStopsAtTheFirstSlotThatIsNotATombstone() {
    var map = eightInOneBucket();
    map.remove(1);
    map.remove(3);
    map.remove(4);
    map.remove(7);
    assertArrayEquals(
        new byte[] {F, EMPTY_ONE, F, EMPTY_ONE, EMPTY_ONE, F, F, EMPTY_REST}, states(map, 0));
    map.remove(6);
    map.remove(5);
    assertArrayEquals(
        new byte[] {F, EMPTY_ONE, F, EMPTY_REST, EMPTY_REST, EMPTY_REST, EMPTY_REST, EMPTY_REST},
        states(map, 0));
    assertEquals(1, map.stats().tombstones());
    assertEquals(1, map.scanTombstones());
  }

  @Test
  void insertReusesTheFirstEmptySlotItPassed() {
    var map = eightInOneBucket();
    map.remove(2);
    map.remove(5);
    map.put(100, "new");
    assertArrayEquals(new byte[] {F, F, F, F, F, EMPTY_ONE, F, F}, states(map, 0));
    assertEquals(1, map.stats().tombstones());
    assertEquals("new", map.get(100));
    assertEquals(0, map.stats().grows(), "8 entries fit in one bucket: no grow");
  }

  @Test
  void updatingAnExistingKeyDoesNotTakeATombstone() {
    var map = eightInOneBucket();
    map.remove(0);
    assertEquals("v7", map.put(7, "seven"));
    assertArrayEquals(new byte[] {EMPTY_ONE, F, F, F, F, F, F, F}, states(map, 0));
    assertEquals("seven", map.get(7));
  }

  @Test
  void deletingAnAbsentKeyChangesNothing() {
    var map = eightInOneBucket();
    assertNull(map.remove(99));
    assertEquals(8, map.size());
    assertEquals(0, map.stats().tombstones());
  }

  @Test
  void emptyingTheMapLeavesOnlyEmptyRest() {
    var map = eightInOneBucket();
    for (int i = 0; i < 8; i++) {
      map.remove(i);
    }
    assertArrayEquals(new byte[8], states(map, 0));
    assertEquals(0, map.stats().tombstones());
    assertTrue(map.isEmpty());
  }

  /** Colliding keys fill bucket chains: 20 keys in the one bucket of a B = 4 map. */
  @Test
  void collapseCrossesFromAnOverflowBucketBackIntoTheBucketBeforeIt() {
    BucketHashMap<Collider, Integer> map = new BucketHashMap<>(100, 11L);
    assertEquals(4, map.stats().B());
    for (int i = 0; i < 20; i++) {
      map.put(new Collider(i), i);
    }
    assertEquals(2, map.stats().overflowBuckets());
    assertEquals(2, map.noverflow());
    int first = bucketHolding(map);
    int second = map.overflowOf(first);
    int third = map.overflowOf(second);
    assertNotEquals(0, second);
    assertNotEquals(0, third);
    assertEquals(0, map.overflowOf(third));

    // Keys 14 and 15 sit in slots 6 and 7 of the second bucket; 16..19 in the third.
    map.remove(new Collider(14));
    map.remove(new Collider(15));
    assertArrayEquals(new byte[] {F, F, F, F, F, F, EMPTY_ONE, EMPTY_ONE}, states(map, second));
    for (int i = 19; i >= 16; i--) {
      map.remove(new Collider(i));
    }
    assertArrayEquals(new byte[8], states(map, third));
    assertArrayEquals(new byte[] {F, F, F, F, F, F, EMPTY_REST, EMPTY_REST}, states(map, second));
    assertEquals(0, map.stats().tombstones());
    for (int i = 0; i < 14; i++) {
      assertEquals(i, map.get(new Collider(i)));
    }
  }

  @Test
  void lookupsWalkPastTombstonesIntoOverflowBuckets() {
    BucketHashMap<Collider, Integer> map = new BucketHashMap<>(100, 3L);
    for (int i = 0; i < 12; i++) {
      map.put(new Collider(i), i);
    }
    for (int i = 0; i < 8; i++) {
      map.remove(new Collider(i));
    }
    int first = bucketHolding(map);
    assertArrayEquals(
        new byte[] {
          EMPTY_ONE, EMPTY_ONE, EMPTY_ONE, EMPTY_ONE, EMPTY_ONE, EMPTY_ONE, EMPTY_ONE, EMPTY_ONE
        },
        states(map, first));
    assertEquals(8, map.stats().tombstones());
    assertEquals(11, map.get(new Collider(11)));
    map.put(new Collider(50), 50);
    assertEquals(EMPTY_ONE, states(map, first)[1]);
    assertEquals(F, states(map, first)[0]);
    assertEquals(7, map.stats().tombstones());
  }

  private static int bucketHolding(BucketHashMap<?, ?> map) {
    for (int b = 0; b < map.stats().buckets(); b++) {
      if ((map.slotStates(b)[0] & 0xff) >= BucketHashMap.MIN_TOP_HASH
          || map.slotStates(b)[0] == EMPTY_ONE) {
        return b;
      }
    }
    throw new AssertionError("no bucket holds an entry");
  }
}
