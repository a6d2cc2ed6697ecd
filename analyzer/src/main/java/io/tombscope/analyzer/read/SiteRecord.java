package io.tombscope.analyzer.read;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything a recording says about one allocation site: its last cumulative counters, its gauges
 * as time series (one value per interval, carried forward over intervals where the site was quiet),
 * its histograms summed over the recording, its grows and its delete call sites.
 */
public final class SiteRecord {
  /** The family of a site without a {@code family} key: a {@code BucketHashMap} site. */
  public static final String BUCKET = "bucket";

  /** Packages of the JDK's own code, where a fix cannot go. */
  private static final List<String> JDK_PACKAGES =
      List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  /** The gauge key that carries the exact largest size a site's maps reached. */
  public static final String EXACT_PEAK_SIZE = "sizePeak";

  public final int id;
  public final String mapClass;
  public final List<String> allocationSite;

  /** {@code hashmap}, {@code concurrent}, {@code weak} ... or {@link #BUCKET}; never null. */
  public final String family;

  /** One map in this many constructed at the site is tracked; 1 when all are. */
  public final int trackedOneIn;

  /** The last {@code counters} line's values (cumulative totals), by key. */
  public final Map<String, Long> counters = new HashMap<>();

  /** The last {@code gauge} line's values, by key. */
  public final Map<String, Long> gauge = new HashMap<>();

  /** Index of the first interval this site has values for. */
  public int firstInterval = -1;

  public final LongSeries deletes = new LongSeries();
  public final LongSeries tombstones = new LongSeries();
  public final LongSeries size = new LongSeries();
  public final LongSeries slots = new LongSeries();
  public final LongSeries estimatedBytes = new LongSeries();
  public final LongSeries deadSlots = new LongSeries();
  public final LongSeries maps = new LongSeries();

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
  public long growTombstonesReclaimed;

  /** Threads that joined the transfers of the site's {@code resize} grows ({@code helpers}). */
  public long growHelpers;

  /**
   * Delete call stack (the frame that called delete, then its recorded callers) → {deletes,
   * deleteMisses}, the last cumulative values.
   */
  public final Map<List<String>, long[]> deleteSites = new LinkedHashMap<>();

  SiteRecord(int id, String mapClass, List<String> allocationSite) {
    this(id, mapClass, allocationSite, BUCKET, 1);
  }

  SiteRecord(
      int id, String mapClass, List<String> allocationSite, String family, int trackedOneIn) {
    this.id = id;
    this.mapClass = mapClass;
    this.allocationSite = List.copyOf(allocationSite);
    this.family = family;
    this.trackedOneIn = trackedOneIn;
  }

  /** Whether this is a JDK map site (any family but {@link #BUCKET}). */
  public boolean isJdk() {
    return !BUCKET.equals(family);
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
   * The first recorded frame of the program's own code when the map was built inside the JDK (its
   * first frame is in {@code java.}, {@code javax.}, {@code jdk.}, {@code sun.} or {@code
   * com.sun.}), else null: where a fix can go.
   */
  public String programFrame() {
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

  /** Appends this interval's values, carrying the last ones forward. */
  void closeInterval(int interval) {
    if (firstInterval < 0) {
      if (counters.isEmpty() && gauge.isEmpty()) {
        return;
      }
      firstInterval = interval;
    }
    deletes.add(counter("deleteHits") + counter("deleteMisses"));
    tombstones.add(gauge("tombstones"));
    size.add(gauge("size"));
    slots.add(gauge("slots"));
    estimatedBytes.add(gauge("estimatedBytes"));
    deadSlots.add(gauge("deadSlots"));
    maps.add(gauge("maps"));
  }
}
