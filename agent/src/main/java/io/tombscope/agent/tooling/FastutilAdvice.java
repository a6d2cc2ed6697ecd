package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.FastutilProbes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into fastutil's open hash maps and their iterators. Each body is a field read or
 * comparison and at most one call into {@link FastutilProbes}: {@code removeEntry}, {@code
 * remove(key)} and {@code put} run on every delete and insert and must stay small enough to inline.
 * A map class that loaded after the agent passes the map's recorder from its own field ({@link
 * RecorderField}); one retransformed later, and every iterator, pass null or the map, and the
 * probes look the map up. {@code suppress = Throwable.class} keeps any failure away from the app.
 */
final class FastutilAdvice {
  private FastutilAdvice() {}

  /** Every constructor: the innermost to finish tracks the map. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      FastutilProbes.created(map);
    }
  }

  /** {@code clone()}: a new map, built without a constructor, its fields copied from its source. */
  static final class Cloned {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return Object copy) {
      FastutilProbes.cloned(copy);
    }
  }

  /** {@code removeEntry(int)} and {@code removeNullEntry()}: every removal of the map's own. */
  static final class RemoveEntry {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map, @RecorderField.Value Object recorder) {
      FastutilProbes.removed(recorder, map);
    }
  }

  /** A linked map's {@code removeFirst…()} and {@code removeLast…()}: a removal unless it threw. */
  static final class RemoveEnd {
    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        FastutilProbes.removed(recorder, map);
      }
    }
  }

  /** {@code remove(key)}: a size that did not change is a miss (a hit passes removeEntry). */
  static final class RemoveKey {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("size") int size) {
      return size;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter int before,
        @Advice.FieldValue("size") int after) {
      if (after == before) {
        FastutilProbes.removeMissed(recorder, map);
      } else if (FastutilProbes.compactionsRequested) {
        FastutilProbes.written(recorder, map);
      }
    }
  }

  /**
   * {@code put(key, value)} and a set's {@code add(key)}: a point where a requested trim may run.
   * Only the one flag is read until the release trigger asks for a trim.
   */
  static final class Put {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map, @RecorderField.Value Object recorder) {
      if (FastutilProbes.compactionsRequested) {
        FastutilProbes.written(recorder, map);
      }
    }
  }

  /** {@code rehash(newN)}: timed, with the table size before and after and the entries moved. */
  static final class Rehash {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("n") int n) {
      return FastutilProbes.rehashStart(recorder, map, n);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.Enter long startNanos,
        @Advice.FieldValue("n") int n,
        @Advice.FieldValue("size") int size) {
      FastutilProbes.rehashEnd(recorder, map, startNanos, n, size);
    }
  }

  /** {@code trim(int)}, which {@code trim()} calls: names the cause of the rehash it runs. */
  static final class Trim {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object map, @RecorderField.Value Object recorder) {
      return FastutilProbes.trimStart(recorder, map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object recorder) {
      FastutilProbes.trimEnd(recorder);
    }
  }

  /** {@code clear()}: counted when it emptied a map that held entries. */
  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @Advice.FieldValue("size") int size) {
      FastutilProbes.cleared(recorder, map, size);
    }
  }

  /** {@code MapIterator.remove()}: the map is the iterator's enclosing instance. */
  static final class IteratorRemove {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.FieldValue("this$0") Object map) {
      return FastutilProbes.iteratorRemoveStart(map);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(
        @Advice.FieldValue("this$0") Object map,
        @Advice.Enter Object recorder,
        @Advice.Thrown Throwable thrown) {
      FastutilProbes.iteratorRemoveEnd(map, recorder, thrown == null);
    }
  }
}
