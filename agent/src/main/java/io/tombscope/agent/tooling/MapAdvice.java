package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.Probes;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into {@code BucketHashMap}'s observation points: one call each into {@link
 * Probes}, on the bootstrap class path. {@code suppress = Throwable.class} keeps any failure away
 * from the app; the probes count their own.
 */
final class MapAdvice {
  private MapAdvice() {}

  /** Every constructor: the innermost one to finish gives the map its recorder. */
  static final class Created {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.This Object map,
        @Advice.FieldValue(value = "observer", readOnly = false) Object observer) {
      if (observer == null) {
        observer = Probes.created(map);
      }
    }
  }

  static final class DeleteStart {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Return(readOnly = false) long startNanos) {
      startNanos = Probes.deleteStart(observer);
    }
  }

  static final class Delete {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Argument(0) long startNanos,
        @Advice.Argument(1) int probeLength,
        @Advice.Argument(2) boolean hit,
        @Advice.Argument(3) int collapsed,
        @Advice.FieldValue("tombstones") int tombstones,
        @Advice.Return(readOnly = false) boolean compact) {
      compact = Probes.delete(observer, startNanos, probeLength, hit, collapsed, tombstones);
    }
  }

  static final class TombstoneReused {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("observer") Object observer) {
      Probes.tombstoneReused(observer);
    }
  }

  static final class GrowStart {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Argument(0) int oldB,
        @Advice.Argument(1) boolean sameSize) {
      Probes.growStart(observer, oldB, sameSize);
    }
  }

  static final class EvacuateStart {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Return(readOnly = false) long startNanos) {
      startNanos = Probes.evacuateStart(observer);
    }
  }

  static final class Evacuate {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Argument(0) long startNanos,
        @Advice.Argument(1) int entriesMoved,
        @Advice.Argument(2) int tombstonesDropped) {
      Probes.evacuate(observer, startNanos, entriesMoved, tombstonesDropped);
    }
  }

  static final class GrowEnd {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Argument(0) int newB,
        @Advice.Argument(1) boolean sameSize) {
      Probes.growEnd(observer, newB, sameSize);
    }
  }

  static final class Trim {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("observer") Object observer, @Advice.Argument(0) int dropped) {
      Probes.trim(observer, dropped);
    }
  }

  static final class Clear {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("observer") Object observer, @Advice.Argument(0) int dropped) {
      Probes.clear(observer, dropped);
    }
  }

  static final class CompactionFailed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(
        @Advice.FieldValue("observer") Object observer, @Advice.Argument(0) Throwable failure) {
      Probes.compactionFailed(observer, failure);
    }
  }

  static final class Write {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(
        @Advice.FieldValue("observer") Object observer,
        @Advice.Return(readOnly = false) boolean compact) {
      compact = Probes.write(observer);
    }
  }
}
