package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The static entry points that advice inlined into Trove 3's {@code THash} family calls ({@code
 * gnu.trove.impl.hash.THash} and its ~80 generated map and set classes). JDK types only, in the
 * boot loader.
 *
 * <p>What Trove does, and what the probes follow:
 *
 * <ol>
 *   <li>Every removal (remove, iterator, {@code retainEntries}, views) marks its slot {@code
 *       REMOVED} and then calls {@code THash.removeAt(int)}: a delete hit, and one more tombstone.
 *       A {@code remove(key)} that leaves {@code _size} alone is a miss.
 *   <li>An insert that reuses a {@code REMOVED} slot calls {@code postInsertHook(false)}.
 *   <li>Every rehash rebuilds the table without tombstones; {@code THash} runs it for three causes:
 *       the table outgrew its load factor (or {@code ensureCapacity}), no free slot was left
 *       ({@code _free == 0}: same capacity), or {@code compact()}, either explicit or Trove's own
 *       auto-compaction after {@code size × autoCompactionFactor} removes.
 *   <li>{@code clear()} drops every tombstone.
 * </ol>
 *
 * <p>So the live tombstones of a map, {@code capacity − _size − _free} in Trove's own terms, are
 * followed exactly from its construction: created by removes, less those reused, reclaimed by
 * rehashes and clears. Every map constructed while the agent runs is tracked (no sampling), found
 * through its own field ({@link RecorderFields}) or, in a class loaded before the agent, by
 * identity in {@link TrackedMaps}. A map is used by one thread at a time (Trove's contract), so the
 * counts are plain fields. No probe throws, allocates on the delete path (but for a call-site
 * sample), or takes a lock.
 */
public final class TroveProbes {
  /** The {@code family} of Trove sites in the recording. */
  public static final String FAMILY = "trove";

  /** The {@code tracking} of Trove sites: every map, from its construction. */
  public static final String TRACKING = "all";

  static final int AUTO_COMPACTION = 1;
  static final int EXPLICIT_COMPACTION = 2;

  private static final String TROVE_PACKAGE = "gnu.trove.";
  private static final AtomicLong UNTRACKED_FULL = new AtomicLong();

  /**
   * Set by the release trigger while some Trove map is asked to compact: the advice at the end of
   * an insert or a {@code remove(key)} reads only this until then.
   */
  public static volatile boolean compactionsRequested;

  private static final ClassValue<MethodHandle> COMPACT =
      LibraryMaps.publicMethod("compact", void.class);

  private TroveProbes() {}

  /** Trove maps not tracked because {@link TrackedMaps} was full. */
  public static long untrackedFull() {
    return UNTRACKED_FULL.get();
  }

  /**
   * A {@code THash} constructor finished. Constructors chain, so the innermost one tracks the map
   * and the others find it tracked.
   */
  public static void created(Object map) {
    LibraryMaps.track(map, FAMILY, TROVE_PACKAGE, UNTRACKED_FULL);
  }

  /**
   * Start of {@code THash.removeAt}: the slot is already {@code REMOVED}. If Trove may compact here
   * ({@code mayCompact}: compaction neither held off nor turned off by a factor of 0), a compaction
   * from here on may be its own.
   */
  public static void removed(Object recorder, Object map, boolean mayCompact) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.deleteHits++;
      if (--r.tombstonesBelowPeak < 0) {
        r.tombstonesBelowPeak = 0;
        r.tombstonesPeak++;
      }
      r.atAutoCompactionPoint = mayCompact;
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, map, true, TROVE_PACKAGE);
      }
    }
  }

  /**
   * Start of {@code reenableAutoCompaction}: a compaction from here on may be Trove's own if it
   * checks for one under a factor other than 0 ({@code mayCompact}).
   */
  public static void reenabled(Object recorder, Object map, boolean mayCompact) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.atAutoCompactionPoint = mayCompact;
    }
  }

  /** A {@code remove(key)} left the size unchanged: the key was absent. */
  public static void removeMissed(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.deleteMisses++;
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, map, false, TROVE_PACKAGE);
      }
    }
  }

  /** {@code postInsertHook(false)}: a new key went into a {@code REMOVED} slot. */
  public static void tombstoneReused(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.tombstonesReused++;
      r.tombstonesBelowPeak++;
    }
  }

  /**
   * Start of {@code compact()}. Trove's own when it starts at a point where Trove may compact (a
   * remove with compaction neither held off nor turned off, or a re-enabling that checks under a
   * factor other than 0) with Trove's countdown of removes run out ({@code countdownOut}); explicit
   * otherwise. The point is taken back here, and a remove that could compact but did not left the
   * countdown above 0, which only another remove lowers, so a later explicit call is not taken for
   * Trove's own.
   */
  public static void compactStart(Object recorder, Object map, boolean countdownOut) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.compactionCause =
          r.atAutoCompactionPoint && countdownOut ? AUTO_COMPACTION : EXPLICIT_COMPACTION;
      r.atAutoCompactionPoint = false;
    }
  }

  /**
   * Start of a class's {@code rehash(int)}, with {@code THash}'s {@code _size} and {@code _free}:
   * the capacity before is those and the live tombstones. Returns the start time, or 0 for an
   * untracked map or a rehash inside another (a subclass calling its superclass's).
   */
  public static long rehashStart(Object recorder, Object map, int size, int free) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || r.rehashDepth++ > 0) {
      return 0L;
    }
    r.rehashFromCapacity = (long) size + free + r.liveTombstones();
    long now = System.nanoTime();
    return now != 0L ? now : 1L;
  }

  /** End of a class's {@code rehash(newCapacity)}; {@code size} entries were moved. */
  public static void rehashEnd(
      Object recorder, Object map, long startNanos, int newCapacity, int size) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || --r.rehashDepth > 0 || startNanos == 0L) {
      if (r != null && r.rehashDepth < 0) {
        r.rehashDepth = 0;
      }
      return;
    }
    long duration = System.nanoTime() - startNanos;
    long dropped = r.liveTombstones();
    long from = r.rehashFromCapacity;
    int compactionCause = r.compactionCause;
    r.compactionCause = 0; // the compaction's one rehash
    String cause;
    if (compactionCause == AUTO_COMPACTION) {
      r.autoCompactions++;
      r.reclaimedByTrim += dropped;
      cause = RehashEvent.AUTO_COMPACTION;
    } else if (compactionCause == EXPLICIT_COMPACTION) {
      r.trims++;
      r.reclaimedByTrim += dropped;
      if (r.compactRequested) {
        r.compactions++; // before the volatile write that the release trigger waits for
        r.compactRequested = false;
      }
      cause = RehashEvent.COMPACT;
    } else {
      if (newCapacity > from) {
        r.growsLoad++;
        cause = RehashEvent.GROW;
      } else {
        r.growsOverflow++;
        cause = RehashEvent.SAME_SIZE;
      }
      r.growsFinished++;
      r.reclaimedByEvacuation += dropped;
    }
    r.tombstonesBelowPeak = r.tombstonesPeak - r.liveTombstones();
    r.entriesMoved += size;
    r.site.histogram(Site.GROW_DURATION).record(duration);
    Sites.queueRehash(
        new RehashEvent(
            System.currentTimeMillis(),
            r.site.id,
            cause,
            from,
            newCapacity,
            duration,
            size,
            dropped));
  }

  /**
   * The end of an insert or a {@code remove(key)}, in the thread writing the map, while {@link
   * #compactionsRequested}: a map the release trigger asked to compact calls {@code compact()} now,
   * unless Trove holds compaction off ({@code autoCompactionDisabled}: inside an iterator's remove,
   * where a rehash would pull the table from under the iteration).
   */
  public static void written(Object recorder, Object map, boolean autoCompactionDisabled) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || !r.compactRequested || autoCompactionDisabled) {
      return;
    }
    compact(map, r);
  }

  /** Runs {@code map.compact()}, whose rehash counts the compaction and takes the request back. */
  public static void compact(Object map, MapRecorder r) {
    try {
      MethodHandle compact = COMPACT.get(map.getClass());
      if (compact == null) {
        r.compactRequested = false;
        return;
      }
      compact.invoke(map);
    } catch (Throwable t) {
      r.compactRequested = false;
      Sites.suppressed(t);
    }
  }

  /** {@code THash.clear()} with {@code size} entries: every tombstone goes too. */
  public static void cleared(Object recorder, Object map, int size) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.reclaimedByClear += r.liveTombstones();
      r.tombstonesBelowPeak = r.tombstonesPeak;
      if (size > 0) {
        r.clears++;
      }
    }
  }
}
