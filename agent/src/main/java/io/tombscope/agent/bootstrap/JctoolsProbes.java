package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The static entry points that advice inlined into JCTools' {@code NonBlockingHashMap}, {@code
 * NonBlockingHashMapLong} and {@code NonBlockingIdentityHashMap} (its own copy of the first's code,
 * keys compared by identity), and their {@code CHM} control structures, calls. JDK types only, in
 * the boot loader.
 *
 * <p>What JCTools does, and what the probes follow:
 *
 * <ol>
 *   <li>A remove CASes the key's value to {@code TOMBSTONE}; the key stays in its slot, strongly
 *       referenced, and counts in the table's {@code _slots} but not its {@code _size}. Every
 *       remove (by key, by key and value, through an iterator or a view) passes {@code
 *       putIfMatch(key, TOMBSTONE, …)} or {@code remove(key, value)}: a hit or a miss by what it
 *       returns. A put of the same key later revives its slot; a put of a new key claims a new one.
 *   <li>Only a resize drops dead keys: it copies the live entries into a new table, grown or of the
 *       same length (never smaller), one chunk at a time by whichever threads touch the map, and
 *       the new table replaces the old when the copy is done. {@code clear()} puts down a new
 *       table.
 * </ol>
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Every map constructed while the agent runs is tracked (no sampling), found through its own
 *       field ({@link RecorderFields}) or, in a class loaded before the agent, by identity in
 *       {@link TrackedMaps}. A map the agent did not see constructed (it existed before a late
 *       attach, or was cloned or deserialized) is tracked from its next resize on (when its table
 *       is rebuilt), as the JDK's maps are once they grow.
 *   <li>The map is concurrent, so every count is an atomic add, but for the delete hits of the
 *       thread that constructed the map, a plain add to a field only it writes: delete hits and
 *       misses, resizes by cause, clears are exact totals whatever the threads.
 *   <li>Dead keys are the library's own {@code _slots − _size}, read from its striped counters (see
 *       {@link JctoolsGauges}): exact when one thread writes the map, an estimate while several do.
 *       The peak is read after delete hits, and only when the hits less the dead keys revived since
 *       the last read (seen, in a class loaded after the agent, where {@code putIfMatch0}, or the
 *       {@code putIfMatch} of a {@code NonBlockingHashMapLong}'s table, swaps a value) could have
 *       passed it. A resize's dead keys dropped and entries moved are read when it starts.
 *   <li>No probe throws, or takes a lock; the delete path allocates nothing but a call-site sample.
 * </ol>
 */
public final class JctoolsProbes {
  /** The {@code family} of JCTools sites in the recording. */
  public static final String FAMILY = "jctools";

  /** The {@code tracking} of JCTools maps the agent did not see constructed: from a resize on. */
  public static final String TRACKING_RESIZED = "resized";

  /** What advice passes to {@link #deadKeysRead} where the class has no method to read them. */
  public static final int DEAD_KEYS_UNREAD = Integer.MIN_VALUE;

  private static final String JCTOOLS_PACKAGE = "org.jctools.";
  private static final AtomicLong UNTRACKED_FULL = new AtomicLong();

  private static final VarHandle DELETE_HITS;
  private static final VarHandle DELETE_MISSES;
  private static final VarHandle GROWS_LOAD;
  private static final VarHandle GROWS_OVERFLOW;
  private static final VarHandle GROWS_FINISHED;
  private static final VarHandle ENTRIES_MOVED;
  private static final VarHandle RECLAIMED_BY_RESIZE;
  private static final VarHandle RECLAIMED_BY_CLEAR;
  private static final VarHandle CLEARS;
  private static final VarHandle RESIZE_FROM;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      DELETE_HITS = l.findVarHandle(Counts.class, "deleteHits", long.class);
      DELETE_MISSES = l.findVarHandle(Counts.class, "deleteMisses", long.class);
      GROWS_LOAD = l.findVarHandle(Counts.class, "growsLoad", long.class);
      GROWS_OVERFLOW = l.findVarHandle(Counts.class, "growsOverflow", long.class);
      GROWS_FINISHED = l.findVarHandle(Counts.class, "growsFinished", long.class);
      ENTRIES_MOVED = l.findVarHandle(Counts.class, "entriesMoved", long.class);
      RECLAIMED_BY_RESIZE = l.findVarHandle(Counts.class, "reclaimedByEvacuation", long.class);
      RECLAIMED_BY_CLEAR = l.findVarHandle(Counts.class, "reclaimedByClear", long.class);
      CLEARS = l.findVarHandle(Counts.class, "clears", long.class);
      RESIZE_FROM = l.findVarHandle(MapRecorder.class, "resizeFrom", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private JctoolsProbes() {}

  /** JCTools maps not tracked because {@link TrackedMaps} was full. */
  public static long untrackedFull() {
    return UNTRACKED_FULL.get();
  }

  /**
   * A map's constructor finished. Constructors chain, so the innermost one tracks the map and the
   * others find it tracked. The throwaway map that {@code NonBlockingHashMap.clear()} (or {@code
   * NonBlockingIdentityHashMap.clear()}) builds for its new table is not tracked.
   */
  public static void created(Object map) {
    try {
      if (TrackedMaps.recorderOf(map) == null) {
        track(map, LibraryMaps.TRACKING);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  private static MapRecorder track(Object map, String tracking) {
    return LibraryMaps.track(
        map, FAMILY, JCTOOLS_PACKAGE, UNTRACKED_FULL, tracking, JctoolsGauges.clearOf(map));
  }

  /**
   * A delete returned: {@code hit} if it removed a mapping. True after a hit when the hits since
   * the last read of the dead keys could have lifted them past the peak: the advice then reads them
   * and passes them to {@link #deadKeysRead}.
   */
  public static boolean deleted(Object recorder, Object map, boolean hit) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null) {
      return false;
    }
    boolean read = false;
    if (hit) {
      // The thread that constructed the map, usually the only one that writes it, counts in a
      // field that no other thread writes, without the cost of an atomic add.
      if (Thread.currentThread().getId() == r.ownerThreadId) {
        r.ownerDeleteHits++;
      } else {
        DELETE_HITS.getAndAdd(r, 1L);
      }
      read = r.deadKeysRead + ++r.deadKeysSinceRead > r.tombstonesPeak;
    } else {
      DELETE_MISSES.getAndAdd(r, 1L);
    }
    // A racy countdown: under contention a sample may come a little early or late.
    if (--r.callSiteDue <= 0) {
      LibraryMaps.callSite(r, map, hit, JCTOOLS_PACKAGE);
    }
    return read;
  }

  /**
   * {@code putIfMatch0}'s compare-and-set of a value in the map's table, from {@code old} to {@code
   * nu}, returned {@code swapped}: a dead key revived ({@code TOMBSTONE} to a value) lowers the
   * bound on the dead keys since they were last read, so that the next delete hit reads them only
   * if they could have passed the peak. Returns {@code swapped}.
   */
  public static boolean valueSwapped(
      boolean swapped, Object recorder, Object map, Object old, Object nu, Object tombstone) {
    if (swapped && old == tombstone && nu != tombstone) {
      MapRecorder r = RecorderFields.of(recorder, map);
      if (r != null) {
        r.deadKeysSinceRead--;
      }
    }
    return swapped;
  }

  /**
   * What a {@code NonBlockingHashMapLong} class that loaded after the agent gains: its table
   * ({@code CHM}), which swaps values where it cannot reach the map's recorder or its private
   * {@code TOMBSTONE}, tells it through {@link #valueSwappedIn}.
   */
  public interface ValueSwaps {
    /** A value went from {@code old} to {@code nu} in this map's table: {@link #valueSwapped}. */
    void $tombscope$valueSwapped(Object old, Object nu);
  }

  /**
   * {@code NonBlockingHashMapLong$CHM.putIfMatch}'s compare-and-set of a value, from {@code old} to
   * {@code nu}, in a table of {@code map}, returned {@code swapped}: passed on to the map if it has
   * gained {@link ValueSwaps} (not if it loaded before the agent). Returns {@code swapped}.
   */
  public static boolean valueSwappedIn(boolean swapped, Object map, Object old, Object nu) {
    if (swapped && old != null && map instanceof ValueSwaps s) {
      s.$tombscope$valueSwapped(old, nu);
    }
    return swapped;
  }

  /**
   * The dead keys of the map's current table ({@code _slots − _size}) after a delete hit that
   * {@link #deleted} asked them for, as the map's own method read them, or {@link
   * #DEAD_KEYS_UNREAD} to read them here: the peak rises to them.
   */
  public static void deadKeysRead(Object recorder, Object map, int slotsLessSize) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null) {
      return;
    }
    long dead =
        slotsLessSize == DEAD_KEYS_UNREAD
            ? JctoolsGauges.deadKeys(map)
            : Math.max(0, slotsLessSize);
    if (dead >= 0) {
      r.deadKeysRead = dead;
      r.deadKeysSinceRead = 0;
      if (dead > r.tombstonesPeak) {
        r.tombstonesPeak = dead;
      }
    }
  }

  /**
   * {@code clone()} returned {@code copy}, built without a constructor, whose fields hold its
   * source's recorder: it is not tracked until its next resize, as before it had fields.
   */
  public static void cloned(Object copy) {
    RecorderFields.cloned(copy);
  }

  /**
   * A resize of {@code map} started: its new table was just installed, once, by the thread that won
   * the race to make it. {@code from} is the table it copies from, or null to find it (the last
   * table of the map's chain that has a next one). Counts the resize by cause, the dead keys it
   * drops and the live entries it moves, all as they are now, and starts its clock.
   */
  public static void resizeStarted(Object map, Object from) {
    try {
      MapRecorder r = TrackedMaps.recorderOf(map);
      if (r == null) {
        r = track(map, TRACKING_RESIZED);
        if (r == null) {
          return;
        }
      }
      Object table = from != null ? from : JctoolsGauges.resizing(map);
      long[] state = JctoolsGauges.tableState(map, table);
      if (state == null) {
        return;
      }
      long fromCapacity = state[0];
      long toCapacity = state[3];
      long dead = Math.max(0, state[1] - state[2]);
      long live = Math.max(0, state[2]);
      (toCapacity > fromCapacity ? GROWS_LOAD : GROWS_OVERFLOW).getAndAdd(r, 1L);
      RECLAIMED_BY_RESIZE.getAndAdd(r, dead);
      ENTRIES_MOVED.getAndAdd(r, live);
      if (RESIZE_FROM.compareAndSet(r, null, table)) {
        r.rehashFromCapacity = fromCapacity;
        r.resizeToCapacity = toCapacity;
        r.growEntriesMoved = live;
        r.growTombstonesDropped = dead;
        long now = System.nanoTime();
        r.growStartNanos = now != 0L ? now : 1L;
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * A thread finished a chunk of a copy from {@code from}: if the map's current table is no longer
   * {@code from}, the resize is over, and the one thread that takes it ends its clock.
   */
  public static void copied(Object map, Object from) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null || r.resizeFrom != from) {
      return;
    }
    try {
      Object top = JctoolsGauges.table(map);
      if (top == from || top == null) {
        return;
      }
      long start = r.growStartNanos;
      long fromCapacity = r.rehashFromCapacity;
      long toCapacity = r.resizeToCapacity;
      long moved = r.growEntriesMoved;
      long dropped = r.growTombstonesDropped;
      if (!RESIZE_FROM.compareAndSet(r, from, null)) {
        return;
      }
      long duration = Math.max(0, System.nanoTime() - start);
      GROWS_FINISHED.getAndAdd(r, 1L);
      r.site.histogram(Site.GROW_DURATION).record(duration);
      Sites.queueRehash(
          new RehashEvent(
              System.currentTimeMillis(),
              r.site.id,
              toCapacity > fromCapacity ? RehashEvent.GROW : RehashEvent.SAME_SIZE,
              fromCapacity,
              toCapacity,
              duration,
              moved,
              dropped));
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** Start of {@code clear()}: the dead keys of the table it drops are reclaimed. */
  public static void cleared(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      return;
    }
    try {
      long[] g = JctoolsGauges.read(map);
      if (g == null) {
        return;
      }
      RECLAIMED_BY_CLEAR.getAndAdd(r, g[JctoolsGauges.DEAD_KEYS]);
      if (g[JctoolsGauges.SIZE] > 0) {
        CLEARS.getAndAdd(r, 1L);
      }
      r.deadKeysRead = 0;
      r.deadKeysSinceRead = 0;
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }
}
