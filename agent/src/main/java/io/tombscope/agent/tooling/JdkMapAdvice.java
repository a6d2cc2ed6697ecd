package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.JdkProbes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into the JDK's maps. Each body is at most a field comparison and one call into
 * {@link JdkProbes}: the advised methods must stay small enough for the JIT to inline them as
 * before, and a removal that hits calls nothing from {@code remove} itself (the hit is counted
 * where the node is unlinked), so the common path gains one compare. {@code suppress =
 * Throwable.class} keeps any failure away from the app.
 */
final class JdkMapAdvice {
  private JdkMapAdvice() {}

  // --- Construction -------------------------------------------------------------------------

  /** Every constructor of every advised map class; the probe tells the families apart. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      JdkProbes.created(map);
    }
  }

  // --- HashMap and LinkedHashMap ------------------------------------------------------------

  /** {@code afterNodeRemoval}: every path that unlinks a node passes here. */
  static final class NodeRemoved {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map) {
      JdkProbes.removed(map);
    }
  }

  /**
   * {@code remove(key)}: a miss leaves the size alone; a hit that returns null is silent. One in
   * {@code sample} of a tracked map's is timed ({@link JdkProbes#timeNextRemove}).
   */
  static final class RemoveKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(
        @Advice.This Object map,
        @Advice.FieldValue("size") int size,
        @Advice.Local("startNanos") long startNanos) {
      if (JdkProbes.timeNextRemove) {
        startNanos = JdkProbes.removeTimingStart(map);
      }
      return size;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.Enter int before,
        @Advice.Local("startNanos") long startNanos,
        @Advice.FieldValue("size") int after,
        @Advice.Return Object removed) {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      if (after == before) {
        JdkProbes.removeMissed(map);
      } else if (removed == null) {
        JdkProbes.removedSilently(map);
      }
    }
  }

  /** {@code remove(key, value)} of HashMap: false is a miss (the hit is counted on unlink). */
  static final class RemoveKeyValue {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @Advice.Return boolean removed) {
      if (!removed) {
        JdkProbes.removeMissed(map);
      }
    }
  }

  /**
   * {@code resize()}: timed for tracked maps, counted for the others, whose table may grow big
   * enough to be tracked from then on; the first allocation of a table is not a resize.
   */
  static final class Resize {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @Advice.FieldValue("table") Object[] table,
        @Advice.Local("oldCapacity") int oldCapacity) {
      oldCapacity = table == null ? 0 : table.length;
      return JdkProbes.resizeStart(map, oldCapacity);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.Enter long startNanos,
        @Advice.Local("oldCapacity") int oldCapacity,
        @Advice.Return Object[] table,
        @Advice.FieldValue("size") int size) {
      JdkProbes.resizeEnd(map, startNanos, oldCapacity, table.length, size);
    }
  }

  /** {@code clear()} of a map with entries (HashMap, WeakHashMap, IdentityHashMap). */
  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map, @Advice.FieldValue("size") int size) {
      if (size > 0) {
        JdkProbes.cleared(map);
      }
    }
  }

  // --- IdentityHashMap and WeakHashMap ------------------------------------------------------

  /** IdentityHashMap's {@code remove(key)}: the size tells hit from miss; timed as RemoveKey. */
  static final class SizeRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(
        @Advice.This Object map,
        @Advice.FieldValue("size") int size,
        @Advice.Local("startNanos") long startNanos) {
      if (JdkProbes.timeNextRemove) {
        startNanos = JdkProbes.removeTimingStart(map);
      }
      return size;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.Enter int before,
        @Advice.Local("startNanos") long startNanos,
        @Advice.FieldValue("size") int after) {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      JdkProbes.removeReturned(map, after < before);
    }
  }

  /**
   * {@code Map.remove(key, value)}, the default that WeakHashMap and, before Java 20,
   * IdentityHashMap inherit: on a match it calls {@code remove(key)}, which counts the hit, so only
   * false is counted here, as a miss. Maps that are not tracked pay one lookup, and only on false.
   */
  static final class DefaultRemoveKeyValue {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @Advice.Return boolean removed) {
      if (!removed) {
        JdkProbes.removeMissed(map);
      }
    }
  }

  /** A removal that returns whether it removed ({@code IdentityHashMap.removeMapping}). */
  static final class BooleanRemove {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @Advice.Return boolean removed) {
      JdkProbes.removeReturned(map, removed);
    }
  }

  /**
   * The {@code remove()} of IdentityHashMap's iterators: over the live table it unlinks the entry
   * and closes the gap without calling {@code remove(key)}, so it is counted here.
   */
  static final class IdentityIteratorRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(
        @Advice.FieldValue("this$0") Object map,
        @Advice.FieldValue("traversalTable") Object[] traversalTable) {
      return JdkProbes.identityIteratorRemoveStart(map, traversalTable);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map, @Advice.Enter int sizeBefore) {
      if (sizeBefore >= 0) {
        JdkProbes.identityIteratorRemoveEnd(map, sizeBefore);
      }
    }
  }

  /**
   * WeakHashMap's {@code remove(key)}: its size also drops by the stale entries it expunges first,
   * but only a removal of the key itself counts a modification, so {@code modCount} tells hit from
   * miss; a hit that returns null (a key mapped to null) is silent.
   */
  static final class WeakRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(
        @Advice.This Object map,
        @Advice.FieldValue("modCount") int modCount,
        @Advice.Local("startNanos") long startNanos) {
      if (JdkProbes.timeNextRemove) {
        startNanos = JdkProbes.removeTimingStart(map);
      }
      return modCount;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.Enter int before,
        @Advice.Local("startNanos") long startNanos,
        @Advice.FieldValue("modCount") int after,
        @Advice.Return Object removed) {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      boolean hit = after != before;
      JdkProbes.removeReturned(map, hit);
      if (hit && removed == null) {
        JdkProbes.removedSilently(map);
      }
    }
  }

  /**
   * A resize that takes the new capacity as an argument ({@code IdentityHashMap}, {@code
   * WeakHashMap}): the table length before and after tells whether it grew.
   */
  static final class ResizeTo {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @Advice.FieldValue("table") Object[] table,
        @Advice.Local("oldLength") int oldLength) {
      oldLength = table.length;
      return JdkProbes.resizeStart(map, oldLength);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.Enter long startNanos,
        @Advice.Local("oldLength") int oldLength,
        @Advice.FieldValue("table") Object[] table,
        @Advice.FieldValue("size") int size) {
      JdkProbes.resizeEnd(map, startNanos, oldLength, table.length, size);
    }
  }

  /** An expunge of stale entries: the size drop is what it removed. */
  static final class Expunge {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("size") int size) {
      return size;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map, @Advice.Enter int before, @Advice.FieldValue("size") int after) {
      if (after < before) {
        JdkProbes.expunged(map, before - after);
      }
    }
  }

  // --- ThreadLocal's map ----------------------------------------------------------------------

  static final class ThreadLocalRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map) {
      JdkProbes.threadLocalRemoveStart(map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      JdkProbes.threadLocalRemoveEnd(map);
    }
  }

  // --- ConcurrentHashMap ----------------------------------------------------------------------

  /**
   * {@code addCount}: every removal passes -1 (remove, replace with null, compute, merge, iterator
   * and view removals); only {@code clear()} passes the whole count of a clear at once, so a delta
   * below -1 is a clear (a clear of a single mapping reads as a delete).
   */
  static final class AddCount {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map, @Advice.Argument(0) long delta) {
      if (delta == -1L) {
        JdkProbes.concurrentRemoved(map, 1L);
      } else if (delta < -1L) {
        JdkProbes.concurrentCleared(map, -delta);
      }
    }
  }

  /** {@code remove(key)}: null is a miss (the map holds no null values); timed as RemoveKey. */
  static final class ConcurrentRemoveKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(@Advice.This Object map) {
      return JdkProbes.timeNextRemove ? JdkProbes.removeTimingStart(map) : 0L;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map, @Advice.Enter long startNanos, @Advice.Return Object removed) {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      if (removed == null) {
        JdkProbes.concurrentRemoveMissed(map);
      }
    }
  }

  /** {@code remove(key, value)}: false is a miss. */
  static final class ConcurrentRemoveKeyValue {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @Advice.Return boolean removed) {
      if (!removed) {
        JdkProbes.concurrentRemoveMissed(map);
      }
    }
  }

  /**
   * {@code transfer(tab, nextTab)}: called with a null {@code nextTab} by the thread that starts a
   * resize and with the new table by each helper; the resize is over when {@code nextTable} is null
   * again.
   */
  static final class Transfer {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @Advice.Argument(0) Object[] table,
        @Advice.Argument(1) Object[] nextTable,
        @Advice.Local("oldLength") int oldLength) {
      oldLength = table.length;
      JdkProbes.transferEnter(map, nextTable == null);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.Local("oldLength") int oldLength,
        @Advice.FieldValue("nextTable") Object[] nextTable,
        @Advice.FieldValue("table") Object[] table) {
      JdkProbes.transferExit(map, nextTable == null, oldLength, table.length);
    }
  }
}
