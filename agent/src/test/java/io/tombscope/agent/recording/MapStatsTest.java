package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.map.BucketHashMap;
import org.junit.jupiter.api.Test;

class MapStatsTest {
  @Test
  void readsAMapsStatsAndWhatATrimWouldLeave() {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, 3L);
    for (int i = 0; i < 20_000; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 19_000; i++) {
      map.remove(i);
    }
    MapStats s = new MapStats();
    assertTrue(s.add(map));
    BucketHashMap.Stats own = map.stats();
    assertEquals(1, s.maps);
    assertEquals(1_000, s.size);
    assertEquals(own.tombstones(), s.tombstones);
    assertEquals(own.estimatedBytes(), s.estimatedBytes);
    assertEquals(own.trimmedBytes(), s.trimmedBytes);

    map.trim();
    assertEquals(s.trimmedBytes, map.stats().estimatedBytes(), "what the release would leave");
  }

  @Test
  void sumsOverMaps() {
    MapStats s = new MapStats();
    for (int n : new int[] {0, 5, 5_000}) {
      BucketHashMap<Integer, Integer> map = new BucketHashMap<>();
      for (int i = 0; i < n; i++) {
        map.put(i, i);
      }
      assertTrue(s.add(map));
    }
    assertEquals(3, s.maps);
    assertEquals(5_005, s.size);
    assertTrue(s.trimmedBytes > 0 && s.trimmedBytes <= s.estimatedBytes);
  }
}
