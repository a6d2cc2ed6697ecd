package io.tombscope.benchmarks.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.map.BucketHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AllocationSitesTest {
  @Test
  void everySiteIsAClassOfItsOwnThatConstructsANewMap() throws ReflectiveOperationException {
    List<Supplier<Map<Long, Long>>> factories = AllocationSites.defineSites(5);
    Set<Class<?>> classes = new HashSet<>();
    for (Supplier<Map<Long, Long>> f : factories) {
      classes.add(f.getClass());
      Map<Long, Long> a = f.get();
      assertEquals(BucketHashMap.class, a.getClass());
      assertNotSame(a, f.get());
    }
    assertEquals(5, classes.size());
  }

  @Test
  void exerciseLeavesHalfTheKeys() {
    Map<Long, Long> map = AllocationSites.exercise(new BucketHashMap<>());
    assertEquals(100, map.size());
    BucketHashMap.Stats stats = ((BucketHashMap<Long, Long>) map).stats();
    assertTrue(stats.grows() > 0, stats.toString());
  }
}
