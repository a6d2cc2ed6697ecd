package io.tombscope.agent.bootstrap;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Reads the state of a tracked {@code UnifiedMap} or {@code UnifiedSet} of Eclipse Collections (or
 * of their siblings with a hashing strategy, of the same layout) from the flusher's thread, by
 * reflection on the library's own fields: {@code occupied}, {@code table} and {@code loadFactor}.
 * The map's table holds a key and its value side by side, a colliding bucket holding {@code
 * CHAINED_KEY} and an {@code Object[]} chain; the set's holds one element a slot, a colliding
 * bucket a {@code ChainedBucket} of four. Gives size, capacity, the bytes of the table and its
 * chains, and what {@code trimToSize()} would leave of them.
 *
 * <p>Reads are racy snapshots of a map its own thread may be writing: plain field and array reads,
 * never a method. A class whose fields cannot be read gives no gauge.
 */
final class EclipseUnifiedGauges {
  private static final int REF = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;
  // The map or set object: header and its fields (table, occupied, loadFactor, maxSize).
  private static final long OBJECT_BYTES = 32;
  private static final long BUCKET_BYTES = (12 + 4L * REF + 7) & ~7L;
  // The set's bucket class, and its sibling's with a hashing strategy.
  private static final java.util.List<String> SET_BUCKETS =
      java.util.List.of(
          "org.eclipse.collections.impl.set.mutable.UnifiedSet$ChainedBucket",
          "org.eclipse.collections.impl.set.strategy.mutable.UnifiedSetWithHashingStrategy$ChainedBucket");

  // A set's chain is bounded by its load factor; the bound only guards against a racy read.
  private static final int MAX_CHAIN = 64;

  // The field {@code three} of a set's ChainedBucket, null for any other class.
  private static final ClassValue<Field> BUCKET_NEXT =
      new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
          if (!SET_BUCKETS.contains(type.getName())) {
            return null;
          }
          try {
            Field three = type.getDeclaredField("three");
            three.setAccessible(true);
            return three;
          } catch (NoSuchFieldException | RuntimeException e) {
            return null;
          }
        }
      };

  private static final ClassValue<Layout> LAYOUTS =
      new ClassValue<>() {
        @Override
        protected Layout computeValue(Class<?> type) {
          return Layout.of(type);
        }
      };

  /**
   * The fields of one class, found up its superclasses (a program may subclass either); {@code
   * chainedKey} the map's marker of a chained bucket, null for a set.
   */
  private record Layout(Field occupied, Field table, Field loadFactor, Object chainedKey) {
    static Layout of(Class<?> type) {
      try {
        Field occupied = find(type, "occupied");
        Field table = find(type, "table");
        Field loadFactor = find(type, "loadFactor");
        if (occupied == null || table == null || loadFactor == null) {
          return null;
        }
        Field chained = find(type, "CHAINED_KEY");
        Object chainedKey = null;
        if (chained != null && Modifier.isStatic(chained.getModifiers())) {
          chained.setAccessible(true);
          chainedKey = chained.get(null);
        }
        occupied.setAccessible(true);
        table.setAccessible(true);
        loadFactor.setAccessible(true);
        return new Layout(occupied, table, loadFactor, chainedKey);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  private static Field find(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // declared further up
      }
    }
    return null;
  }

  private EclipseUnifiedGauges() {}

  /**
   * The gauge values of {@code map}, indexed as {@link TroveGauges}'s ({@code SIZE}, {@code
   * CAPACITY}, {@code DEAD_SLOTS}, {@code BYTES}, {@code COMPACTED_BYTES}), or null if unreadable.
   */
  static long[] read(Object map) {
    Layout l = LAYOUTS.get(map.getClass());
    if (l == null) {
      return null;
    }
    try {
      int size = l.occupied.getInt(map);
      float loadFactor = l.loadFactor.getFloat(map);
      if (!(l.table.get(map) instanceof Object[] table) || loadFactor <= 0) {
        return null;
      }
      boolean pairs = l.chainedKey != null;
      long capacity = pairs ? table.length / 2 : table.length;
      long chains = chainBytes(table, l.chainedKey);
      long trimmed = trimmedCapacity(size, loadFactor, capacity);
      long perSlot = pairs ? 2 : 1;
      long bytes = OBJECT_BYTES + arrayBytes(table.length) + chains;
      long trimmedBytes = OBJECT_BYTES + arrayBytes(trimmed * perSlot) + chains;
      return new long[] {
        size, capacity, Math.max(0, capacity - trimmed), bytes, Math.min(bytes, trimmedBytes)
      };
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The bytes of the chains hanging off {@code table}: the map's arrays, the set's buckets. */
  private static long chainBytes(Object[] table, Object chainedKey) throws IllegalAccessException {
    long bytes = 0;
    if (chainedKey != null) {
      for (int i = 0; i + 1 < table.length; i += 2) {
        if (table[i] == chainedKey && table[i + 1] instanceof Object[] chain) {
          bytes += arrayBytes(chain.length);
        }
      }
      return bytes;
    }
    for (Object slot : table) {
      // A bucket's last field holds the next bucket of a chain longer than four.
      for (int depth = 0; slot != null && depth < MAX_CHAIN; depth++) {
        Field next = BUCKET_NEXT.get(slot.getClass());
        if (next == null) {
          break;
        }
        bytes += BUCKET_BYTES;
        slot = next.get(slot);
      }
    }
    return bytes;
  }

  /**
   * The capacity {@code trimToSize()} leaves for {@code size} entries: the smallest power of two
   * not below {@code size / loadFactor}, if the table is more than twice that; else the table
   * stays.
   */
  static long trimmedCapacity(int size, float loadFactor, long capacity) {
    float wanted = size / loadFactor;
    long needed = (long) wanted;
    if (wanted - needed > 0) {
      needed++;
    }
    if (capacity <= needed << 1) {
      return capacity;
    }
    long trimmed = 1;
    while (trimmed < needed) {
      trimmed <<= 1;
    }
    return trimmed;
  }

  private static long arrayBytes(long length) {
    return (16 + length * REF + 7) & ~7L;
  }
}
