package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.EclipseProbes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice inlined into Eclipse Collections' primitive hash maps and sets. Each body is a field read
 * or comparison and at most one call into {@link EclipseProbes}: {@code removeKeyAtIndex} and
 * {@code addKeyValueAtIndex} run on every remove and insert of a new key and must stay small enough
 * to inline (an insert reads one static field). A class that loaded after the agent passes the
 * map's recorder from its own field ({@link RecorderField}); one retransformed later passes null,
 * and the probes look the map up. {@code suppress = Throwable.class} keeps any failure away from
 * the app.
 */
final class EclipseAdvice {
  private EclipseAdvice() {}

  /** Every constructor: the innermost to finish tracks the map. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      EclipseProbes.created(map);
    }
  }

  /** {@code removeKeyAtIndex(int)} of a primitive-keyed map: every remove of a key in the table. */
  static final class RemoveAtIndex {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels) {
      EclipseProbes.removed(recorder, map, sentinels);
    }
  }

  /**
   * {@code removeKey(key)} and {@code removeKeyIfAbsent(key, value)} of a primitive-keyed map: a
   * hit passes {@code removeKeyAtIndex}, so one that left the data alone is a miss (or a key kept
   * beside the table).
   */
  static final class RemovePrimitiveKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("occupiedWithData") int data) {
      return data;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupiedWithData") int after,
        @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object key) {
      if (after == before) {
        EclipseProbes.removeMissed(recorder, map, key);
      }
    }
  }

  /**
   * {@code removeKey(key)} and {@code removeKeyIfAbsent(key, value)} of a primitive-keyed map with
   * {@code boolean} values, which write {@code REMOVED_KEY} themselves and rehash at the same size
   * once the sentinels pass their limit: a hit is the data falling by one, and one that left the
   * data alone is a miss (or a key kept beside the table).
   */
  static final class RemoveBooleanValuedKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("occupiedWithData") int data) {
      return data;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupiedWithData") int after,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels,
        @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object key) {
      if (after >= before) {
        EclipseProbes.removeMissed(recorder, map, key);
      } else if (sentinels > 0) {
        EclipseProbes.removed(recorder, map, sentinels);
      } else {
        // a hit leaves a sentinel unless it rehashed
        EclipseProbes.removedThenRehashed(recorder, map);
      }
    }
  }

  /**
   * The removes of an object-keyed map ({@code removeKeyAtIndex(key, index)}, or {@code
   * removeKey(key)} where the class has none, and {@code removeKeyIfAbsent}): each checks the key
   * itself, so a hit is the data falling by one.
   */
  static final class RemoveObjectKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("occupiedWithData") int data) {
      return data;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupiedWithData") int after,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels) {
      if (after < before) {
        EclipseProbes.removed(recorder, map, sentinels);
      } else {
        EclipseProbes.removeMissed(recorder, map, null);
      }
    }
  }

  /**
   * {@code addKeyValueAtIndex(key, value, index)}: an insert of a new key, which may take a
   * sentinel's slot (counted later, from the map's own count: see {@link EclipseProbes}). At its
   * end the insert is complete, a safe point for a compaction the release trigger asked for.
   */
  static final class Insert {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @RecorderField.Value Object recorder) {
      if (EclipseProbes.compactionsRequested) {
        EclipseProbes.written(recorder, map);
      }
    }
  }

  /** {@code trimToSize()} and {@code compact()}: the rehash they run is explicit. */
  static final class Compact {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object map, @RecorderField.Value Object recorder) {
      return EclipseProbes.compactStart(recorder, map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object recorder) {
      EclipseProbes.compactEnd(recorder);
    }
  }

  /** {@code rehash(newCapacity)} of a map whose table is {@code keys} (with {@code values}). */
  static final class RehashKeys {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels,
        @Advice.FieldValue("keys") Object table) {
      return EclipseProbes.rehashStart(recorder, map, sentinels, table, false);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.FieldValue("occupiedWithData") int data,
        @Advice.FieldValue("keys") Object table) {
      EclipseProbes.rehashEnd(recorder, map, startNanos, data, table, false);
    }
  }

  /** {@code rehash(newCapacity)} of a map whose table is {@code keysValues}, two slots a key. */
  static final class RehashKeysValues {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels,
        @Advice.FieldValue("keysValues") Object table) {
      return EclipseProbes.rehashStart(recorder, map, sentinels, table, true);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.FieldValue("occupiedWithData") int data,
        @Advice.FieldValue("keysValues") Object table) {
      EclipseProbes.rehashEnd(recorder, map, startNanos, data, table, true);
    }
  }

  /** {@code rehash(newCapacity)} of a primitive set, whose table is {@code table}. */
  static final class RehashTable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels,
        @Advice.FieldValue("table") Object table) {
      return EclipseProbes.rehashStart(recorder, set, sentinels, table, false);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.FieldValue("occupiedWithData") int data,
        @Advice.FieldValue("table") Object table) {
      EclipseProbes.rehashEnd(recorder, set, startNanos, data, table, false);
    }
  }

  /**
   * Every constructor of a primitive set: the copy constructor ({@code new LongHashSet(set)},
   * {@code newSet(set)}) starts with its source's sentinels.
   */
  static final class SetCreated {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object set, @Advice.FieldValue("occupiedWithSentinels") int sentinels) {
      EclipseProbes.createdSet(set, sentinels);
    }
  }

  /**
   * {@code remove(value)} of a primitive set: a hit moves one count from the data to the sentinels;
   * one that left the data alone is a miss, unless the value is kept in the set's bit field.
   */
  static final class SetRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("occupiedWithData") int data) {
      return data;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupiedWithData") int after,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels,
        @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object value) {
      if (after < before) {
        EclipseProbes.removed(recorder, set, sentinels);
      } else {
        EclipseProbes.setRemoveMissed(recorder, set, value);
      }
    }
  }

  /**
   * {@code retainAll(iterable)} of a primitive set: it swaps in the table of a new set holding the
   * retained values, so the values it drops leave no sentinel and the old sentinels go with the old
   * table.
   */
  static final class SetRetain {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupiedWithData") int data,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels) {
      EclipseProbes.retainStart(recorder, set, sentinels);
      return data;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object set,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("occupiedWithData") int after,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels) {
      EclipseProbes.retainEnd(recorder, set, before, after, sentinels);
    }
  }

  /**
   * {@code remove()} of a primitive set's iterator, which writes {@code REMOVED} into the set
   * itself: the set's private counts are read through the probes.
   */
  static final class SetIteratorRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("this$0") Object set) {
      return EclipseProbes.setData(set);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object set, @Advice.Enter int before) {
      EclipseProbes.setIteratorRemoved(set, before);
    }
  }

  /**
   * {@code retainAll(iterable)} of the key set or values view of a primitive-keyed map with {@code
   * boolean} values: it swaps a rebuilt table into the map, read through the probes.
   */
  static final class ViewRetain {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("this$0") Object map) {
      return EclipseProbes.viewRetainStart(map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.FieldValue("this$0") Object map, @Advice.Enter int before) {
      EclipseProbes.viewRetained(map, before);
    }
  }

  /** {@code clear()}: every sentinel goes. */
  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("occupiedWithData") int data,
        @Advice.FieldValue("occupiedWithSentinels") int sentinels) {
      EclipseProbes.cleared(recorder, map, data, sentinels);
    }
  }
}
