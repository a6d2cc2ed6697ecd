package io.tombscope.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the state of a tracked fastutil map from the flusher's thread, by reflection on its own
 * fields ({@code size}, {@code n}, {@code f} and its table arrays {@code key}, {@code value} and,
 * in linked maps, {@code link}): size, capacity, the bytes of the arrays and what {@code trim()}
 * would leave of them. fastutil's classes sit on the program's class path (an unnamed module, open
 * to reflection). The values are indexed as {@link TroveGauges}'s.
 *
 * <p>Reads are racy snapshots of a map its own thread may be writing: plain field reads, never a
 * method. A class whose fields cannot be read gives no gauge.
 */
public final class FastutilGauges {
  private static final ClassValue<Layout> LAYOUTS =
      new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
          return Layout.of(type);
        }
      };

  private record Layout(Field size, Field n, Field loadFactor, List<Field> arrays) {
    static Layout of(Class<?> type) {
      try {
        Class<?> declaring = type;
        while (declaring != null && !hasField(declaring, "maxFill")) {
          declaring = declaring.getSuperclass(); // a program subclass of the map
        }
        if (declaring == null) {
          return null;
        }
        List<Field> arrays = new ArrayList<>();
        for (Field f : declaring.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && f.getType().isArray()) {
            f.setAccessible(true);
            arrays.add(f);
          }
        }
        Field size = declaring.getDeclaredField("size");
        Field n = declaring.getDeclaredField("n");
        Field loadFactor = declaring.getDeclaredField("f");
        size.setAccessible(true);
        n.setAccessible(true);
        loadFactor.setAccessible(true);
        return new Layout(size, n, loadFactor, List.copyOf(arrays));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    private static boolean hasField(Class<?> type, String name) {
      for (Field f : type.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return true;
        }
      }
      return false;
    }
  }

  private FastutilGauges() {}

  /** The gauge values of {@code map} (indexed as {@link TroveGauges}'s), or null if unreadable. */
  public static long[] read(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return null;
    }
    try {
      int size = l.size.getInt(map);
      int n = l.n.getInt(map);
      float loadFactor = l.loadFactor.getFloat(map);
      long trimmed = trimmedCapacity(size, n, loadFactor);
      // Each table array has n + 1 slots: the last holds the null key.
      long[] bytes = TroveGauges.tableBytes(map, l.arrays, n + 1L, trimmed + 1);
      return new long[] {size, n, n - trimmed, bytes[0], bytes[1]};
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The table size {@code trim()} leaves: the power of two that holds {@code size} entries at the
   * load factor, if it is smaller than {@code n} and holds them (fastutil's {@code trim(int)}).
   */
  static long trimmedCapacity(int size, int n, float loadFactor) {
    // fastutil's own arithmetic, in float: HashCommon.nextPowerOfTwo and HashCommon.maxFill.
    int l = 1 << (32 - Integer.numberOfLeadingZeros((int) Math.ceil(size / loadFactor) - 1));
    int maxFill = Math.min((int) Math.ceil(l * loadFactor), l - 1);
    return l < n && size <= maxFill ? l : n;
  }
}
