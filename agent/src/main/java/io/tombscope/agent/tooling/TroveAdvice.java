package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.TroveProbes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into Trove 3's {@code THash} and its generated subclasses. Each body is a field
 * read or comparison and at most one call into {@link TroveProbes}: {@code removeAt} and {@code
 * postInsertHook} run on every remove and insert and must stay small enough to inline. A class that
 * loaded after the agent passes the map's recorder from its own field ({@link RecorderField}); one
 * retransformed later passes null, and the probes look the map up. {@code suppress =
 * Throwable.class} keeps any failure away from the app.
 */
final class TroveAdvice {
  private TroveAdvice() {}

  // --- THash -----------------------------------------------------------------------------------

  /** Every {@code THash} constructor: the innermost to finish tracks the map. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      TroveProbes.created(map);
    }
  }

  /**
   * {@code THash.removeAt(int)}: every removal, after the subclass marked the slot REMOVED. Enter
   * only: a compaction it runs is told from an explicit one by Trove's own state ({@link Compact}).
   */
  static final class RemoveAt {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("_autoCompactTemporaryDisable") boolean autoCompactionDisabled,
        @Advice.FieldValue("_autoCompactionFactor") float autoCompactionFactor) {
      TroveProbes.removed(recorder, map, !autoCompactionDisabled && autoCompactionFactor != 0);
    }
  }

  /** {@code reenableAutoCompaction(checkForCompaction)}: the other place Trove compacts itself. */
  static final class Reenable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Argument(0) boolean checkForCompaction,
        @Advice.FieldValue("_autoCompactionFactor") float autoCompactionFactor) {
      TroveProbes.reenabled(recorder, map, checkForCompaction && autoCompactionFactor != 0);
    }
  }

  /**
   * {@code compact()}: names the cause of the rehash it runs, which takes the cause back at its
   * end. Trove compacts on its own only when its countdown of removes ran out.
   */
  static final class Compact {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("_autoCompactionFactor") float autoCompactionFactor,
        @Advice.FieldValue("_autoCompactRemovesRemaining") int removesRemaining) {
      TroveProbes.compactStart(recorder, map, autoCompactionFactor != 0 && removesRemaining <= 0);
    }
  }

  /**
   * {@code postInsertHook(usedFreeSlot)}: false means the new key took a REMOVED slot. At its end
   * the insert is complete, a safe point for a compaction the release trigger asked for.
   */
  static final class PostInsert {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Argument(0) boolean usedFreeSlot) {
      if (!usedFreeSlot) {
        TroveProbes.tombstoneReused(recorder, map);
      }
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("_autoCompactTemporaryDisable") boolean autoCompactionDisabled) {
      if (TroveProbes.compactionsRequested) {
        TroveProbes.written(recorder, map, autoCompactionDisabled);
      }
    }
  }

  /** {@code THash.clear()}, which every subclass's {@code clear()} calls first. */
  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("_size") int size) {
      TroveProbes.cleared(recorder, map, size);
    }
  }

  // --- The generated subclasses ----------------------------------------------------------------

  /** {@code remove(key)}: a size that did not change is a miss (a hit passes removeAt). */
  static final class RemoveKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("_size") int size) {
      return size;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("_size") int after,
        @Advice.FieldValue("_autoCompactTemporaryDisable") boolean autoCompactionDisabled) {
      if (after == before) {
        TroveProbes.removeMissed(recorder, map);
      }
      if (TroveProbes.compactionsRequested) {
        TroveProbes.written(recorder, map, autoCompactionDisabled);
      }
    }
  }

  /** {@code rehash(newCapacity)}: timed, with the capacity before and the entries moved. */
  static final class Rehash {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("_size") int size,
        @Advice.FieldValue("_free") int free) {
      return TroveProbes.rehashStart(recorder, map, size, free);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.Argument(0) int newCapacity,
        @Advice.FieldValue("_size") int size) {
      TroveProbes.rehashEnd(recorder, map, startNanos, newCapacity, size);
    }
  }
}
