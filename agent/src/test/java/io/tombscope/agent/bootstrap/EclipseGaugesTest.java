package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Field;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.junit.jupiter.api.Test;

/** The gauges read the library's own state, and predict the table its compaction leaves. */
class EclipseGaugesTest {
  @Test
  void theTrimmedCapacityIsTheOneTheLibraryLeaves() throws Exception {
    for (int size : new int[] {0, 1, 2, 3, 5, 8, 9, 100, 257, 500, 512, 513, 1000, 5000}) {
      LongObjectHashMap<String> map = new LongObjectHashMap<>(4 * size + 64);
      for (int i = 0; i < size; i++) {
        map.put(i + 2, "v");
      }
      map.compact();
      long[] keys = (long[]) field(map, "keys");
      assertEquals(keys.length, EclipseGauges.trimmedCapacity(size), "size " + size);
    }
  }

  @Test
  void sizeCapacityAndBytesAreTheMapsOwn() throws Exception {
    IntIntHashMap map = new IntIntHashMap();
    for (int i = 2; i < 1_002; i++) {
      map.put(i, i);
    }
    for (int i = 2; i < 802; i++) {
      map.removeKey(i);
    }
    long[] g = EclipseGauges.read(map);
    assertNotNull(g);
    int[] keysValues = (int[]) field(map, "keysValues");
    long capacity = keysValues.length / 2;
    assertEquals(200, g[TroveGauges.SIZE]);
    assertEquals(capacity, g[TroveGauges.CAPACITY]);
    assertEquals(capacity - EclipseGauges.trimmedCapacity(200), g[TroveGauges.DEAD_SLOTS]);
    // The map object and one int array of keys and values, now and at the trimmed capacity.
    assertEquals(16 + 16 + 4L * keysValues.length, g[TroveGauges.BYTES]);
    assertEquals(16 + 16 + 8L * EclipseGauges.trimmedCapacity(200), g[TroveGauges.COMPACTED_BYTES]);
  }

  private static Object field(Object map, String name) throws ReflectiveOperationException {
    Field f = map.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(map);
  }
}
