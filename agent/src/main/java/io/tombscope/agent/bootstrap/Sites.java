package io.tombscope.agent.bootstrap;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every allocation site seen, the live maps of each, and the queues the flusher drains.
 *
 * <p>Memory is bounded: at most {@link #MAX_SITES} sites (later ones share one "(other sites)"
 * site), per site at most 5 lazily created histograms of at most 2.2 KiB and {@link
 * CallSites#MAX_FRAMES} call stacks ({@link CallSites#MAX_TOTAL} over all sites), per live map one
 * recorder (about 470 bytes with its reference, plus probe-length counters up to its longest probe
 * once it has deleted, at most 1.1 KiB), and at most {@link #MAX_GROW_EVENTS} queued grow events.
 */
public final class Sites {
  /** Most distinct allocation sites tracked. */
  public static final int MAX_SITES = 10_000;

  /** Most grow events queued between two flushes; later ones are counted as dropped. */
  public static final int MAX_GROW_EVENTS = 1_000;

  private static final List<String> OTHER_SITES = List.of("(other sites)");
  private static final ConcurrentHashMap<SiteKey, Site> BY_KEY = new ConcurrentHashMap<>();
  private static final List<Site> ALL = new CopyOnWriteArrayList<>();
  private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
  private static final ReferenceQueue<Object> DEAD = new ReferenceQueue<>();
  private static final ConcurrentLinkedQueue<GrowEvent> GROWS = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<RehashEvent> REHASHES = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger QUEUED_GROWS = new AtomicInteger();
  private static final AtomicLong DROPPED_EVENTS = new AtomicLong();
  private static final AtomicLong SUPPRESSED_ERRORS = new AtomicLong();
  private static final AtomicLong LIVE_MAPS = new AtomicLong();
  private static final Object FOLD_LOCK = new Object();
  private static volatile Throwable firstSuppressed;
  private static volatile GrowListener growListener;

  private Sites() {}

  /** The site of {@code mapClass} constructed at {@code frames}, created on first sight. */
  static Site siteFor(String mapClass, List<String> frames) {
    return siteFor(mapClass, null, 1, null, frames, null);
  }

  /**
   * The site of a map class of a JDK {@code family}, tracked one in {@code trackedOneIn} or since
   * it grew ({@code tracking}), whose first frame of the program's own code is {@code appFrame}.
   */
  static Site siteFor(
      String mapClass,
      String family,
      int trackedOneIn,
      String tracking,
      List<String> frames,
      String appFrame) {
    SiteKey key = new SiteKey(mapClass, frames, tracking, appFrame);
    Site site = BY_KEY.get(key);
    if (site != null) {
      return site;
    }
    if (BY_KEY.size() >= MAX_SITES) {
      frames = OTHER_SITES;
      appFrame = null;
      key = new SiteKey(mapClass, frames, null, null);
    } else {
      // Sites of one program share most of their frames (the callers of a factory, main): one
      // string each, whatever the number of sites, in the JVM's own table of strings.
      frames = intern(frames);
      appFrame = appFrame == null ? null : appFrame.intern();
      key = new SiteKey(mapClass, frames, tracking, appFrame);
    }
    List<String> siteFrames = frames;
    String siteAppFrame = appFrame;
    return BY_KEY.computeIfAbsent(
        key,
        k -> {
          Site s =
              new Site(
                  NEXT_ID.getAndIncrement(),
                  mapClass,
                  family,
                  trackedOneIn,
                  tracking,
                  siteFrames,
                  siteAppFrame,
                  System.currentTimeMillis());
          ALL.add(s);
          return s;
        });
  }

  private static List<String> intern(List<String> frames) {
    String[] interned = new String[frames.size()];
    for (int i = 0; i < interned.length; i++) {
      interned[i] = frames.get(i).intern();
    }
    return List.of(interned);
  }

  /**
   * What tells one site from another; its frames are the site's own list, so a site costs one small
   * key rather than a copy of its frames joined.
   */
  private record SiteKey(String mapClass, List<String> frames, String tracking, String appFrame) {}

  static void track(Object map, MapRecorder recorder) {
    recorder.site.addLive(new Site.MapRef(map, recorder, DEAD));
    recorder.site.mapCreated();
    LIVE_MAPS.incrementAndGet();
  }

  /**
   * Tracks a JDK map, found later by identity: {@link TrackedMaps#ADDED}, or {@link
   * TrackedMaps#FULL} or {@link TrackedMaps#PRESENT} when it could not or need not.
   */
  static int trackJdk(Object map, MapRecorder recorder) {
    Site.MapRef ref = new Site.MapRef(map, recorder, DEAD);
    int added = TrackedMaps.add(ref);
    if (added != TrackedMaps.ADDED) {
      return added;
    }
    recorder.site.addLive(ref);
    recorder.site.mapCreated();
    LIVE_MAPS.incrementAndGet();
    return added;
  }

  /** Every site, in the order first seen (ids ascending). */
  public static List<Site> all() {
    return ALL;
  }

  /**
   * Folds the counts of maps that were garbage collected into their site, so totals never drop.
   * Callers that sum a site's live recorders and its folded counts hold {@link #foldLock()}.
   */
  public static int reap() {
    int n = 0;
    synchronized (FOLD_LOCK) {
      List<Site> unlinkDue = null;
      for (Reference<?> ref; (ref = DEAD.poll()) != null; ) {
        Site.MapRef dead = (Site.MapRef) ref;
        Site site = dead.recorder.site;
        if (site.family != null) {
          TrackedMaps.remove(dead);
        }
        // A JDK map that died before it was added to its site's live maps is never counted;
        // folded, it is skipped and unlinked if it is added later.
        boolean live = dead.linked && !dead.folded;
        dead.folded = true;
        if (!site.unlinkDue) {
          site.unlinkDue = true;
          if (unlinkDue == null) {
            unlinkDue = new ArrayList<>();
          }
          unlinkDue.add(site);
        }
        if (live) {
          if (site.folded == null) {
            site.folded = new Counts();
          }
          site.folded.add(dead.recorder);
          // what the flusher reported of the map beyond its own counts (Eclipse Collections)
          site.folded.tombstonesReused +=
              Math.max(0, dead.recorder.reusedReported - dead.recorder.tombstonesReused);
          site.foldedTombstonesPeak =
              Math.max(site.foldedTombstonesPeak, dead.recorder.tombstonesPeak);
          site.foldedHitProbes = ProbeLengths.sum(site.foldedHitProbes, dead.recorder.hitProbes);
          site.foldedMissProbes = ProbeLengths.sum(site.foldedMissProbes, dead.recorder.missProbes);
          if (site.family != null) {
            MapRecorder r = dead.recorder;
            long peak = r.sizePeak();
            site.foldedSizePeakSum += peak;
            site.foldedMapSizePeak = Math.max(site.foldedMapSizePeak, peak);
            site.foldedDrainedBytesPeak =
                Math.max(site.foldedDrainedBytesPeak, r.drainedBytesPeak());
            site.foldedDrainedByteMillis += r.drainedByteMillis;
          }
          LIVE_MAPS.decrementAndGet();
          n++;
        }
      }
      // Once per site, however many of its maps died: a walk of its live maps.
      if (unlinkDue != null) {
        for (Site site : unlinkDue) {
          site.unlinkDue = false;
          site.unlinkFolded();
        }
      }
    }
    return n;
  }

  /** The lock that makes "live + folded" a consistent sum against {@link #reap()}. */
  public static Object foldLock() {
    return FOLD_LOCK;
  }

  /** Tells {@code listener} of every grow from now on. */
  public static void listenToGrows(GrowListener listener) {
    growListener = listener;
  }

  /** A grow starts: what the grow listener wants back at its end, or null. */
  static Object growBegun() {
    GrowListener l = growListener;
    if (l == null) {
      return null;
    }
    try {
      return l.begin();
    } catch (Throwable t) {
      suppressed(t);
      return null;
    }
  }

  /** A grow of a map of {@code site} ended; {@code begun} is what {@link #growBegun} gave. */
  static void queueGrow(GrowEvent event, Site site, Object begun) {
    GrowListener l = growListener;
    if (begun != null && l != null) {
      try {
        l.end(begun, event, site);
      } catch (Throwable t) {
        suppressed(t);
      }
    }
    queueBounded(GROWS, event);
  }

  /** Queues a third-party map's rehash; bounded with the grow events. */
  static void queueRehash(RehashEvent event) {
    queueBounded(REHASHES, event);
  }

  private static <E> void queueBounded(ConcurrentLinkedQueue<E> queue, E event) {
    if (QUEUED_GROWS.incrementAndGet() > MAX_GROW_EVENTS) {
      QUEUED_GROWS.decrementAndGet();
      DROPPED_EVENTS.incrementAndGet();
      return;
    }
    queue.add(event);
  }

  /** The next queued rehash event, or null. */
  public static RehashEvent pollRehash() {
    return pollBounded(REHASHES);
  }

  /** The next queued grow event, or null. */
  public static GrowEvent pollGrow() {
    return pollBounded(GROWS);
  }

  private static <E> E pollBounded(ConcurrentLinkedQueue<E> queue) {
    E e = queue.poll();
    if (e != null) {
      QUEUED_GROWS.decrementAndGet();
    }
    return e;
  }

  /** Counts an error that a probe swallowed rather than let it reach the app. */
  public static void suppressed(Throwable t) {
    if (SUPPRESSED_ERRORS.getAndIncrement() == 0) {
      firstSuppressed = t;
    }
  }

  public static long suppressedErrors() {
    return SUPPRESSED_ERRORS.get();
  }

  /** The first error a probe swallowed, for the agent's one warning line; null if none. */
  public static Throwable firstSuppressed() {
    return firstSuppressed;
  }

  public static long droppedEvents() {
    return DROPPED_EVENTS.get();
  }

  public static long liveMaps() {
    return LIVE_MAPS.get();
  }
}
