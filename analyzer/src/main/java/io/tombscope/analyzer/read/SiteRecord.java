package io.tombscope.analyzer.read;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * Everything a recording says about one allocation site: its last cumulative counters, its gauges
 * as time series (one value per report point, carried forward over intervals where the site was
 * quiet, the highest kept where a point holds several intervals), its histograms summed over the
 * recording, its grows and its delete call sites.
 */
public final class SiteRecord {
  /** The key of the series of deletes so far (hits and misses), not a gauge's. */
  private static final String DELETES = "(deletes)";

  /** The key of the series of the highest deletes per second of a point's intervals. */
  private static final String DELETE_RATE = "(deleteRate)";

  /** Series a site keeps at most: what one report point costs a site, in longs. */
  static final int MAX_SERIES = 16;

  /** The family of a site without a {@code family} key: a {@code BucketHashMap} site. */
  public static final String BUCKET = "bucket";

  /** Packages of the JDK's own code, where a fix cannot go. */
  private static final List<String> JDK_PACKAGES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  /** The gauge key that carries the exact largest size one map of the site reached. */
  public static final String EXACT_PEAK_SIZE = "mapSizePeak";

  public final int id;
  public final String mapClass;
  public final List<String> allocationSite;

  /** {@code hashmap}, {@code concurrent}, {@code weak} ... or {@link #BUCKET}; never null. */
  public final String family;

  /** One map in this many constructed at the site is tracked; 1 when all are. */
  public final int trackedOneIn;

  /**
   * The first frame of the program's own code on the stack that built the maps, as the agent found
   * it ({@code appFrame}), or null when it recorded none.
   */
  public String appFrame;

  /** The site is where tracked maps grew past {@code grownToSlots}, not where they were built. */
  public boolean grown;

  public long grownToSlots;

  /**
   * The site is where tracked maps were deleted from when one of their deletes was chosen ({@code
   * tracking: deleting}), not where they were built.
   */
  public boolean trackedAtDelete;

  /** The last {@code counters} line's values (cumulative totals), by key. */
  public final Map<String, Long> counters = new HashMap<>();

  /** The last {@code gauge} line's values, by key. */
  public final Map<String, Long> gauge = new HashMap<>();

  /**
   * Index of the first report point this site has values for (in {@link
   * Recording#intervalTimes()}), -1 if it has none.
   */
  public int firstInterval = -1;

  /** Every time series by the gauge key it follows ({@link #DELETES}: deletes so far). */
  private final Map<String, LongSeries> series = new LinkedHashMap<>();

  /** Series of a site: one line each, named by the gauge key whose value each point keeps. */
  public final LongSeries deletes = series(DELETES);

  /**
   * Deletes per second, in the interval of a point that had the most: a spike of one interval shows
   * at its full height however many intervals a point holds.
   */
  public final LongSeries deleteRate = series(DELETE_RATE);

  /** Deletes so far at the last {@link #record}. */
  private long deletesRecorded;

  public final LongSeries tombstones = series("tombstones");
  public final LongSeries size = series("size");
  public final LongSeries slots = series("slots");
  public final LongSeries estimatedBytes = series("estimatedBytes");
  public final LongSeries deadSlots = series("deadSlots");
  public final LongSeries maps = series("maps");
  public final LongSeries drainedSlots = series("drainedSlots");
  public final LongSeries drainedMaps = series("drainedMaps");
  public final LongSeries drainedBytes = series("drainedBytes");

  /**
   * The largest size seen: at a gauge, or the entries one grow moved (all of them were in one map
   * at the grow's start). A lower bound, since gauges are written once per interval.
   */
  public long peakSize;

  /** Size at the last gauge that still had live maps (the size before the maps died). */
  public long lastLiveSize;

  public long peakSlots;
  public long peakTombstones;
  public long peakEstimatedBytes;
  public long peakDeadSlots;

  /** Histograms per series ({@code deleteProbe.hit}, {@code deleteLatency} ...), summed. */
  public final Map<String, Histogram> histograms = new LinkedHashMap<>();

  public long growEvents;
  public long growEventsOverflow;
  public long growNanos;

  /** Time spent in the grows of each {@code cause} ({@code autoCompaction}, ...), summed. */
  public final Map<String, Long> growNanosByCause = new HashMap<>();

  public long growTombstonesReclaimed;

  /** Threads that joined the transfers of the site's {@code resize} grows ({@code helpers}). */
  public long growHelpers;

  /**
   * Delete call stack (the frame that called delete, then its recorded callers) → {deletes,
   * deleteMisses, silentDeletes}, the last cumulative values.
   */
  public final Map<List<String>, long[]> deleteSites = new LinkedHashMap<>();

  /** Delete call stack → the first frame of the program's own code on it, where recorded. */
  public final Map<List<String>, String> deleteSiteAppFrames = new HashMap<>();

  SiteRecord(int id, String mapClass, List<String> allocationSite) {
    this(id, mapClass, allocationSite, BUCKET, 1);
  }

  SiteRecord(
      int id, String mapClass, List<String> allocationSite, String family, int trackedOneIn) {
    this.id = id;
    this.mapClass = Printable.clean(mapClass);
    this.allocationSite = allocationSite.stream().map(Printable::clean).toList();
    this.family = Printable.clean(family);
    this.trackedOneIn = trackedOneIn;
  }

  private LongSeries series(String key) {
    LongSeries s = new LongSeries(key.equals(DELETE_RATE));
    series.put(key, s);
    return s;
  }

  private long deletes() {
    return counter("deleteHits") + counter("deleteMisses");
  }

  /** Families of maps from third-party libraries (see "Third-party maps" in the format). */
  public static final Set<String> THIRD_PARTY = Set.of("trove", "eclipse", "fastutil", "jctools");

  /** Whether this is a site of a third-party library's maps ({@link #THIRD_PARTY}). */
  public boolean isThirdParty() {
    return THIRD_PARTY.contains(family);
  }

  /** Whether this is a JDK map site (any family but {@link #BUCKET} and the third-party ones). */
  public boolean isJdk() {
    return !BUCKET.equals(family) && !THIRD_PARTY.contains(family);
  }

  /** A counter's last value, 0 if never written. */
  public long counter(String key) {
    return counters.getOrDefault(key, 0L);
  }

  /** A gauge's last value, 0 if never written. */
  public long gauge(String key) {
    return gauge.getOrDefault(key, 0L);
  }

  /** Whether the site's gauge lines carry {@code key}. */
  public boolean hasGauge(String key) {
    return gauge.containsKey(key);
  }

  /**
   * The first recorded frame of the program's own code when the map was built inside a library or
   * the JDK, else null: where a fix can go. The agent's {@code appFrame} when it recorded one;
   * otherwise, in older recordings, the first frame outside the JDK ({@code java.}, {@code javax.},
   * {@code jdk.}, {@code sun.}, {@code com.sun.}) when the first frame is the JDK's.
   */
  public String programFrame() {
    if (appFrame != null) {
      // The agent knew which code is the program's, a library's included.
      return allocationSite.isEmpty() || appFrame.equals(allocationSite.get(0)) ? null : appFrame;
    }
    if (allocationSite.isEmpty() || !isJdkFrame(allocationSite.get(0))) {
      return null;
    }
    for (String frame : allocationSite) {
      if (!isJdkFrame(frame)) {
        return frame;
      }
    }
    return null;
  }

  /** Whether {@code frame} is the JDK's own code, where a fix cannot go. */
  public static boolean isJdkFrame(String frame) {
    for (String prefix : JDK_PACKAGES) {
      if (frame.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The first allocation frame, or the map class when the site has none. */
  public String label() {
    return allocationSite.isEmpty() ? mapClass : allocationSite.get(0);
  }

  /**
   * Puts the site's values now into report point {@code point} (the highest of a point's intervals
   * is kept); the first time the site has counters or a gauge, its series start there. {@code
   * intervalMillis} is the length of the interval that just ended; returns the deletes made in it.
   */
  long record(int point, long intervalMillis) {
    if (firstInterval < 0) {
      if (counters.isEmpty() && gauge.isEmpty()) {
        return 0;
      }
      firstInterval = point;
    }
    int i = point - firstInterval;
    long deletes = deletes();
    long deleted = Math.max(0, deletes - deletesRecorded);
    deletesRecorded = deletes;
    for (Map.Entry<String, LongSeries> e : series.entrySet()) {
      String key = e.getKey();
      long value =
          key.equals(DELETES)
              ? deletes
              : key.equals(DELETE_RATE) ? perSecond(deleted, intervalMillis) : gauge(key);
      e.getValue().put(i, value);
    }
    return deleted;
  }

  /** {@code count} events in {@code millis} as a rate per second, rounded to the nearest. */
  static long perSecond(long count, long millis) {
    return millis <= 0 ? count : (long) Math.rint(count * 1000.0 / millis);
  }

  /** Carries the last values forward to the recording's last point ({@code points} in all). */
  void fillTo(int points) {
    if (firstInterval < 0) {
      return;
    }
    for (LongSeries s : series.values()) {
      s.fillTo(points - firstInterval);
    }
  }

  /** Halves the series' resolution with the recording's points (see {@link LongSeries#halve}). */
  void halve() {
    if (firstInterval < 0) {
      return;
    }
    for (LongSeries s : series.values()) {
      s.halve(firstInterval);
    }
    firstInterval /= 2;
  }
}
