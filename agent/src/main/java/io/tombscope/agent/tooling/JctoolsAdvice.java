package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.JctoolsProbes;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into JCTools' {@code NonBlockingHashMap} and {@code NonBlockingHashMapLong} and
 * their {@code CHM} classes. {@code putIfMatch} carries every put and remove, so its advice is two
 * reference comparisons and, for a remove by key only, a call into {@link JctoolsProbes}, and a
 * second with the dead keys when the first asks for them (after a hit that could have lifted them
 * past their peak: the hits less the keys revived since the last read, which {@code putIfMatch0}
 * reports where it swaps a value, see {@link JctoolsInstrumentation}). A map class that loaded
 * after the agent passes the map's recorder from its own field ({@link RecorderField}) and its dead
 * keys from a method of its own; one retransformed later passes null and {@link
 * JctoolsProbes#DEAD_KEYS_UNREAD}, and the probes look the map up and read its dead keys through
 * reflection. {@code suppress = Throwable.class} keeps any failure away from the app.
 */
final class JctoolsAdvice {
  private JctoolsAdvice() {}

  /** Every constructor: the innermost to finish tracks the map. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object map) {
      JctoolsProbes.created(map);
    }
  }

  /**
   * {@code putIfMatch(key, newVal, oldVal)}: a remove by key ({@code TOMBSTONE} for any old value)
   * hit if it returned the old value. Removes that must match a value are told by {@link
   * RemoveValue}.
   */
  static final class PutIfMatch {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @DeadKeys int deadKeys,
        @Advice.Argument(1) Object newVal,
        @Advice.Argument(2) Object oldVal,
        @Advice.Return Object returned,
        @Advice.FieldValue("TOMBSTONE") Object tombstone,
        @Advice.FieldValue("NO_MATCH_OLD") Object noMatchOld) {
      if (newVal == tombstone
          && oldVal == noMatchOld
          && JctoolsProbes.deleted(recorder, map, returned != null)) {
        JctoolsProbes.deadKeysRead(recorder, map, deadKeys);
      }
    }
  }

  /** {@code remove(key, value)}: true if it removed the mapping. */
  static final class RemoveValue {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @RecorderField.Value Object recorder,
        @DeadKeys int deadKeys,
        @Advice.Return boolean removed) {
      if (JctoolsProbes.deleted(recorder, map, removed)) {
        JctoolsProbes.deadKeysRead(recorder, map, deadKeys);
      }
    }
  }

  /**
   * An advice parameter ({@code int}) read only where it is used: the dead keys of the map's
   * current table from the method the class gained as it loaded, or {@link
   * JctoolsProbes#DEAD_KEYS_UNREAD} in a class retransformed without it.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface DeadKeys {}

  /** {@code clone()}: the copy's fields hold its source's recorder, which is not its own. */
  static final class Cloned {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return Object copy) {
      JctoolsProbes.cloned(copy);
    }
  }

  /** {@code NonBlockingHashMap.rehash()}: called once per resize, by the thread that started it. */
  static final class Rehash {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map) {
      JctoolsProbes.resizeStarted(map, null);
    }
  }

  /**
   * {@code NonBlockingHashMapLong$CHM.CAS_newchm(newchm)}: true once per resize, for its winner.
   */
  static final class NewTableLong {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object table,
        @Advice.FieldValue("_nbhml") Object map,
        @Advice.Return boolean installed) {
      if (installed) {
        JctoolsProbes.resizeStarted(map, table);
      }
    }
  }

  /** {@code NonBlockingHashMap$CHM.copy_check_and_promote(topmap, oldkvs, workdone)}. */
  static final class Promote {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) Object map, @Advice.Argument(1) Object from) {
      JctoolsProbes.copied(map, from);
    }
  }

  /** {@code NonBlockingHashMapLong$CHM.copy_check_and_promote(workdone)}. */
  static final class PromoteLong {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object table, @Advice.FieldValue("_nbhml") Object map) {
      JctoolsProbes.copied(map, table);
    }
  }

  /** {@code clear()} (and {@code clear(boolean)}): the table it drops goes with its dead keys. */
  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object map) {
      JctoolsProbes.cleared(map);
    }
  }
}
