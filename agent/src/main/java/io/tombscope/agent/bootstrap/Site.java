package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * An allocation site: the map class and the frames that constructed it. Holds the maps still alive
 * (weakly), the counts folded in from maps that died, and the sampled histograms.
 */
public final class Site {
  public final int id;
  public final String mapClass;

  /** The JDK map family ({@code hashmap}, {@code concurrent} ...), or null for BucketHashMap. */
  public final String family;

  /** One map in this many constructed here is tracked (always 1 for BucketHashMap). */
  public final int trackedOneIn;

  public final List<String> frames;
  public final long firstSeenEpochMs;

  /** JDK maps: {@link #SAMPLED}, {@link #GROWN} or {@link #DELETING}; null for BucketHashMap. */
  public final String tracking;

  /** The first frame of the program's own code that built the maps, or null if none was found. */
  public final String appFrame;

  /** {@link Family} index of {@link #family}, or -1. */
  final int familyIndex;

  /** A JDK site whose maps were chosen at construction. */
  public static final String SAMPLED = "sampled";

  /** A JDK site whose maps are tracked since their table grew past the threshold. */
  public static final String GROWN = "grown";

  /**
   * A JDK site whose maps are tracked since one of their deletes was chosen: one untracked delete
   * in {@link JdkProbes#DELETE_TRACKING_ONE_IN}, so a map is found in proportion to its deletes.
   */
  public static final String DELETING = "deleting";

  // JDK maps that died, folded (written by the flusher only): the sum of their size peaks, the
  // largest, the most drained bytes one held, and their drained byte-milliseconds.
  public long foldedSizePeakSum;
  public long foldedMapSizePeak;
  public long foldedDrainedBytesPeak;
  public long foldedDrainedByteMillis;

  private static final VarHandle MAPS_CREATED;
  private static final VarHandle LIVE;
  private static final VarHandle HISTOGRAM =
      MethodHandles.arrayElementVarHandle(LogHistogram[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      MAPS_CREATED = lookup.findVarHandle(Site.class, "mapsCreated", long.class);
      LIVE = lookup.findVarHandle(Site.class, "live", MapRef.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Fields, arrays and a list linked through the maps' own references rather than atomics and a
  // concurrent set: every site has these, and most sites have a map or two.
  private volatile long mapsCreated;

  // The live maps, newest first: constructing threads push at the head (compare-and-set); the
  // flusher alone unlinks, under Sites.foldLock().
  private volatile MapRef live;

  /**
   * Counts of maps that died, or null until one did (written by the flusher only, under {@link
   * Sites#foldLock()}): most sites' maps live as long as the program.
   */
  public Counts folded;

  /** The highest {@link MapRecorder#tombstonesPeak} of the maps that died (flusher only). */
  public long foldedTombstonesPeak;

  // Probe lengths of the maps that died (flusher only): null until one that deleted dies, since
  // each costs up to half a KiB and most sites' maps live as long as the program.
  public ProbeLengths foldedHitProbes;
  public ProbeLengths foldedMissProbes;

  /** Series of {@link #histogram(int)}, in the order of {@link #SERIES_NAMES}. */
  public static final int DELETE_LATENCY = 0;

  public static final int EVACUATION_STEP = 1;
  public static final int EVACUATION_ENTRIES = 2;
  public static final int GROW_DURATION = 3;
  public static final int EXPUNGE_STALE = 4;

  /** Names of the histogram series in the recording. */
  public static final List<String> SERIES_NAMES =
      List.of(
          "deleteLatency", "evacuationStep", "evacuationEntries", "growDuration", "expungeStale");

  // Created on first use: most sites never fill most series.
  private final LogHistogram[] histograms = new LogHistogram[SERIES_NAMES.size()];

  public final CallSites callSites = new CallSites();

  Site(
      int id,
      String mapClass,
      String family,
      int trackedOneIn,
      String tracking,
      List<String> frames,
      String appFrame,
      long firstSeenEpochMs) {
    this.id = id;
    this.mapClass = mapClass;
    this.family = family;
    this.familyIndex = Family.indexOf(family);
    this.trackedOneIn = trackedOneIn;
    this.tracking = tracking;
    this.frames = frames;
    this.appFrame = appFrame;
    this.firstSeenEpochMs = firstSeenEpochMs;
  }

  /** The histogram of one series, created on its first value. */
  public LogHistogram histogram(int series) {
    LogHistogram h = histogramIfPresent(series);
    if (h == null) {
      HISTOGRAM.compareAndSet(histograms, series, null, new LogHistogram());
      h = histogramIfPresent(series);
    }
    return h;
  }

  /** The histogram of one series, or null if it has no value yet. */
  public LogHistogram histogramIfPresent(int series) {
    return (LogHistogram) HISTOGRAM.getAcquire(histograms, series);
  }

  /**
   * The newest live map of this site, or null; {@link MapRef#nextLive()} gives the others. Maps
   * whose counts {@link Sites#reap()} folded are unlinked by the next reap: outside the flusher a
   * walk may still meet one (its map is gone; {@link MapRef#folded()}).
   */
  public MapRef firstLive() {
    return live;
  }

  void addLive(MapRef ref) {
    ref.linked = true;
    MapRef head;
    do {
      head = live;
      ref.nextLive = head;
    } while (!LIVE.compareAndSet(this, head, ref));
  }

  // Set by Sites.reap() while this site has folded maps to unlink (flusher only).
  boolean unlinkDue;

  /** Unlinks the folded maps (flusher only, under {@link Sites#foldLock()}). */
  void unlinkFolded() {
    MapRef head;
    while ((head = live) != null && head.folded) {
      LIVE.compareAndSet(this, head, head.nextLive); // fails only to a new map: look again
    }
    if (head == null) {
      return;
    }
    // Only the flusher writes the links behind the head.
    MapRef kept = head;
    for (MapRef ref = head.nextLive; ref != null; ref = ref.nextLive) {
      if (ref.folded) {
        kept.nextLive = ref.nextLive;
      } else {
        kept = ref;
      }
    }
  }

  /** Maps constructed here. */
  public long mapsCreated() {
    return mapsCreated;
  }

  void mapCreated() {
    MAPS_CREATED.getAndAdd(this, 1L);
  }

  /** A weak reference to a live map that keeps its recorder, so its counts survive the map. */
  public static final class MapRef extends WeakReference<Object> {
    public final MapRecorder recorder;

    /** The map's identity hash, by which {@link TrackedMaps} finds JDK maps. */
    final int identityHash;

    private volatile MapRef nextLive;

    // Whether the map was added to its site's live maps, and then whether Sites.reap() took it
    // out, its counts folded into the site's (flusher only).
    volatile boolean linked;
    boolean folded;

    /** The next older live map of the site, or null. */
    public MapRef nextLive() {
      return nextLive;
    }

    /** True once the map died and its counts were folded into its site's. */
    public boolean folded() {
      return folded;
    }

    MapRef(Object map, MapRecorder recorder, ReferenceQueue<Object> queue) {
      super(map, queue);
      this.recorder = recorder;
      this.identityHash = System.identityHashCode(map);
    }
  }
}
