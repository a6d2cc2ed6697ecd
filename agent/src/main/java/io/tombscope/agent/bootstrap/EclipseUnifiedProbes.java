package io.tombscope.agent.bootstrap;

import java.lang.reflect.Field;

/**
 * The static entry points that advice inlined into Eclipse Collections' {@code UnifiedMap} and
 * {@code UnifiedSet} ({@code org.eclipse.collections.impl.map.mutable.UnifiedMap}, {@code
 * org.eclipse.collections.impl.set.mutable.UnifiedSet}) and their siblings with a hashing strategy
 * ({@code UnifiedMapWithHashingStrategy}, {@code UnifiedSetWithHashingStrategy}, the same code)
 * calls, beside {@link EclipseProbes}, whose tracking, rehash and clear probes they share: their
 * sites are of the same family. JDK types only, in the boot loader.
 *
 * <p>What the two classes do, and what the probes follow:
 *
 * <ol>
 *   <li>Colliding entries chain inside the table ({@code CHAINED_KEY} and an {@code Object[]} of
 *       keys and values in the map, a {@code ChainedBucket} in the set), and a remove closes its
 *       chain up at once: there are no tombstones. Each delete hit counts as a tombstone that
 *       collapsed at once ({@code tombstonesCollapsed}), so live tombstones stay 0 by construction.
 *   <li>{@code occupied} is the library's own size; a remove that lowered it hit, one that left it
 *       alone missed. Iterators and views remove through their own code, read through the probes.
 *   <li>{@code rehash(newCapacity)} runs when {@code occupied} passes {@code maxSize} and doubles
 *       the table; nothing shrinks it but {@code trimToSize()}, which rebuilds it without {@code
 *       rehash} (its slack, capacity the live entries do not need, stays otherwise).
 * </ol>
 *
 * <p>A map is used by one thread at a time (the library's contract), so the counts are plain
 * fields. No probe throws, allocates on the delete path (but for a call-site sample), or takes a
 * lock.
 */
public final class EclipseUnifiedProbes {
  private static final String LIBRARY_PACKAGE = "org.eclipse.collections.";
  // In MapRecorder.iteratorRemove: a bulk remove of the map's own is running and counts its hits.
  private static final int BULK = 3;

  // The map's or set's occupied, for the advice of its iterators and views, which run in other
  // classes (nest mates in 13.x, not in 11.x, which targets Java 8).
  private static final ClassValue<Field> OCCUPIED =
      new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
              Field f = c.getDeclaredField("occupied");
              f.setAccessible(true);
              return f.getType() == int.class ? f : null;
            } catch (NoSuchFieldException e) {
              // a program subclass: the field is its superclass's
            } catch (RuntimeException e) {
              return null;
            }
          }
          return null;
        }
      };

  private EclipseUnifiedProbes() {}

  /**
   * A remove of one key or entry returned, {@code occupied} {@code before} and {@code after} it: a
   * hit if it fell, a miss if not.
   */
  public static void removedOne(Object recorder, Object map, int before, int after) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r == null) {
      return;
    }
    if (after < before) {
      hits(r, map, before - after);
    } else {
      r.deleteMisses++;
      if (--r.callSiteDue <= 0) {
        LibraryMaps.callSite(r, map, false, LIBRARY_PACKAGE);
      }
    }
  }

  /**
   * An iterator's {@code remove()} or a view's {@code retainAll} returned, {@code occupied} {@code
   * before} and {@code after} it: each entry gone is a hit, unless a bulk remove of the map's own
   * runs it and counts them.
   */
  public static void removedSome(Object map, int before, int after) {
    if (before > after) {
      MapRecorder r = TrackedMaps.recorderOf(map);
      if (r != null && r.iteratorRemove != BULK) {
        hits(r, map, before - after);
      }
    }
  }

  /**
   * Start of a bulk remove of the map's own ({@code removeIf}, the set's {@code
   * retainAllIterable}), {@code occupied} before it: returned for its end.
   */
  public static int bulkStart(Object recorder, Object map, int occupied) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.iteratorRemove = BULK;
    }
    return occupied;
  }

  /** End of a bulk remove: each entry gone is a hit. */
  public static void bulkEnd(Object recorder, Object map, int before, int after) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.iteratorRemove = 0;
      if (before > after) {
        hits(r, map, before - after);
      }
    }
  }

  private static void hits(MapRecorder r, Object map, int n) {
    r.deleteHits += n;
    r.tombstonesCollapsed += n;
    if (--r.callSiteDue <= 0) {
      LibraryMaps.callSite(r, map, true, LIBRARY_PACKAGE);
    }
  }

  /**
   * The {@code occupied} of a tracked map or set, read for the advice of its iterators and views;
   * -1 for one not tracked or not readable.
   */
  public static int occupied(Object map) {
    if (map == null || TrackedMaps.recorderOf(map) == null) {
      return -1;
    }
    Field f = OCCUPIED.get(map.getClass());
    try {
      return f == null ? -1 : f.getInt(map);
    } catch (IllegalAccessException e) {
      return -1;
    }
  }

  /**
   * End of a remove in an iterator or view of {@code map}, its {@code occupied} {@code before} it
   * (-1: not tracked); {@code one}: a remove of one entry, which is a miss if nothing went.
   */
  public static void removedThrough(Object map, int before, boolean one) {
    if (before < 0) {
      return;
    }
    int after = occupied(map);
    if (after < 0) {
      return;
    }
    if (one) {
      removedOne(null, map, before, after);
    } else {
      removedSome(map, before, after);
    }
  }

  /**
   * Start of {@code trimToSize()} on a table of {@code capacity} entries: it rebuilds the table
   * itself, without {@code rehash}. Returns the recorder, or null for an untracked map.
   */
  public static Object trimStart(Object recorder, Object map, long capacity) {
    MapRecorder r = RecorderFields.of(recorder, map);
    if (r != null) {
      r.rehashDepth++; // no compaction at an insert inside it
      r.rehashFromCapacity = capacity;
      long now = System.nanoTime();
      r.growStartNanos = now != 0L ? now : 1L;
    }
    return r;
  }

  /**
   * End of {@code trimToSize()}: {@code trimmed} if it rebuilt the table, now of {@code capacity}
   * entries, {@code occupied} of them moved. A request of the release trigger is done either way:
   * the library keeps a table not above twice what its entries need.
   */
  public static void trimEnd(Object recorder, boolean trimmed, int occupied, long capacity) {
    if (!(recorder instanceof MapRecorder r)) {
      return;
    }
    r.rehashDepth = Math.max(0, r.rehashDepth - 1);
    if (trimmed) {
      long duration = System.nanoTime() - r.growStartNanos;
      r.trims++;
      r.entriesMoved += occupied;
      if (r.compactRequested) {
        r.compactions++; // before the volatile write that the release trigger waits for
      }
      r.site.histogram(Site.GROW_DURATION).record(Math.max(0, duration));
      Sites.queueRehash(
          new RehashEvent(
              System.currentTimeMillis(),
              r.site.id,
              RehashEvent.COMPACT,
              r.rehashFromCapacity,
              capacity,
              Math.max(0, duration),
              occupied,
              0));
    }
    if (r.compactRequested) {
      r.compactRequested = false;
    }
  }
}
