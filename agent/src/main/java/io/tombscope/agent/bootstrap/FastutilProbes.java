package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The static entry points that advice inlined into fastutil's open hash maps and sets calls ({@code
 * it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap}, {@code Object2IntLinkedOpenHashMap}, {@code
 * Int2IntOpenCustomHashMap}, {@code LongOpenHashSet} … : 315 generated classes with no common
 * superclass, and the iterator class of each). A set is a map without values: the same fields,
 * removals and resizes, and what is said of maps here holds for sets. JDK types only, in the boot
 * loader.
 *
 * <p>What fastutil does, and what the probes follow:
 *
 * <ol>
 *   <li>A removal shifts the entries after it back into the freed slot (backward-shift deletion),
 *       so the table never holds a tombstone: every delete hit collapses at once. Removals of the
 *       map itself pass {@code removeEntry(int)} or {@code removeNullEntry()}; those of its
 *       iterators and of a linked map's {@code removeFirst}/{@code removeLast} do the same work
 *       inline. A {@code remove(key)} that leaves {@code size} alone is a miss.
 *   <li>Every resize is a {@code rehash(int)} to a power of two: larger when an insert passes
 *       {@code maxFill} (or {@code ensureCapacity}), half as large when a removal leaves fewer than
 *       {@code maxFill / 4} entries in a table above its constructed size, and smaller under {@code
 *       trim()}. A map that churns around that quarter halves and doubles again and again.
 *   <li>{@code clear()} keeps the table.
 * </ol>
 *
 * <p>Every map constructed (or cloned) while the agent runs is tracked from then on (no sampling),
 * found through its own field ({@link RecorderFields}) or, in a class loaded before the agent, by
 * identity in {@link TrackedMaps}. A map is used by one thread at a time (fastutil's contract), so
 * the counts are plain fields. No probe throws, allocates on the delete path (but for a call-site
 * sample), or takes a lock.
 */
public final class FastutilProbes {
  /** The {@code family} of fastutil sites in the recording. */
  public static final String FAMILY = "fastutil";

  private static final String FASTUTIL_PACKAGE = "it.unimi.dsi.fastutil.";
  private static final int TRIM = 1;
  private static final int ITERATOR_REMOVE = 1;
  private static final AtomicLong UNTRACKED_FULL = new AtomicLong();

  /**
   * Set by the release trigger while some fastutil map is asked to compact: the advice at the end
   * of an insert or a {@code remove(key)} reads only this until then.
   */
  public static volatile boolean compactionsRequested;

  private static final ClassValue<MethodHandle> TRIM_METHOD =
      LibraryMaps.publicMethod("trim", boolean.class);

  private FastutilProbes() {}

  /** fastutil maps not tracked because {@link TrackedMaps} was full. */
  public static long untrackedFull() {
    return UNTRACKED_FULL.get();
  }

  /** A constructor finished, or {@code clone()} returned a new map: track it. */
  public static void created(Object map) {
    if (map != null) {
      LibraryMaps.track(map, FAMILY, FASTUTIL_PACKAGE, UNTRACKED_FULL);
    }
  }

  /**
   * {@code clone()} returned {@code copy}: a new map, tracked from now on, whose fields held its
   * source's recorder until now.
   */
  public static void cloned(Object copy) {
    RecorderFields.cloned(copy);
    created(copy);
  }

  /**
   * Start of {@code removeEntry(int)} or {@code removeNullEntry()}, or a linked map's {@code
   * removeFirst}/{@code removeLast} returned: an entry goes. An iterator's {@code remove()} that
   * hands its removal to the map is counted here, once.
   */
  public static void removed(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      hit(r, map);
    }
  }

  private static void hit(MapRecorder r, Object map) {
    r.deleteHits++;
    r.tombstonesCollapsed++;
    if (--r.callSiteDue <= 0) {
      LibraryMaps.callSite(r, map, true, FASTUTIL_PACKAGE);
    }
  }

  /** Start of an iterator's {@code remove()} on {@code map}. */
  public static Object iteratorRemoveStart(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r != null) {
      r.iteratorRemove = ITERATOR_REMOVE;
      r.iteratorHitsBefore = r.deleteHits;
    }
    return r;
  }

  /**
   * End of an iterator's {@code remove()}: unless it threw (nothing to remove) or the map's own
   * remove counted the entry, the iterator removed it itself.
   */
  public static void iteratorRemoveEnd(Object map, Object recorder, boolean removed) {
    if (recorder instanceof MapRecorder r) {
      if (removed && r.deleteHits == r.iteratorHitsBefore) {
        hit(r, map);
      }
      r.iteratorRemove = 0;
    }
  }

  /** A {@code remove(key)} left the size unchanged: the key was absent. */
  public static void removeMissed(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.deleteMisses++;
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, map, false, FASTUTIL_PACKAGE);
      }
    }
  }

  /** Start of {@code trim(int)}: a rehash from here on is the explicit cleanup. */
  public static Object trimStart(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.compactionCause = TRIM;
    }
    return r;
  }

  /**
   * End of {@code trim(int)}. A trim the release trigger asked for is done now, whether or not the
   * table was already as small as fastutil makes it.
   */
  public static void trimEnd(Object recorder) {
    if (recorder instanceof MapRecorder r) {
      r.compactionCause = 0;
      if (r.compactRequested) {
        r.compactRequested = false;
      }
    }
  }

  /**
   * Start of {@code rehash(newN)}, with the table size {@code n} before. Returns the start time, or
   * 0 for an untracked map or a rehash inside another (a subclass calling its superclass's).
   */
  public static long rehashStart(Object recorder, Object map, int n) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || r.rehashDepth++ > 0) {
      return 0L;
    }
    r.rehashFromCapacity = n;
    long now = System.nanoTime();
    return now != 0L ? now : 1L;
  }

  /** End of {@code rehash(newN)}: the table has {@code n} slots now, {@code size} entries moved. */
  public static void rehashEnd(Object recorder, Object map, long startNanos, int n, int size) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || --r.rehashDepth > 0 || startNanos == 0L) {
      if (r != null && r.rehashDepth < 0) {
        r.rehashDepth = 0;
      }
      return;
    }
    long duration = System.nanoTime() - startNanos;
    long from = r.rehashFromCapacity;
    String cause;
    if (r.compactionCause == TRIM) {
      r.trims++;
      if (r.compactRequested) {
        r.compactions++; // before the volatile write that the release trigger waits for
        r.compactRequested = false;
      }
      cause = RehashEvent.TRIM;
    } else if (n > from) {
      r.growsLoad++;
      r.growsFinished++;
      cause = RehashEvent.GROW;
    } else {
      r.shrinks++;
      cause = RehashEvent.SHRINK;
    }
    r.entriesMoved += size;
    r.site.histogram(Site.GROW_DURATION).record(duration);
    Sites.queueRehash(
        new RehashEvent(System.currentTimeMillis(), r.site.id, cause, from, n, duration, size, 0L));
  }

  /**
   * The end of an insert or a removal, in the thread writing the map, while {@link
   * #compactionsRequested}: a map the release trigger asked to compact calls {@code trim()} now,
   * unless one of its iterators is removing (the iterator hands wrapped entries to the map's own
   * remove, and a rehash there would pull the table from under it). fastutil rehashes at these same
   * points on its own (it grows on insert, halves on remove).
   */
  public static void written(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || !r.compactRequested || r.iteratorRemove != 0) {
      return;
    }
    trim(map, r);
  }

  /** Runs {@code map.trim()}, whose end takes the request back (and whose rehash counts it). */
  public static void trim(Object map, MapRecorder r) {
    try {
      MethodHandle trim = TRIM_METHOD.get(map.getClass());
      if (trim == null) {
        r.compactRequested = false;
        return;
      }
      boolean done = (boolean) trim.invoke(map);
      if (!done) {
        r.compactRequested = false; // fastutil caught an OutOfMemoryError and kept the table
      }
    } catch (Throwable t) {
      r.compactRequested = false;
      Sites.suppressed(t);
    }
  }

  /** {@code clear()} with {@code size} entries: the table stays as large as it was. */
  public static void cleared(Object recorder, Object map, int size) {
    if (size > 0) {
      MapRecorder r = RecorderFields.of(recorder, map);
      if (r != null) {
        r.clears++;
      }
    }
  }
}
