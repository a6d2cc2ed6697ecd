package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Growth decisions that do not depend on the hash: they follow from counts alone. */
class GrowthTest {

  @ParameterizedTest(name = "{0} inserts -> B = {1}")
  @CsvSource({
    "0, 0",
    "8, 0",
    "9, 1",
    "13, 1",
    "14, 2",
    "26, 2",
    "27, 3",
    "52, 3",
    "53, 4",
    "104, 4",
    "105, 5",
    "1000, 8",
    "1664, 8",
    "1665, 9",
    "100000, 14"
  })
  void bAfterInsertsFollowsTheLoadFactor(int inserts, int expectedB) {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 1L);
    for (int i = 0; i < inserts; i++) {
      map.put(i, i);
    }
    assertEquals(expectedB, map.stats().B());
    assertEquals(expectedB, sizeHintB(inserts), "makemap's hint rule agrees");
  }

  private static int sizeHintB(int hint) {
    return new BucketHashMap<Integer, Integer>(hint, 1L).stats().B();
  }

  @Test
  void aDoublingGrowStaysInProgressAndFinishesWithinHalfTheNewBucketCountOfWrites() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 5L);
    for (int i = 0; i < 52; i++) {
      map.put(i, i);
    }
    assertEquals(3, map.stats().B());
    assertFalse(map.stats().growing());
    long growsBefore = map.stats().grows();

    map.put(52, 52); // 53 > 6.5 * 8: doubles to B = 4
    BucketHashMap.Stats started = map.stats();
    assertEquals(4, started.B());
    assertEquals(growsBefore + 1, started.grows());
    assertEquals(0, started.sameSizeGrows());
    assertTrue(started.growing(), "the insert that starts a grow evacuates at most 2 of 8");

    for (int i = 0; i < 200; i++) {
      map.get(i);
      map.containsKey(-i);
    }
    assertEquals(started, map.stats(), "reads never evacuate");

    int writes = 0;
    while (map.stats().growing()) {
      map.put(1000 + writes, writes); // each write evacuates at least one old bucket
      writes++;
    }
    assertTrue(writes <= 1 << (4 - 1), "finished after " + writes + " writes");
    assertEquals(0, map.stats().evacuatedBuckets());
    for (int i = 0; i < 53; i++) {
      assertEquals(i, map.get(i));
    }
  }

  @Test
  void deletesAndUpdatesAlsoDriveEvacuation() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 9L);
    for (int i = 0; i <= 104; i++) {
      map.put(i, i); // the 105th insert doubles B from 4 to 5
    }
    assertTrue(map.stats().growing());
    int before = map.stats().evacuatedBuckets();
    map.remove(-1); // a delete miss is still a write
    int afterMiss = map.stats().evacuatedBuckets();
    assertTrue(afterMiss > before);
    map.put(3, 33); // an update too
    assertTrue(map.stats().evacuatedBuckets() > afterMiss || !map.stats().growing());
  }

  @Test
  void overflowBucketsTriggerASameSizeGrowThatDropsTombstones() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 2L);
    for (int i = 0; i < 100; i++) {
      map.put(i, i);
    }
    int b = map.stats().B();
    long doublings = map.stats().grows();
    int next = 100;
    while (map.stats().sameSizeGrows() == 0) {
      assertFalse(next > 1_000_000, "no same-size grow after a million churn steps");
      map.remove(next - 100);
      map.put(next, next);
      next++;
    }
    BucketHashMap.Stats started = map.stats();
    assertEquals(b, started.B(), "a same-size grow keeps B");
    assertEquals(doublings + 1, started.grows());
    // Finish the grow with updates only: they move entries but create no tombstones.
    while (map.stats().growing()) {
      map.put(next - 1, -1);
    }
    assertEquals(0, map.stats().tombstones(), "evacuation never copies tombstones");
    assertEquals(0, map.scanTombstones());
    assertEquals(100, map.size());
    for (int i = next - 100; i < next - 1; i++) {
      assertEquals(i, map.get(i));
    }
  }

  @Test
  void trimRebuildsAtTheSmallestBWithNoTombstones() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 4L);
    for (int i = 0; i < 100_000; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 99_000; i++) {
      map.remove(i);
    }
    assertEquals(14, map.stats().B(), "Go never shrinks");
    assertTrue(map.stats().tombstones() > 0);
    BucketHashMap.Stats before = map.stats();
    map.trim();
    BucketHashMap.Stats s = map.stats();
    assertEquals(8, s.B());
    assertEquals(0, s.tombstones());
    assertFalse(s.growing());
    assertTrue(s.estimatedBytes() * 20 < before.estimatedBytes());
    assertEquals(before.trimmedBytes(), s.estimatedBytes(), "what stats() said trim() would leave");
    assertEquals(before.estimatedBytes() - s.estimatedBytes(), before.reclaimableBytes());
    for (int i = 99_000; i < 100_000; i++) {
      assertEquals(i, map.get(i));
    }
  }

  @Test
  void clearKeepsBLikeGo() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 4L);
    for (int i = 0; i < 5000; i++) {
      map.put(i, i);
    }
    int b = map.stats().B();
    map.clear();
    assertEquals(b, map.stats().B());
    assertEquals(0, map.size());
    assertEquals(0, map.stats().overflowBuckets());
    assertFalse(map.stats().growing());
    assertEquals(0, map.scanTombstones());
    // Emptied in place, or rebuilt: either way the storage of a fresh map with that B.
    BucketHashMap<Integer, Integer> fresh = new BucketHashMap<>(13 << (b - 1), 4L);
    assertEquals(b, fresh.stats().B());
    assertEquals(fresh.stats().estimatedBytes(), map.stats().estimatedBytes());
    for (int i = 0; i < 5000; i++) {
      map.put(i, -i);
    }
    for (int i = 0; i < 5000; i++) {
      assertEquals(-i, map.get(i));
    }
  }

  @Test
  void clearEmptiesEverySlotThatWasInUse() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(5000, 4L);
    for (int i = 0; i < 3000; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 3000; i += 3) {
      map.remove(i);
    }
    long bytes = map.stats().estimatedBytes();
    map.clear();
    assertEquals(bytes, map.stats().estimatedBytes());
    assertEquals(0, map.scanTombstones());
    assertFalse(map.entrySet().iterator().hasNext());
    for (int i = 0; i < 3000; i++) {
      assertFalse(map.containsKey(i));
    }
    for (int i = 0; i < 3000; i++) {
      map.put(i, -i);
    }
    assertEquals(3000, map.size());
    for (int i = 0; i < 3000; i++) {
      assertEquals(-i, map.get(i));
    }
  }

  @Test
  void clearDropsOverflowBucketsThatOutgrewTheSpareOnes() {
    BucketHashMap<Long, Long> map = new BucketHashMap<>(0, 9L);
    for (long i = 0; i < 1000; i++) {
      map.put(i, i);
    }
    // Churn piles up overflow buckets beyond the 2^(B-4) spare ones before a same-size grow.
    for (long i = 1000; i < 200_000 && map.stats().overflowBuckets() <= 16; i++) {
      map.remove(i - 1000);
      map.put(i, i);
    }
    assertTrue(map.stats().overflowBuckets() > 16, "overflow buckets: " + map.stats());
    map.clear();
    BucketHashMap<Long, Long> fresh = new BucketHashMap<>(1000, 9L);
    assertEquals(fresh.stats().B(), map.stats().B());
    assertEquals(fresh.stats().estimatedBytes(), map.stats().estimatedBytes());
  }

  /**
   * Go 1.19 does about 55 same-size grows on this workload; the exact number depends on the hash
   * seed and on how overflow buckets are counted.
   */
  @Test
  void churnAtConstantSizeKeepsBAndTriggersSameSizeGrows() {
    BucketHashMap<Long, Long> map = new BucketHashMap<>();
    for (long i = 0; i < 1000; i++) {
      map.put(i, i);
    }
    assertEquals(8, map.stats().B());
    long doublings = map.stats().grows();
    for (long i = 1000; i < 5_001_000; i++) {
      map.remove(i - 1000);
      map.put(i, i);
    }
    BucketHashMap.Stats s = map.stats();
    System.out.printf(
        "churn: 1,000 live keys, 5,000,000 delete+insert pairs: B = %d, same-size grows = %d,"
            + " tombstones = %d, overflow buckets = %d%n",
        s.B(), s.sameSizeGrows(), s.tombstones(), s.overflowBuckets());
    assertEquals(8, s.B());
    assertEquals(1000, s.size());
    assertEquals(doublings, s.grows() - s.sameSizeGrows(), "no doubling at constant size");
    assertTrue(s.sameSizeGrows() >= 10, "same-size grows: " + s.sameSizeGrows());
    assertTrue(s.sameSizeGrows() <= 1000, "same-size grows: " + s.sameSizeGrows());
  }
}
