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
  /** The series of deletes so far (hits and misses), not a gauge's. */
  private static final int DELETES = -1;

  /** The series of the highest deletes per second of a point's intervals. */
  private static final int DELETE_RATE = -2;

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

  /**
   * The keys of the recording's numbers: what an index of {@link #counters} or {@link #gauge} is.
   */
  private final NumberKeys keys;

  /** The last {@code counters} line's values (cumulative totals), by key index. */
  private final Numbers counters = new Numbers();

  /** The last {@code gauge} line's values, by key index. */
  private final Numbers gauge = new Numbers();

  /**
   * Index of the first report point this site has values for (in {@link
   * Recording#intervalTimes()}), -1 if it has none.
   */
  public int firstInterval = -1;

  /** Whether the interval being read changed the site's counters or gauge (the reader's). */
  boolean touched;

  /**
   * Every time series, and the index of the gauge key each follows ({@link #DELETES}: deletes,
   * {@link #DELETE_RATE}: their rate).
   */
  private final LongSeries[] series = new LongSeries[11];

  private final int[] seriesKeys = new int[11];
  private int seriesCount;

  /** Series of a site: one line each, named by the gauge key whose value each point keeps. */
  public final LongSeries deletes = series(DELETES);

  /**
   * Deletes per second, in the interval of a point that had the most: a spike of one interval shows
   * at its full height however many intervals a point holds.
   */
  public final LongSeries deleteRate = series(DELETE_RATE);

  /** Deletes so far at the last {@link #record}. */
  private long deletesRecorded;

  public final LongSeries tombstones = series(NumberKeys.TOMBSTONES);
  public final LongSeries size = series(NumberKeys.SIZE);
  public final LongSeries slots = series(NumberKeys.SLOTS);
  public final LongSeries estimatedBytes = series(NumberKeys.ESTIMATED_BYTES);
  public final LongSeries deadSlots = series(NumberKeys.DEAD_SLOTS);
  public final LongSeries maps = series(NumberKeys.MAPS);
  public final LongSeries drainedSlots = series(NumberKeys.DRAINED_SLOTS);
  public final LongSeries drainedMaps = series(NumberKeys.DRAINED_MAPS);
  public final LongSeries drainedBytes = series(NumberKeys.DRAINED_BYTES);

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

  SiteRecord(NumberKeys keys, int id, String mapClass, List<String> allocationSite) {
    this(keys, id, mapClass, allocationSite, BUCKET, 1);
  }

  SiteRecord(
      NumberKeys keys,
      int id,
      String mapClass,
      List<String> allocationSite,
      String family,
      int trackedOneIn) {
    this.keys = keys;
    this.id = id;
    this.mapClass = Printable.clean(mapClass);
    this.allocationSite = allocationSite.stream().map(Printable::clean).toList();
    this.family = Printable.clean(family);
    this.trackedOneIn = trackedOneIn;
  }

  private LongSeries series(int key) {
    LongSeries s = new LongSeries(key == DELETE_RATE);
    series[seriesCount] = s;
    seriesKeys[seriesCount++] = key;
    return s;
  }

  private long deletes() {
    return counters.get(NumberKeys.DELETE_HITS)
        + counters.get(NumberKeys.DELETE_MISSES)
        - deletesBefore;
  }

  /** In a range: the deletes before it, the counters and delete call sites it starts from. */
  private long deletesBefore;

  private Numbers countersBefore;
  private Map<List<String>, long[]> deleteSitesBefore;

  /**
   * The first interval of a range read: what the site holds now is where the range starts. Its
   * counters and delete call sites will count from here ({@link #finishRange}); its grows are
   * forgotten, and its peaks start from its gauge now, which holds into the range.
   */
  void startRange() {
    deletesBefore = deletes() + deletesBefore;
    deletesRecorded = 0;
    countersBefore = counters.copy();
    deleteSitesBefore = new HashMap<>();
    deleteSites.forEach((stack, numbers) -> deleteSitesBefore.put(stack, numbers.clone()));
    peakSize = gauge.get(NumberKeys.SIZE);
    lastLiveSize = gauge.get(NumberKeys.MAPS) > 0 ? gauge.get(NumberKeys.SIZE) : 0;
    peakSlots = gauge.get(NumberKeys.SLOTS);
    peakTombstones = gauge.get(NumberKeys.TOMBSTONES);
    peakEstimatedBytes = gauge.get(NumberKeys.ESTIMATED_BYTES);
    peakDeadSlots = gauge.get(NumberKeys.DEAD_SLOTS);
    growEvents = 0;
    growEventsOverflow = 0;
    growNanos = 0;
    growNanosByCause.clear();
    growTombstonesReclaimed = 0;
    growHelpers = 0;
  }

  /** After the last interval of a range: counters and delete call sites count from its start. */
  void finishRange() {
    if (countersBefore == null) {
      return;
    }
    counters.subtract(countersBefore);
    deleteSites.forEach(
        (stack, numbers) -> {
          long[] before = deleteSitesBefore.get(stack);
          if (before != null) {
            for (int i = 0; i < numbers.length; i++) {
              numbers[i] = Math.max(0, numbers[i] - before[i]);
            }
          }
        });
    deletesBefore = 0;
    countersBefore = null;
    deleteSitesBefore = null;
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
    return counters.get(keys.find(key));
  }

  /** A gauge's last value, 0 if never written. */
  public long gauge(String key) {
    return gauge.get(keys.find(key));
  }

  /** Whether the site's gauge lines carry {@code key}. */
  public boolean hasGauge(String key) {
    return gauge.has(keys.find(key));
  }

  /** The counters, by key index ({@link NumberKeys}). */
  Numbers counters() {
    return counters;
  }

  /** The gauge, by key index ({@link NumberKeys}). */
  Numbers gauge() {
    return gauge;
  }

  /**
   * The last values of one kind of line, by key index: the keys a line carried are set, the others
   * keep what earlier lines gave them.
   */
  static final class Numbers {
    private long[] values = new long[NumberKeys.SILENT_DELETES + 1];
    private boolean[] set = new boolean[values.length];
    private boolean any;

    /** The value of key {@code index}, 0 if never set (or for -1, a key never met). */
    long get(int index) {
      return index >= 0 && index < values.length ? values[index] : 0;
    }

    boolean has(int index) {
      return index >= 0 && index < set.length && set[index];
    }

    void put(int index, long value) {
      if (index >= values.length) {
        int n = Math.max(index + 1, values.length * 2);
        values = java.util.Arrays.copyOf(values, n);
        set = java.util.Arrays.copyOf(set, n);
      }
      values[index] = value;
      set[index] = true;
      any = true;
    }

    boolean isEmpty() {
      return !any;
    }

    Numbers copy() {
      Numbers c = new Numbers();
      c.values = values.clone();
      c.set = set.clone();
      c.any = any;
      return c;
    }

    /** Takes {@code before}'s values from these, but for {@code t} and {@code site}. */
    void subtract(Numbers before) {
      for (int i = 0; i < values.length; i++) {
        if (i != NumberKeys.T && i != NumberKeys.SITE && before.has(i)) {
          values[i] -= before.values[i];
        }
      }
    }
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
    long rate = perSecond(deleted, intervalMillis);
    for (int k = 0; k < seriesCount; k++) {
      int key = seriesKeys[k];
      series[k].put(
          i, key == DELETES ? deletes : key == DELETE_RATE ? rate : gauge.get(seriesKeys[k]));
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
    for (int k = 0; k < seriesCount; k++) {
      series[k].fillTo(points - firstInterval);
    }
  }

  /** Halves the series' resolution with the recording's points (see {@link LongSeries#halve}). */
  void halve() {
    if (firstInterval < 0) {
      return;
    }
    for (int k = 0; k < seriesCount; k++) {
      series[k].halve(firstInterval);
    }
    firstInterval /= 2;
  }
}
