package io.tombscope.agent.live;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.LogHistogram;
import io.tombscope.agent.bootstrap.Site;
import io.tombscope.agent.recording.IntervalListener;
import io.tombscope.agent.recording.MapStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of the Prometheus endpoint, rebuilt by the flusher at the end of every interval and
 * published as one finished text page that scrapes only copy out.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Every method but {@link #page()} runs on the flusher thread; {@link #page()} is a volatile
 *       read, so a scrape never waits for the flusher, never touches a map or a probe, and always
 *       sees one whole interval.
 *   <li>At most {@code maxSites} sites get a {@code site} label: those with the most deletes plus
 *       live tombstones when a label is free. A labelled site keeps its label for the JVM's life,
 *       and the rest are summed under {@code site="other"}.
 *   <li>Every counter series only grows. A site moving out of {@code other} leaves what {@code
 *       other} already showed of it behind there, and its own series counts from that point on, so
 *       each sum over all sites stays exact.
 *   <li>Latency histograms are per family (not per site): the cumulative counts of the delete and
 *       grow series, at power-of-two bounds in nanoseconds, exact below each bound.
 * </ol>
 */
public final class LiveMetrics implements IntervalListener {
  /** The {@code site} label of the sites beyond the cap. */
  static final String OTHER = "other";

  /** The {@code family} label of BucketHashMap sites, as readers of a recording name them. */
  static final String BUCKET_FAMILY = "bucket";

  /** Histogram bounds are 2^MIN_BOUND_LOG2 .. 2^MAX_BOUND_LOG2 ns (64 ns to 4.3 s), then +Inf. */
  static final int MIN_BOUND_LOG2 = 6;

  static final int MAX_BOUND_LOG2 = 32;

  /** Series per site and per family: the documented budget (docs/monitoring.md). */
  static final int SERIES_PER_SITE = 13;

  static final int SERIES_PER_FAMILY = 2 * (MAX_BOUND_LOG2 - MIN_BOUND_LOG2 + 1 + 3);

  private final int maxSites;
  private final String agentInfo;

  // Flusher thread only.
  private final Map<Integer, Tally> labelled = new LinkedHashMap<>(); // site id -> left in other
  private Map<Integer, Tally> lastUnlabelled = new HashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final Map<String, long[][]> latency = new TreeMap<>(); // family -> [series][bucket]
  private final Map<String, Boolean> families = new TreeMap<>();

  private volatile byte[] page;

  /**
   * @param maxSites the most sites with their own label (agent option {@code prometheus.sites})
   * @param agentVersion the agent's version, for {@code tombscope_agent_info}
   */
  public LiveMetrics(int maxSites, String agentVersion) {
    this.maxSites = maxSites;
    this.agentInfo =
        "tombscope_agent_info{version=\""
            + PrometheusText.escape(agentVersion)
            + "\",jvm=\""
            + PrometheusText.escape(
                System.getProperty("java.vm.name", "") + " " + Runtime.version())
            + "\"} 1\n";
    this.page = render(List.of(), new Row(null, new Tally(), new Gauge()));
  }

  /** The last published page of metrics, in the text format 0.0.4. */
  public byte[] page() {
    return page;
  }

  @Override
  public void site(Site site, Counts total, MapStats gauge) {
    rows.add(new Row(site, Tally.of(total, site.family), Gauge.of(gauge, site.family)));
    families.put(familyOf(site), Boolean.TRUE);
  }

  @Override
  public void latency(int series, Site site, int bucket, int count) {
    int index = series == Site.DELETE_LATENCY ? 0 : series == Site.GROW_DURATION ? 1 : -1;
    if (index >= 0) {
      latency
              .computeIfAbsent(familyOf(site), f -> new long[2][LogHistogram.BUCKETS])[index][
              bucket] +=
          count;
    }
  }

  @Override
  public void intervalEnd(long epochMs) {
    promote();
    Row other = new Row(null, new Tally(), new Gauge());
    List<Row> own = new ArrayList<>();
    Map<Integer, Tally> unlabelled = new HashMap<>();
    for (Tally left : labelled.values()) {
      other.total.add(left, 1);
    }
    for (Row r : rows) {
      Tally left = labelled.get(r.site.id);
      if (left == null) {
        other.total.add(r.total, 1);
        other.gauge.add(r.gauge);
        unlabelled.put(r.site.id, r.total);
      } else {
        own.add(r.minus(left));
      }
    }
    lastUnlabelled = unlabelled;
    rows.clear();
    page = render(own, other);
  }

  /** Gives free labels to the unlabelled sites with the most deletes plus live tombstones. */
  private void promote() {
    if (labelled.size() >= maxSites) {
      return;
    }
    List<Row> candidates = new ArrayList<>();
    for (Row r : rows) {
      if (!labelled.containsKey(r.site.id) && r.score() > 0) {
        candidates.add(r);
      }
    }
    candidates.sort(
        Comparator.comparingLong(Row::score).reversed().thenComparingInt(r -> r.site.id));
    for (Row r : candidates) {
      if (labelled.size() >= maxSites) {
        break;
      }
      Tally shown = lastUnlabelled.get(r.site.id);
      labelled.put(r.site.id, shown != null ? shown : new Tally());
    }
  }

  private byte[] render(List<Row> own, Row other) {
    PrometheusText t = new PrometheusText();
    List<Row> all = new ArrayList<>(own);
    all.add(other);
    t.family("tombscope_deletes_total", "counter", "Deletes: a hit found its key, a miss did not.");
    for (Row r : all) {
      t.sample("tombscope_deletes_total", r.label(), "result", "hit", r.total.get(Tally.HITS));
      t.sample("tombscope_deletes_total", r.label(), "result", "miss", r.total.get(Tally.MISSES));
    }
    t.family(
        "tombscope_tombstones_reclaimed_total",
        "counter",
        "Tombstones reclaimed by evacuation, trim() or clear().");
    for (Row r : all) {
      t.sample(
          "tombscope_tombstones_reclaimed_total",
          r.label(),
          null,
          null,
          r.total.get(Tally.RECLAIMED));
    }
    t.family(
        "tombscope_grows_total",
        "counter",
        "Grows by cause: load (doubling), overflow (same-size grow), resize (a JDK map's table).");
    for (Row r : all) {
      boolean bucket = r.site == null || r.site.family == null;
      boolean jdk = r.site == null || r.site.family != null;
      if (bucket) {
        t.sample("tombscope_grows_total", r.label(), "cause", "load", r.total.get(Tally.LOAD));
        t.sample(
            "tombscope_grows_total", r.label(), "cause", "overflow", r.total.get(Tally.OVERFLOW));
      }
      if (jdk) {
        t.sample("tombscope_grows_total", r.label(), "cause", "resize", r.total.get(Tally.RESIZE));
      }
    }
    t.family(
        "tombscope_evacuated_entries_total", "counter", "Entries moved to a new table by grows.");
    for (Row r : all) {
      t.sample(
          "tombscope_evacuated_entries_total", r.label(), null, null, r.total.get(Tally.MOVED));
    }
    gauge(t, all, "tombscope_tombstones", "Live tombstones (BucketHashMap).", g -> g.tombstones);
    gauge(t, all, "tombscope_map_slots", "Slots of the tracked live maps.", g -> g.slots);
    gauge(t, all, "tombscope_map_entries", "Entries of the tracked live maps.", g -> g.entries);
    gauge(t, all, "tombscope_map_bytes", "Estimated bytes of the tracked live maps.", g -> g.bytes);
    gauge(
        t,
        all,
        "tombscope_map_reclaimable_bytes",
        "Bytes a trim or a copy of the tracked live maps would give back.",
        g -> g.reclaimableBytes);
    gauge(t, all, "tombscope_maps", "Tracked live maps.", g -> g.maps);
    histogram(t, 0, "tombscope_delete_duration_seconds", "Sampled delete latency, per family.");
    histogram(t, 1, "tombscope_grow_duration_seconds", "Grow duration, start to end, per family.");
    t.family(
        "tombscope_site_info",
        "gauge",
        "A labelled site: map class, first allocation frame and family.");
    for (Row r : own) {
      t.info(
          r.site.id,
          r.site.mapClass,
          r.site.frames.isEmpty() ? "" : r.site.frames.get(0),
          familyOf(r.site));
    }
    t.family("tombscope_agent_info", "gauge", "The agent's version and the JVM.");
    t.raw(agentInfo);
    return t.toString().getBytes(StandardCharsets.UTF_8);
  }

  private interface GaugeField {
    long of(Gauge g);
  }

  private static void gauge(
      PrometheusText t, List<Row> all, String name, String help, GaugeField f) {
    t.family(name, "gauge", help);
    for (Row r : all) {
      t.sample(name, r.label(), null, null, f.of(r.gauge));
    }
  }

  private void histogram(PrometheusText t, int series, String name, String help) {
    t.family(name, "histogram", help);
    for (String family : families.keySet()) {
      long[][] counts = latency.get(family);
      long[] c = counts == null ? new long[LogHistogram.BUCKETS] : counts[series];
      long cumulative = 0;
      double sumNanos = 0;
      int bucket = 0;
      for (int log2 = MIN_BOUND_LOG2; log2 <= MAX_BOUND_LOG2; log2++) {
        long bound = 1L << log2;
        // A bucket's values all lie below its power of two when its middle does.
        for (; bucket < LogHistogram.BUCKETS && LogHistogram.valueOf(bucket) < bound; bucket++) {
          cumulative += c[bucket];
          sumNanos += (double) c[bucket] * LogHistogram.valueOf(bucket);
        }
        t.bucket(name, family, PrometheusText.seconds(bound), cumulative);
      }
      for (; bucket < LogHistogram.BUCKETS; bucket++) {
        cumulative += c[bucket];
        sumNanos += (double) c[bucket] * LogHistogram.valueOf(bucket);
      }
      t.bucket(name, family, "+Inf", cumulative);
      t.sumAndCount(name, family, sumNanos / 1e9, cumulative);
    }
  }

  static String familyOf(Site site) {
    return site.family == null ? BUCKET_FAMILY : site.family;
  }

  /** The gauges of one site, or of many summed. */
  static final class Gauge {
    long maps;
    long tombstones;
    long slots;
    long entries;
    long bytes;
    long reclaimableBytes;

    static Gauge of(MapStats s, String family) {
      Gauge g = new Gauge();
      g.maps = s.maps;
      g.tombstones = family == null ? s.tombstones : 0;
      g.slots = s.slots;
      g.entries = s.size;
      g.bytes = s.estimatedBytes;
      g.reclaimableBytes = Reclaimable.bytes(s, family);
      return g;
    }

    void add(Gauge o) {
      maps += o.maps;
      tombstones += o.tombstones;
      slots += o.slots;
      entries += o.entries;
      bytes += o.bytes;
      reclaimableBytes += o.reclaimableBytes;
    }
  }

  /** The counters of one site, or of many summed, as the endpoint shows them. */
  static final class Tally {
    static final int HITS = 0;
    static final int MISSES = 1;
    static final int RECLAIMED = 2;
    static final int LOAD = 3;
    static final int OVERFLOW = 4;
    static final int RESIZE = 5;
    static final int MOVED = 6;

    final long[] v = new long[7];

    static Tally of(Counts c, String family) {
      Tally t = new Tally();
      t.v[HITS] = c.deleteHits;
      t.v[MISSES] = c.deleteMisses;
      t.v[RECLAIMED] = c.reclaimedByEvacuation + c.reclaimedByTrim + c.reclaimedByClear;
      // A JDK map's resize counts as a load grow in the recording; here it has its own cause.
      t.v[family == null ? LOAD : RESIZE] = c.growsLoad;
      t.v[OVERFLOW] = c.growsOverflow;
      t.v[MOVED] = c.entriesMoved;
      return t;
    }

    void add(Tally o, int sign) {
      for (int i = 0; i < v.length; i++) {
        v[i] += sign * o.v[i];
      }
    }

    long get(int i) {
      return v[i];
    }
  }

  /** One site's figures in an interval; a null site is {@code other}. */
  private record Row(Site site, Tally total, Gauge gauge) {
    String label() {
      return site == null ? OTHER : Integer.toString(site.id);
    }

    long score() {
      return total.get(Tally.HITS) + total.get(Tally.MISSES) + gauge.tombstones;
    }

    Row minus(Tally base) {
      Tally t = new Tally();
      t.add(total, 1);
      t.add(base, -1);
      return new Row(site, t, gauge);
    }
  }
}
