package io.tombscope.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Reads the state of a tracked Eclipse Collections primitive map or set from the flusher's thread,
 * by reflection on the class's own fields: {@code occupiedWithData} and the table arrays ({@code
 * keys} and {@code values}, or {@code keysValues} with key and value side by side, or a set's
 * {@code table}; a map with {@code boolean} values keeps them in a {@code BitSet}). Gives size,
 * capacity, the bytes of the table and what {@code trimToSize()} would leave of them. The library's
 * classes sit on the program's class path (an unnamed module, open to reflection).
 *
 * <p>Reads are racy snapshots of a map its own thread may be writing: plain field reads, never a
 * method of the library's. A class whose fields cannot be read gives no gauge.
 */
public final class EclipseGauges {
  private static final ClassValue<Layout> LAYOUTS =
      new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
          return Layout.of(type);
        }
      };

  /**
   * The fields of one class; {@code pairs} when its one table array holds keys and values; {@code
   * bits} the {@code BitSet} of a map with {@code boolean} values, or null.
   */
  private record Layout(
      Field data, Field sentinels, Field table, boolean pairs, List<Field> arrays, Field bits) {
    static Layout of(Class<?> type) {
      try {
        Field data = type.getDeclaredField("occupiedWithData");
        Field sentinels = type.getDeclaredField("occupiedWithSentinels");
        Field table;
        boolean pairs;
        table = declaredOrNull(type, "keys");
        pairs = false;
        if (table == null) {
          table = declaredOrNull(type, "keysValues");
          pairs = table != null;
        }
        if (table == null) {
          table = type.getDeclaredField("table"); // a primitive set
        }
        List<Field> arrays = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && f.getType().isArray()) {
            f.setAccessible(true);
            arrays.add(f);
          }
        }
        Field bits = declaredOrNull(type, "values");
        if (bits != null && bits.getType() == BitSet.class) {
          bits.setAccessible(true);
        } else {
          bits = null;
        }
        data.setAccessible(true);
        sentinels.setAccessible(true);
        table.setAccessible(true);
        return new Layout(data, sentinels, table, pairs, List.copyOf(arrays), bits);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  private static Field declaredOrNull(Class<?> type, String name) {
    try {
      return type.getDeclaredField(name);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private EclipseGauges() {}

  /** Index of the tombstones the map holds, in {@link #read(Object, MapRecorder)}'s values. */
  public static final int TOMBSTONES = 5;

  /**
   * Index of the inserts into sentinels of the map so far, counted by its thread or not yet, in
   * {@link #read(Object, MapRecorder)}'s values.
   */
  public static final int REUSED = 6;

  /**
   * The gauge values of {@code map}, as {@link #read(Object)}'s, then its live tombstones and the
   * inserts that took a sentinel back so far ({@link #TOMBSTONES}, {@link #REUSED}), or null if
   * unreadable. The map's thread counts every remove, rehash and clear, but not those inserts: they
   * are what the map's own count of sentinels has fallen below the recorder's live tombstones. Read
   * from the flusher while the map's thread may write: the recorder's counts first, then the map's
   * (the map's thread writes the map's before each hit it counts), and none while a rehash or
   * {@code retainAll} swaps the table or a clear drops it ({@link MapRecorder#sentinelResets});
   * never fewer than {@code r.reusedReported}, what the flusher last reported. UnifiedMap and
   * UnifiedSet have no sentinels: theirs are the recorder's.
   */
  public static long[] read(Object map, MapRecorder r) {
    long[] g = read(map);
    if (g == null) {
      return null;
    }
    long[] values = java.util.Arrays.copyOf(g, 7);
    Layout l = LAYOUTS.get(map.getClass());
    int resets = r.sentinelResets;
    long counted = r.tombstonesReused;
    long live = r.liveTombstones();
    long uncounted = 0;
    if (l != null && (resets & 1) == 0) {
      java.lang.invoke.VarHandle.loadLoadFence();
      try {
        long own = Math.max(0, l.sentinels.getInt(map) - r.sentinelsInherited);
        java.lang.invoke.VarHandle.loadLoadFence();
        if (r.sentinelResets == resets) {
          uncounted = Math.max(0, live - own);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        uncounted = 0;
      }
    }
    long reused = Math.max(r.reusedReported, counted + uncounted);
    values[TOMBSTONES] = Math.max(0, live - (reused - counted));
    values[REUSED] = reused;
    return values;
  }

  /**
   * The gauge values of {@code map}, indexed as {@link TroveGauges}'s ({@code SIZE}, {@code
   * CAPACITY}, {@code DEAD_SLOTS}, {@code BYTES}, {@code COMPACTED_BYTES}), or null if unreadable.
   */
  public static long[] read(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return EclipseUnifiedGauges.read(map); // UnifiedMap, UnifiedSet: no sentinels
    }
    try {
      int size = l.data.getInt(map);
      Object table = l.table.get(map);
      if (table == null) {
        return null;
      }
      int length = java.lang.reflect.Array.getLength(table);
      int perSlot = l.pairs ? 2 : 1;
      long capacity = length / perSlot;
      long trimmed = Math.min(capacity, trimmedCapacity(size));
      long[] bytes = TroveGauges.tableBytes(map, l.arrays, length, trimmed * perSlot);
      if (l.bits != null && l.bits.get(map) instanceof BitSet values) {
        // size() is the length of its words in bits: a read of one field, as the gauges do.
        bytes[0] += bitSetBytes(values.size());
        bytes[1] += bitSetBytes(trimmed);
      }
      return new long[] {size, capacity, Math.max(0, capacity - trimmed), bytes[0], bytes[1]};
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A {@code BitSet} of {@code bits} bits: the object and its array of longs. */
  static long bitSetBytes(long bits) {
    return 24 + ((16 + ((bits + 63) >>> 6) * 8 + 7) & ~7L);
  }

  /**
   * The capacity {@code trimToSize()} leaves for {@code size} entries: it rebuilds at the smallest
   * power of two not below the size, and the reinsertion rehashes as {@code rehashAndGrow} does
   * whenever the entries pass half the table.
   */
  static long trimmedCapacity(int size) {
    long capacity = powerOfTwoAtLeast(size);
    for (; ; ) {
      long max = Math.min(capacity - 1, capacity >> 1);
      if (size <= max) {
        return capacity;
      }
      capacity = Math.max(max, powerOfTwoAtLeast((max + 2) << 1));
    }
  }

  private static long powerOfTwoAtLeast(long n) {
    return n > 1 ? Long.highestOneBit(n - 1) << 1 : 1;
  }
}
