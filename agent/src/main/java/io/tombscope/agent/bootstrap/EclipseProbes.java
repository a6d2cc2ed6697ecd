package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The static entry points that advice inlined into Eclipse Collections' primitive hash maps and
 * sets calls ({@code org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap}, {@code
 * ObjectLongHashMap}, {@code IntIntHashMap}, {@code
 * org.eclipse.collections.impl.set.mutable.primitive.LongHashSet} … generated from templates, with
 * no common superclass). JDK types only, in the boot loader.
 *
 * <p>What Eclipse Collections does, and what the probes follow:
 *
 * <ol>
 *   <li>A remove writes {@code REMOVED_KEY} into the slot and moves one count from {@code
 *       occupiedWithData} to {@code occupiedWithSentinels}: a delete hit, one more sentinel (our
 *       tombstone). The keys 0 and 1 of a primitive-keyed map are the sentinel values themselves;
 *       the map keeps them beside the table ({@code sentinelValues}), so their removes write no
 *       sentinel and are not counted.
 *   <li>An insert of a new key into a {@code REMOVED_KEY} slot takes one sentinel back.
 *   <li>{@code rehash(newCapacity)} rebuilds the table without sentinels. {@code rehashAndGrow}
 *       runs it once data + sentinels pass half the capacity, and may halve, keep or double the
 *       table; {@code trimToSize()} (12.0 on) and {@code compact()} run it on request. A rehash
 *       reinserts through {@code put}, which can rehash once more inside it: one rehash here.
 *   <li>{@code clear()} drops every sentinel.
 *   <li>The primitive sets do the same with {@code REMOVED} in their {@code table}, in {@code
 *       remove(value)} and in their iterator's {@code remove()}; the values 0 to 31 are kept in a
 *       bit field beside the table, so their removes write no sentinel and are not counted. {@code
 *       retainAll} swaps in a new table without sentinels. The copy constructor copies its source's
 *       sentinels: the probes count only those the set's own removes wrote.
 * </ol>
 *
 * <p>{@code occupiedWithSentinels} is the map's own exact count of live tombstones. The probes
 * count every remove (and its peak) as it happens, but not the inserts that take a sentinel back:
 * those are what the map's count has fallen by since, brought into the recorder at each rehash,
 * clear and {@code retainAll}, and read by the flusher at each interval ({@link
 * EclipseGauges#read(Object, MapRecorder)}), so that an insert costs one read of a static field.
 * {@link MapRecorder#sentinelResets} tells the flusher when a table is swapped under its reads.
 * Every map constructed while the agent runs is tracked (no sampling), found through its own field
 * ({@link RecorderFields}) or, in a class loaded before the agent, by identity in {@link
 * TrackedMaps}. A map is used by one thread at a time (the library's contract for these classes),
 * so the counts are plain fields. No probe throws, allocates on the delete path (but for a
 * call-site sample), or takes a lock.
 */
public final class EclipseProbes {
  /** The {@code family} of Eclipse Collections sites in the recording. */
  public static final String FAMILY = "eclipse";

  static final int EXPLICIT = 2;

  private static final String LIBRARY_PACKAGE = "org.eclipse.collections.";
  private static final AtomicLong UNTRACKED_FULL = new AtomicLong();

  // A set's occupiedWithData and occupiedWithSentinels, for its iterator's advice, which runs in
  // another class (a nest mate in 13.x, not in 11.x, which targets Java 8).
  private static final ClassValue<java.lang.reflect.Field[]> SET_COUNTS =
      new ClassValue<>() {
        @Override
        protected java.lang.reflect.Field[] computeValue(Class<?> type) {
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
              java.lang.reflect.Field data = c.getDeclaredField("occupiedWithData");
              java.lang.reflect.Field sentinels = c.getDeclaredField("occupiedWithSentinels");
              data.setAccessible(true);
              sentinels.setAccessible(true);
              return new java.lang.reflect.Field[] {data, sentinels};
            } catch (NoSuchFieldException e) {
              // a program subclass: the fields are its superclass's
            } catch (RuntimeException e) {
              return null;
            }
          }
          return null;
        }
      };

  /**
   * Set by the release trigger while some map of the family is asked to compact: the advice at the
   * end of an insert reads only this until then.
   */
  public static volatile boolean compactionsRequested;

  // trimToSize() since 12.0; compact() (deprecated since) before.
  private static final ClassValue<MethodHandle> TRIM_TO_SIZE =
      LibraryMaps.publicMethod("trimToSize", boolean.class);
  private static final ClassValue<MethodHandle> COMPACT =
      LibraryMaps.publicMethod("compact", void.class);

  private EclipseProbes() {}

  /** Maps of the family not tracked because {@link TrackedMaps} was full. */
  public static long untrackedFull() {
    return UNTRACKED_FULL.get();
  }

  /** A constructor finished: the innermost of a chain tracks the map, the others find it. */
  public static void created(Object map) {
    LibraryMaps.track(map, FAMILY, LIBRARY_PACKAGE, UNTRACKED_FULL);
  }

  /**
   * A primitive set's constructor finished with {@code sentinels}: those a copy took from its
   * source, which no remove of this set wrote.
   */
  public static void createdSet(Object set, int sentinels) {
    LibraryMaps.track(set, FAMILY, LIBRARY_PACKAGE, UNTRACKED_FULL);
    if (sentinels > 0) {
      MapRecorder r = TrackedMaps.recorderOf(set);
      if (r != null && r.deleteHits == 0) {
        r.sentinelsInherited = sentinels;
      }
    }
  }

  /**
   * The sentinels of {@code sentinels} the map's own removes wrote: all but those a copied set
   * inherited (inserts take its own first; once those are gone, the inherited).
   */
  private static long own(MapRecorder r, long sentinels) {
    long own = sentinels - r.sentinelsInherited;
    if (own < 0) {
      r.sentinelsInherited = sentinels;
      return 0;
    }
    return own;
  }

  /**
   * Brings the recorder to the map's own count of sentinels: any it holds fewer of than the
   * recorder's live tombstones were taken back by inserts.
   */
  private static void sync(MapRecorder r, long sentinels) {
    long taken = r.liveTombstones() - own(r, sentinels);
    if (taken > 0) {
      r.tombstonesReused += taken;
    }
  }

  /**
   * A remove wrote {@code REMOVED_KEY}; the map now holds {@code sentinels}. The inserts into
   * sentinels since the last count are left to the next (the sentinels only rise here, so the peak
   * is exact).
   */
  public static void removed(Object recorder, Object map, int sentinels) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      long own = sentinels;
      if (r.sentinelsInherited != 0) {
        own = own(r, sentinels - 1L) + 1; // a copied set: its inserts took its own sentinels first
      }
      // The map's count is written before the hit: a flusher that reads the hit reads its sentinel.
      VarHandle.storeStoreFence();
      r.deleteHits++;
      if (own > r.tombstonesPeak) {
        r.tombstonesPeak = own;
      }
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, map, true, LIBRARY_PACKAGE);
      }
    }
  }

  /**
   * A remove wrote {@code REMOVED_KEY} and rebuilt the table in the same call (the primitive-keyed
   * maps with {@code boolean} values rehash once their sentinels pass a limit): the rehash counted
   * this remove's sentinel among those it dropped, and the map held them all at once.
   */
  public static void removedThenRehashed(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.deleteHits++;
      if (r.growTombstonesDropped > r.tombstonesPeak) {
        r.tombstonesPeak = r.growTombstonesDropped;
      }
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, map, true, LIBRARY_PACKAGE);
      }
    }
  }

  /** A remove of {@code key} left the map's data alone: a miss, unless the key is 0 or 1. */
  public static void removeMissed(Object recorder, Object map, Object key) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || sentinelKey(key)) {
      return;
    }
    r.deleteMisses++;
    if (--r.callSiteDue <= 0) {
      LibraryMaps.callSite(r, map, false, LIBRARY_PACKAGE);
    }
  }

  /** The primitive keys the maps keep beside the table (EMPTY_KEY 0 and REMOVED_KEY 1). */
  private static boolean sentinelKey(Object key) {
    if (key instanceof Character c) {
      return c == 0 || c == 1;
    }
    if (key instanceof Number n && !(key instanceof java.math.BigDecimal)) {
      double d = n.doubleValue();
      return Double.compare(d, 0.0) == 0 || Double.compare(d, 1.0) == 0;
    }
    return false;
  }

  /** A primitive set's {@code remove(value)} left its data alone: a miss, unless 0 to 31. */
  public static void setRemoveMissed(Object recorder, Object set, Object value) {
    if (!inBitField(value)) {
      removeMissed(recorder, set, null);
    }
  }

  /** The values a primitive set keeps in its bit field beside the table: whole numbers 0 to 31. */
  private static boolean inBitField(Object value) {
    double d;
    if (value instanceof Character c) {
      d = c;
    } else if (value instanceof Number n && !(value instanceof java.math.BigDecimal)) {
      d = n.doubleValue();
    } else {
      return false;
    }
    return d >= 0 && d <= 31 && Double.compare(d, Math.floor(d)) == 0;
  }

  /**
   * Start of {@code retainAll} of a primitive set holding {@code sentinels}, which may swap in the
   * table of a new set: the inserts into sentinels so far are counted now, while the old table's
   * count is still there.
   */
  public static void retainStart(Object recorder, Object set, int sentinels) {
    MapRecorder r = RecorderFields.of(recorder, set);
    if (r != null) {
      sync(r, sentinels);
      r.sentinelResets++; // odd until its end
    }
  }

  /**
   * End of {@code retainAll}: if the data fell from {@code before} to {@code after}, it dropped
   * those values by swapping in a new table with {@code sentinels}: the deletes leave no sentinel,
   * and the old table's go with it.
   */
  public static void retainEnd(Object recorder, Object set, int before, int after, int sentinels) {
    MapRecorder r = RecorderFields.of(recorder, set);
    if (r == null) {
      return;
    }
    if (after < before) {
      int dropped = before - after;
      r.deleteHits += dropped;
      r.tombstonesCollapsed += dropped;
      r.sentinelsInherited = 0;
      long gone = r.liveTombstones() - sentinels;
      if (gone > 0) {
        r.reclaimedByEvacuation += gone;
      }
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, set, true, LIBRARY_PACKAGE);
      }
    }
    if ((r.sentinelResets & 1) != 0) {
      r.sentinelResets++;
    }
  }

  /**
   * A tracked primitive set's {@code occupiedWithData}, read for its iterator's {@code remove()};
   * -1 for a set not tracked or not readable.
   */
  public static int setData(Object set) {
    if (TrackedMaps.recorderOf(set) == null) {
      return -1;
    }
    java.lang.reflect.Field[] f = SET_COUNTS.get(set.getClass());
    try {
      return f == null ? -1 : f[0].getInt(set);
    } catch (IllegalAccessException e) {
      return -1;
    }
  }

  /**
   * End of a primitive set's iterator {@code remove()}, the set's data {@code before} it: if the
   * data fell, the iterator wrote a sentinel.
   */
  public static void setIteratorRemoved(Object set, int before) {
    if (before < 0) {
      return;
    }
    java.lang.reflect.Field[] f = SET_COUNTS.get(set.getClass());
    try {
      if (f != null && f[0].getInt(set) < before) {
        removed(null, set, f[1].getInt(set));
      }
    } catch (IllegalAccessException e) {
      Sites.suppressed(e);
    }
  }

  /**
   * Start of a view's {@code retainAll} on {@code map}, which may swap in a rebuilt table, as a
   * set's {@code retainAll} does: the map's data, or -1 for a map not tracked or not readable.
   */
  public static int viewRetainStart(Object map) {
    int data = setData(map);
    if (data >= 0) {
      try {
        retainStart(null, map, SET_COUNTS.get(map.getClass())[1].getInt(map));
      } catch (IllegalAccessException | RuntimeException e) {
        Sites.suppressed(e);
        return -1;
      }
    }
    return data;
  }

  /** End of a view's {@code retainAll} on {@code map}, the map's data {@code before} it. */
  public static void viewRetained(Object map, int before) {
    if (before < 0) {
      return;
    }
    java.lang.reflect.Field[] f = SET_COUNTS.get(map.getClass());
    try {
      retainEnd(null, map, before, f[0].getInt(map), f[1].getInt(map));
    } catch (IllegalAccessException | RuntimeException e) {
      Sites.suppressed(e);
    }
  }

  /** Start of {@code trimToSize()} or {@code compact()}: the rehash it runs is explicit. */
  public static Object compactStart(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.compactionCause = EXPLICIT;
    }
    return r;
  }

  /** End of {@code trimToSize()} or {@code compact()}. */
  public static void compactEnd(Object recorder) {
    if (recorder instanceof MapRecorder r) {
      r.compactionCause = 0;
      if (r.compactRequested && r.rehashDepth == 0) {
        r.compactRequested = false; // nothing to rebuild: the table was already its smallest
      }
    }
  }

  /**
   * Start of {@code rehash(newCapacity)} with the map's sentinels and table ({@code pairs}: keys
   * and values side by side in one array). Returns the start time, or 0 for an untracked map or a
   * rehash inside another.
   */
  public static long rehashStart(
      Object recorder, Object map, int sentinels, Object table, boolean pairs) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || r.rehashDepth++ > 0) {
      return 0L;
    }
    sync(r, sentinels);
    r.sentinelResets++; // odd until its end, before the rehash drops the map's count
    r.rehashFromCapacity = capacity(table, pairs);
    r.growTombstonesDropped = own(r, sentinels);
    r.sentinelsInherited = 0;
    r.growEntriesMoved = 0;
    long now = System.nanoTime();
    return now != 0L ? now : 1L;
  }

  /** End of {@code rehash}: {@code data} entries are in the new table. */
  public static void rehashEnd(
      Object recorder, Object map, long startNanos, int data, Object table, boolean pairs) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null) {
      return;
    }
    if (--r.rehashDepth > 0) {
      r.growEntriesMoved += data; // a rehash inside: these entries move once more
      return;
    }
    r.rehashDepth = 0;
    if ((r.sentinelResets & 1) != 0) {
      r.sentinelResets++;
    }
    if (startNanos == 0L) {
      return;
    }
    long duration = System.nanoTime() - startNanos;
    long from = r.rehashFromCapacity;
    long to = capacity(table, pairs);
    long dropped = r.growTombstonesDropped;
    long moved = data + r.growEntriesMoved;
    String cause;
    if (r.compactionCause == EXPLICIT) {
      r.trims++;
      r.reclaimedByTrim += dropped;
      if (r.compactRequested) {
        r.compactions++; // before the volatile write that the release trigger waits for
        r.compactRequested = false;
      }
      cause = RehashEvent.COMPACT;
    } else {
      if (to > from) {
        r.growsLoad++;
        cause = RehashEvent.GROW;
      } else if (to == from) {
        r.growsOverflow++;
        cause = RehashEvent.SAME_SIZE;
      } else {
        r.shrinks++;
        cause = RehashEvent.SHRINK;
      }
      r.growsFinished++;
      r.reclaimedByEvacuation += dropped;
    }
    r.entriesMoved += moved;
    r.site.histogram(Site.GROW_DURATION).record(duration);
    Sites.queueRehash(
        new RehashEvent(
            System.currentTimeMillis(), r.site.id, cause, from, to, duration, moved, dropped));
  }

  private static long capacity(Object table, boolean pairs) {
    if (table == null) {
      return 0;
    }
    int length = java.lang.reflect.Array.getLength(table);
    return pairs ? length / 2 : length;
  }

  /** {@code clear()} of a map holding {@code data} entries and {@code sentinels}. */
  public static void cleared(Object recorder, Object map, int data, int sentinels) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      sync(r, sentinels);
      r.reclaimedByClear += own(r, sentinels);
      r.sentinelsInherited = 0;
      r.sentinelResets += 2; // before clear() drops the map's count
      if (data > 0) {
        r.clears++;
      }
    }
  }

  /**
   * The end of an insert of a new key, in the thread writing the map, while {@link
   * #compactionsRequested}: a map the release trigger asked to compact calls {@code trimToSize()}
   * now (not inside a rehash, whose reinsertion passes here too).
   */
  public static void written(Object recorder, Object map) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null || !r.compactRequested || r.rehashDepth > 0) {
      return;
    }
    compact(map, r);
  }

  /**
   * Runs {@code trimToSize()} (or {@code compact()} before 12.0), whose rehash counts the
   * compaction and takes the request back.
   */
  public static void compact(Object map, MapRecorder r) {
    try {
      MethodHandle trim = TRIM_TO_SIZE.get(map.getClass());
      if (trim == null) {
        trim = COMPACT.get(map.getClass());
      }
      if (trim == null) {
        r.compactRequested = false;
        return;
      }
      trim.invoke(map);
    } catch (Throwable t) {
      r.compactRequested = false;
      Sites.suppressed(t);
    }
  }
}
