package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the state of a JCTools {@code NonBlockingHashMap}, {@code NonBlockingHashMapLong} or {@code
 * NonBlockingIdentityHashMap} (laid out as the first) through reflection cached per class: the
 * current table (its {@code _kvs} array, or its {@code _chm}), the table's length, and the two
 * striped counters of its control structure, {@code _slots} (key slots ever claimed in this table)
 * and {@code _size} (live entries). Dead keys are {@code _slots − _size}: removed keys that still
 * sit in their slots until a resize copies the live ones.
 *
 * <p>Every read is an estimate: the map is concurrent, its counters are striped sums ({@code
 * ConcurrentAutoTable}) that other threads may be adding to, and during a resize the current table
 * is the old one while new writes go to the next. Read when no thread writes the map, the numbers
 * are the library's own, exactly. Reads never call a method with side effects ({@code slots()} and
 * {@code size()} only sum the stripes). A class whose fields cannot be read gives nothing (-1 or
 * null).
 */
public final class JctoolsGauges {
  public static final int SIZE = 0;
  public static final int CAPACITY = 1;
  public static final int DEAD_KEYS = 2;
  public static final int BYTES = 3;
  public static final int RECREATED_BYTES = 4;
  public static final int RECREATED_CAPACITY = 5;

  static final String NBHM = "org.jctools.maps.NonBlockingHashMap";
  static final String NBHML = "org.jctools.maps.NonBlockingHashMapLong";
  static final String NBIHM = "org.jctools.maps.NonBlockingIdentityHashMap";

  private static final int REF = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;
  // A table's control structure and its two ConcurrentAutoTables, roughly.
  private static final long CONTROL_BYTES = 160;

  private static final ClassValue<Layout> LAYOUTS =
      new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
          return Layout.of(type);
        }
      };

  /**
   * How to read one map class. {@code top} gives the current table: the {@code Object[]} of a
   * NonBlockingHashMap (its control structure at index 0), or the {@code CHM} of a
   * NonBlockingHashMapLong (which is both).
   */
  private record Layout(
      boolean isLong,
      boolean hashes,
      MethodHandle top,
      MethodHandle slots,
      MethodHandle size,
      MethodHandle next,
      MethodHandle keys,
      MethodHandle val1,
      Object tombstone) {
    static Layout of(Class<?> type) {
      try {
        Class<?> c = jctoolsClass(type);
        if (c == null) {
          return null;
        }
        boolean isLong = c.getName().equals(NBHML);
        Class<?> chm = Class.forName(c.getName() + "$CHM", false, c.getClassLoader());
        MethodHandles.Lookup l = MethodHandles.lookup();
        // Typed on Object, so that the delete path calls them with invokeExact, adapting nothing.
        MethodType toObject = MethodType.methodType(Object.class, Object.class);
        MethodType toInt = MethodType.methodType(int.class, Object.class);
        MethodHandle top =
            l.unreflectGetter(open(c.getDeclaredField(isLong ? "_chm" : "_kvs"))).asType(toObject);
        MethodHandle slots = l.unreflect(open(chm.getDeclaredMethod("slots"))).asType(toInt);
        MethodHandle size = l.unreflect(open(chm.getDeclaredMethod("size"))).asType(toInt);
        MethodHandle next =
            l.unreflectGetter(open(chm.getDeclaredField(isLong ? "_newchm" : "_newkvs")))
                .asType(toObject);
        MethodHandle keys =
            isLong ? l.unreflectGetter(open(chm.getDeclaredField("_keys"))).asType(toObject) : null;
        MethodHandle val1 =
            isLong ? l.unreflectGetter(open(c.getDeclaredField("_val_1"))).asType(toObject) : null;
        Object tombstone = open(c.getDeclaredField("TOMBSTONE")).get(null);
        // NonBlockingIdentityHashMap keeps no array of hashes beside its keys and values.
        boolean hashes = !c.getName().equals(NBIHM);
        return new Layout(isLong, hashes, top, slots, size, next, keys, val1, tombstone);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }

    Object chm(Object table) {
      return isLong ? table : ((Object[]) table)[0];
    }

    int length(Object table) throws Throwable {
      return isLong
          ? ((long[]) (Object) keys.invokeExact(table)).length
          : (((Object[]) table).length - 2) >> 1;
    }

    long slots(Object table) throws Throwable {
      return (int) slots.invokeExact(chm(table));
    }

    long size(Object table) throws Throwable {
      return (int) size.invokeExact(chm(table));
    }

    Object next(Object table) throws Throwable {
      return (Object) next.invokeExact(chm(table));
    }
  }

  /** The JCTools map class {@code type} is or extends, or null. */
  private static Class<?> jctoolsClass(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      String name = c.getName();
      if (name.equals(NBHM) || name.equals(NBHML) || name.equals(NBIHM)) {
        return c;
      }
    }
    return null;
  }

  /**
   * The {@code clear()} of the JCTools class {@code map} is, which builds a throwaway map of that
   * class for its new table ({@code "NonBlockingHashMap.clear"} …).
   */
  static String clearOf(Object map) {
    Class<?> c = jctoolsClass(map.getClass());
    return (c == null ? NBHM : c.getName()) + ".clear";
  }

  private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
    member.setAccessible(true);
    return member;
  }

  private JctoolsGauges() {}

  /** The map's current table, or null if unreadable. */
  static Object table(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return null;
    }
    try {
      return (Object) l.top.invokeExact(map);
    } catch (Throwable t) {
      return null;
    }
  }

  /** Dead keys of the map's current table ({@code _slots − _size}), or -1 if unreadable. */
  static long deadKeys(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return -1;
    }
    try {
      Object table = (Object) l.top.invokeExact(map);
      return Math.max(0, l.slots(table) - l.size(table));
    } catch (Throwable t) {
      return -1;
    }
  }

  /**
   * The table a resize that just started copies from: the last of the chain of tables from the
   * current one that has a next table (the chain is longer than two only when a resize starts while
   * another is still copying).
   */
  static Object resizing(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return null;
    }
    try {
      Object table = (Object) l.top.invokeExact(map);
      for (int i = 0; table != null && i < 64; i++) {
        Object next = l.next(table);
        if (next == null || l.next(next) == null) {
          return next == null ? null : table;
        }
        table = next;
      }
      return null;
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * A table's length, key slots claimed, live entries, and the length of its next table (0 if it
   * has none); null if unreadable.
   */
  static long[] tableState(Object map, Object table) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null || table == null) {
      return null;
    }
    try {
      Object next = l.next(table);
      return new long[] {
        l.length(table), l.slots(table), l.size(table), next == null ? 0 : l.length(next)
      };
    } catch (Throwable t) {
      return null;
    }
  }

  /** The gauge values of {@code map} (indexed by the constants above), or null if unreadable. */
  public static long[] read(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return null;
    }
    try {
      Object table = (Object) l.top.invokeExact(map);
      long capacity = l.length(table);
      long tableSize = l.size(table);
      long dead = Math.max(0, l.slots(table) - tableSize);
      long size = tableSize + (l.isLong && (Object) l.val1.invokeExact(map) != l.tombstone ? 1 : 0);
      long recreated = recreatedCapacity(l.isLong, size);
      return new long[] {
        size,
        capacity,
        dead,
        tableBytes(l.isLong, l.hashes, capacity),
        Math.min(
            tableBytes(l.isLong, l.hashes, capacity), tableBytes(l.isLong, l.hashes, recreated)),
        recreated
      };
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * The table length of a new map holding {@code size} entries at the density NonBlockingHashMap's
   * constructor aims for: the power of two at least 4 × size (and at least 8 slots, 16 for
   * NonBlockingHashMapLong).
   */
  static long recreatedCapacity(boolean isLong, long size) {
    long want = Math.max(isLong ? 16 : 8, 4 * size);
    return Long.highestOneBit(Math.max(1, want - 1)) << 1;
  }

  /**
   * The bytes of a table of {@code capacity} slots: its arrays (with an {@code int} hash per slot
   * if {@code hashes}) and its control structure.
   */
  static long tableBytes(boolean isLong, boolean hashes, long capacity) {
    if (isLong) {
      return arrayBytes(capacity, 8) + arrayBytes(capacity, REF) + CONTROL_BYTES;
    }
    return arrayBytes(2 * capacity + 2, REF)
        + (hashes ? arrayBytes(capacity, 4) : 0)
        + CONTROL_BYTES;
  }

  private static long arrayBytes(long length, int element) {
    return (16 + length * element + 7) & ~7L;
  }
}
