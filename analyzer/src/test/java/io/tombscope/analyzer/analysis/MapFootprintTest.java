package io.tombscope.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tombscope.map.BucketHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MapFootprintTest {
  /** Findings subtract this from the recorded estimate, so the two must agree. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 8, 9, 100, 1000})
  void equalsTheEstimateOfAMapSizedForTheSameCount(int size) {
    // Sized by a hint: the arrays exist before any entry (below 9 entries, from the first one)
    // and have not grown for overflow buckets, as in a map trim() just rebuilt.
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(size, 7L);
    if (size > 0) {
      map.put(0, 0);
    }
    assertEquals(map.stats().estimatedBytes(), MapFootprint.freshBytes(size));
  }
}
