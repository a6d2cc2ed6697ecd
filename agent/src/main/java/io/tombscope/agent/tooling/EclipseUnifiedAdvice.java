package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.EclipseProbes;
import io.tombscope.agent.bootstrap.EclipseUnifiedProbes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Eclipse Collections' {@code UnifiedMap} and {@code UnifiedSet}, their
 * siblings with a hashing strategy, and the iterators and views that remove from them. Each body is
 * a field read and at most one call into {@link EclipseUnifiedProbes} or {@link EclipseProbes}:
 * {@code put}, {@code add} and {@code remove} are the classes' hottest methods. A map or set passes
 * its recorder from its own field ({@link RecorderField}; null in a class retransformed after it
 * loaded, and the probes look the map up), an iterator or view goes through the lookup. {@code
 * suppress = Throwable.class} keeps any failure away from the app.
 */
final class EclipseUnifiedAdvice {
  private EclipseUnifiedAdvice() {}

  /** {@code remove(key)} of the map or set (and the set's {@code removeFromPool}): hit or miss. */
  static final class RemoveOne {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("occupied") int occupied) {
      return occupied;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupied") int after) {
      EclipseUnifiedProbes.removedOne(recorder, map, before, after);
    }
  }

  /**
   * {@code removeIf} of the map, {@code retainAllIterable} of the set: every entry gone is a hit,
   * counted here and not by the set's iterator, through which it may remove.
   */
  static final class RemoveSome {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupied") int occupied) {
      return EclipseUnifiedProbes.bulkStart(recorder, map, occupied);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupied") int after) {
      EclipseUnifiedProbes.bulkEnd(recorder, map, before, after);
    }
  }

  /**
   * {@code remove(entry)} of the map's entry set, which removes itself: hit or miss, read on the
   * map through its {@code this$0}.
   */
  static final class RemoveOneThrough {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("this$0") Object map) {
      return EclipseUnifiedProbes.occupied(map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map, @Advice.Enter int before) {
      EclipseUnifiedProbes.removedThrough(map, before, true);
    }
  }

  /**
   * An iterator's {@code remove()}, and {@code retainAll} of the map's key and entry sets: every
   * entry gone is a hit, read on the map through its {@code this$0}.
   */
  static final class RemoveSomeThrough {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("this$0") Object map) {
      return EclipseUnifiedProbes.occupied(map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map, @Advice.Enter int before) {
      EclipseUnifiedProbes.removedThrough(map, before, false);
    }
  }

  /**
   * {@code put(key, value)} of the map, {@code add(element)} of the set: at its end the write is
   * complete, a safe point for a compaction the release trigger asked for.
   */
  static final class Written {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @RecorderField.Value Object recorder) {
      if (EclipseProbes.compactionsRequested) {
        EclipseProbes.written(recorder, map);
      }
    }
  }

  /** {@code rehash(newCapacity)} of the map, whose table holds keys and values side by side. */
  static final class RehashMap {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("table") Object table) {
      return EclipseProbes.rehashStart(recorder, map, 0, table, true);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.FieldValue("occupied") int occupied,
        @Advice.FieldValue("table") Object table) {
      EclipseProbes.rehashEnd(recorder, map, startNanos, occupied, table, true);
    }
  }

  /** {@code rehash(newCapacity)} of the set, one element a slot. */
  static final class RehashSet {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("table") Object table) {
      return EclipseProbes.rehashStart(recorder, set, 0, table, false);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.FieldValue("occupied") int occupied,
        @Advice.FieldValue("table") Object table) {
      EclipseProbes.rehashEnd(recorder, set, startNanos, occupied, table, false);
    }
  }

  /** {@code trimToSize()} of the map: it rebuilds the table itself, without {@code rehash}. */
  static final class TrimMap {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("table") Object[] table) {
      return EclipseUnifiedProbes.trimStart(recorder, map, table.length >> 1);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.Enter Object recorder,
        @Advice.Return boolean trimmed,
        @Advice.FieldValue("occupied") int occupied,
        @Advice.FieldValue("table") Object[] table) {
      EclipseUnifiedProbes.trimEnd(recorder, trimmed, occupied, table.length >> 1);
    }
  }

  /** {@code trimToSize()} of the set. */
  static final class TrimSet {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("table") Object[] table) {
      return EclipseUnifiedProbes.trimStart(recorder, set, table.length);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.Enter Object recorder,
        @Advice.Return boolean trimmed,
        @Advice.FieldValue("occupied") int occupied,
        @Advice.FieldValue("table") Object[] table) {
      EclipseUnifiedProbes.trimEnd(recorder, trimmed, occupied, table.length);
    }
  }

  /** {@code clear()}: counted if the map held entries. */
  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupied") int occupied) {
      EclipseProbes.cleared(recorder, map, occupied, 0);
    }
  }
}
