package io.tombscope.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the state of a tracked Trove map from the flusher's thread, by reflection on {@code
 * THash}'s fields ({@code _size}, {@code _loadFactor}) and {@code capacity()}: size, capacity, the
 * bytes of the table arrays and what {@code compact()} would leave of them. (Live tombstones come
 * from the map's recorder, which follows them exactly: {@code capacity − _size − _free} read here,
 * in the middle of a rehash, would pair the new table with the old free count.) Trove's classes sit
 * on the program's class path (an unnamed module, open to reflection).
 *
 * <p>Reads are racy snapshots of a map its own thread may be writing: plain field reads and {@code
 * capacity()} (an array length), never a method with side effects. A class whose fields cannot be
 * read gives no gauge.
 */
public final class TroveGauges {
  public static final int SIZE = 0;
  public static final int CAPACITY = 1;
  public static final int DEAD_SLOTS = 2;
  public static final int BYTES = 3;
  public static final int COMPACTED_BYTES = 4;

  private static final String THASH = "gnu.trove.impl.hash.THash";
  private static final int REF = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;

  private static final ClassValue<Layout> LAYOUTS =
      new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
          return Layout.of(type);
        }
      };

  private record Layout(Field size, Field loadFactor, Method capacity, List<Field> arrays) {
    static Layout of(Class<?> type) {
      try {
        Class<?> thash = type;
        List<Field> arrays = new ArrayList<>();
        for (; thash != null && !thash.getName().equals(THASH); thash = thash.getSuperclass()) {
          for (Field f : thash.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && f.getType().isArray()) {
              f.setAccessible(true);
              arrays.add(f);
            }
          }
        }
        if (thash == null) {
          return null;
        }
        Field size = thash.getDeclaredField("_size");
        Field loadFactor = thash.getDeclaredField("_loadFactor");
        size.setAccessible(true);
        loadFactor.setAccessible(true);
        return new Layout(size, loadFactor, type.getMethod("capacity"), List.copyOf(arrays));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  private TroveGauges() {}

  /** The gauge values of {@code map} (indexed by the constants above), or null if unreadable. */
  public static long[] read(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return null;
    }
    try {
      int size = l.size.getInt(map);
      float loadFactor = l.loadFactor.getFloat(map);
      int capacity = (Integer) l.capacity.invoke(map);
      // compact() rebuilds at the next prime above this; the prime is within a few slots.
      long compacted = Math.max(size + 1L, (long) Math.ceil(size / (double) loadFactor) + 1L);
      long[] bytes = tableBytes(map, l.arrays, capacity, compacted);
      return new long[] {size, capacity, Math.max(0, capacity - compacted), bytes[0], bytes[1]};
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The bytes of {@code map}'s object and its {@code arrays}, now and once each array of {@code
   * tableLength} elements has {@code compactedLength} (never more than now).
   */
  static long[] tableBytes(Object map, List<Field> arrays, long tableLength, long compactedLength)
      throws IllegalAccessException {
    long bytes = 16;
    long compactedBytes = 16;
    for (Field f : arrays) {
      Object array = f.get(map);
      if (array == null) {
        continue;
      }
      int length = java.lang.reflect.Array.getLength(array);
      int element = elementBytes(array.getClass().getComponentType());
      bytes += arrayBytes(length, element);
      compactedBytes += arrayBytes(length == tableLength ? compactedLength : length, element);
    }
    return new long[] {bytes, Math.min(bytes, compactedBytes)};
  }

  private static int elementBytes(Class<?> component) {
    if (component == byte.class || component == boolean.class) {
      return 1;
    } else if (component == char.class || component == short.class) {
      return 2;
    } else if (component == int.class || component == float.class) {
      return 4;
    } else if (component == long.class || component == double.class) {
      return 8;
    }
    return REF;
  }

  private static long arrayBytes(long length, int element) {
    return (16 + length * element + 7) & ~7L;
  }
}
