package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.Field;
import java.util.BitSet;
import org.eclipse.collections.impl.map.mutable.UnifiedMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntBooleanHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.UnifiedSet;
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

  @Test
  void aMapWithBooleanValuesCountsItsBitSet() throws Exception {
    IntBooleanHashMap map = new IntBooleanHashMap();
    for (int i = 2; i < 1_002; i++) {
      map.put(i, i % 2 == 0);
    }
    long[] g = EclipseGauges.read(map);
    assertNotNull(g);
    int[] keys = (int[]) field(map, "keys");
    BitSet values = (BitSet) field(map, "values");
    assertEquals(1_000, g[TroveGauges.SIZE]);
    assertEquals(keys.length, g[TroveGauges.CAPACITY]);
    assertEquals(
        16 + 16 + 4L * keys.length + EclipseGauges.bitSetBytes(values.size()),
        g[TroveGauges.BYTES]);
  }

  @Test
  void aUnifiedMapAndSetKeepTheirPeakTableUntilTrimToSize() throws Exception {
    UnifiedMap<Long, String> map = new UnifiedMap<>();
    UnifiedSet<Long> set = new UnifiedSet<>();
    for (long i = 0; i < 20_000; i++) {
      map.put(i, "v");
      set.add(i);
    }
    for (long i = 0; i < 20_000; i++) {
      if (i % 4 != 0) {
        map.remove(i);
        set.remove(i);
      }
    }
    for (Object o : new Object[] {map, set}) {
      long[] g = EclipseGauges.read(o);
      assertNotNull(g, o.getClass().getName());
      assertEquals(5_000, g[TroveGauges.SIZE]);
      assertEquals(32_768, g[TroveGauges.CAPACITY], o.getClass().getName());
      assertEquals(32_768 - 8_192, g[TroveGauges.DEAD_SLOTS], o.getClass().getName());
    }
    map.trimToSize();
    set.trimToSize();
    for (Object o : new Object[] {map, set}) {
      long[] g = EclipseGauges.read(o);
      Object[] table = (Object[]) field(o, "table");
      assertEquals(8_192, g[TroveGauges.CAPACITY], o.getClass().getName());
      assertEquals(o == map ? table.length / 2 : table.length, g[TroveGauges.CAPACITY]);
      assertEquals(0, g[TroveGauges.DEAD_SLOTS], o.getClass().getName());
      assertEquals(g[TroveGauges.BYTES], g[TroveGauges.COMPACTED_BYTES]);
    }
  }

  private static Object field(Object map, String name) throws ReflectiveOperationException {
    Field f = map.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(map);
  }
}
