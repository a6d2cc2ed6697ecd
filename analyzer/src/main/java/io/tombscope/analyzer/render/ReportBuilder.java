package io.tombscope.analyzer.render;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.nanos;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.read.FleetFile;
import io.tombscope.analyzer.read.Release;
import io.tombscope.reports.BarSeries;
import io.tombscope.reports.Column;
import io.tombscope.reports.Expandable;
import io.tombscope.reports.Finding;
import io.tombscope.reports.HtmlReport;
import io.tombscope.reports.Metric;
import io.tombscope.reports.PercentileCurve;
import io.tombscope.reports.Series;
import io.tombscope.reports.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/** Lays an {@link Analysis} out as the HTML report. */
public final class ReportBuilder {
  /** Sites charted one by one beside the total in the tombstone and delete timelines. */
  static final int CHARTED_SITES = 5;

  private ReportBuilder() {}

  public static HtmlReport build(Analysis a) {
    return build(a, "Tombscope report");
  }

  public static HtmlReport build(Analysis a, String title) {
    var m = a.recording().meta();
    var t = a.totals();
    HtmlReport report =
        HtmlReport.titled(title)
            .subtitle(
                String.format(
                    Locale.ROOT,
                    "%s · %s · started %s · %.1f s%s%s",
                    m.mainCommand().isEmpty() ? "pid " + m.pid() : m.mainCommand(),
                    m.jvm(),
                    Instant.ofEpochMilli(m.startEpochMs()),
                    a.recording().durationMs() / 1000.0,
                    a.recording().ended() ? "" : " · " + a.recording().endNote(),
                    a.recording().ranged() ? " · " + SummaryText.rangeLine(a.recording()) : ""));
    long rssReleased = a.releasedRssBytes();
    List<SiteAnalysis> jdk = a.sites().stream().filter(s -> s.record().isJdk()).toList();
    List<Metric> overview =
        new ArrayList<>(
            List.of(
                new Metric(
                    "Deletes",
                    String.format(Locale.ROOT, "%,d", t.deletes()),
                    a.recording().untrackedDeletes() > 0
                        ? String.format(
                            Locale.ROOT,
                            "%,d more in maps not tracked",
                            a.recording().untrackedDeletes())
                        : null),
                new Metric(
                    "Miss ratio",
                    String.format(Locale.ROOT, "%.1f%%", 100 * t.missRatio()),
                    String.format(Locale.ROOT, "%,d deletes of absent keys", t.deleteMisses())),
                new Metric(
                    "Live tombstones",
                    String.format(Locale.ROOT, "%,d", t.tombstonesLive()),
                    "at the end"),
                new Metric(
                    "Peak tombstones",
                    String.format(Locale.ROOT, "%,d", t.tombstonesPeak()),
                    peakSite(a)),
                new Metric(
                    "Grows",
                    String.format(Locale.ROOT, "%,d", t.grows()),
                    String.format(Locale.ROOT, "%,d same-size", t.sameSizeGrows())),
                new Metric("Evacuation time", nanos(t.growNanos()), "all grows, start to end"),
                new Metric(
                    "Map bytes",
                    bytes(t.estimatedBytes()),
                    String.format(
                        Locale.ROOT,
                        "%s reclaimable now; peak %s",
                        bytes(t.reclaimableBytes()),
                        bytes(peakBytes(a)))),
                new Metric(
                    "Memory released",
                    a.releases().isEmpty() ? "—" : bytes(Math.max(0, a.releasedHeapBytes())),
                    a.releases().isEmpty()
                        ? "no release recorded"
                        : a.releases().size()
                            + (a.releasedHeapBytes() < 0
                                ? " release(s); heap used grew " + bytes(-a.releasedHeapBytes())
                                : " release(s), heap used")
                            + (rssReleased < 0 ? "" : "; RSS " + bytes(rssReleased)))));
    if (a.sites().stream().noneMatch(s -> s.family() == MapFamily.BUCKET)) {
      // Tombstones, grows and evacuation are BucketHashMap's: without one, their tiles say nothing.
      overview.removeIf(
          metric ->
              List.of("Live tombstones", "Peak tombstones", "Grows", "Evacuation time")
                  .contains(metric.label()));
    }
    if (!jdk.isEmpty()) {
      overview.addAll(jdkMetrics(a, jdk));
    }
    report.metrics("Overview", overview);
    report.findings("Findings", findings(a), Coverage.noFindings(a));
    String notSeen = Coverage.notSeen(a);
    if (!a.findings().isEmpty() && !notSeen.isEmpty()) {
      report.text("Not seen", notSeen);
    }

    Analysis.Timeline tl = a.timeline();
    // Panels without data are left out; what was not recorded is said once, near the end.
    List<String> leftOut = new ArrayList<>();
    if (a.sites().stream().anyMatch(s -> s.family().hasTombstones())) {
      // Ranked by what the chart can show, the tombstones at interval ends: a peak that came and
      // went between two of them counts in the tiles and tables, not here.
      totalAndBusiestSites(
          report,
          a,
          "Live tombstones",
          "tombstones",
          tl.tombstones(),
          s -> s.family().hasTombstones() ? max(a.siteTombstones(s)) : 0,
          a::siteTombstones);
    } else {
      leftOut.add("live tombstones (no BucketHashMap was recorded)");
    }
    if (max(tl.slots()) > 0) {
      report.timeSeries(
          "Size and slots",
          "entries / slots",
          List.of(
              new Series("size (entries)", tl.seconds(), tl.size()),
              new Series("slots", tl.seconds(), tl.slots())));
    } else {
      leftOut.add("size and slots (no tracked map held entries)");
    }
    if (t.deletes() > 0) {
      totalAndBusiestSites(
          report,
          a,
          "Deletes per second",
          "deletes/s",
          tl.deletesPerSecond(),
          SiteAnalysis::deletes,
          a::siteDeletesPerSecond);
    } else {
      leftOut.add("deletes per second (no tracked map deleted)");
    }
    if (!jdk.isEmpty()) {
      List<Series> waste = new ArrayList<>();
      if (jdk.stream().anyMatch(s -> s.family().keepsPeakCapacity())) {
        waste.add(new Series("dead slots", tl.seconds(), tl.deadSlots()));
      }
      if (jdk.stream().anyMatch(s -> s.family().hasStaleEntries())) {
        waste.add(new Series("stale entries", tl.seconds(), tl.staleEntries()));
      }
      if (!waste.isEmpty()) {
        report.timeSeries("Dead slots and stale entries (JDK maps)", "slots / entries", waste);
      }
    }

    percentiles(
        report,
        leftOut,
        "Delete probe length",
        "slots",
        curves(a, "deleteProbe.hit", "hits", "deleteProbe.miss", "misses"),
        "probe lengths (only BucketHashMap records them)");
    percentiles(
        report,
        leftOut,
        "Delete latency (sampled)",
        "ns",
        curves(a, "deleteLatency", "delete", null, null),
        "delete latency (none sampled: agent option sample)");
    percentiles(
        report,
        leftOut,
        "Evacuation step time (sampled)",
        "ns",
        curves(a, "evacuationStep", "one old bucket", null, null),
        "evacuation step time (no BucketHashMap grew)");
    percentiles(
        report,
        leftOut,
        "Grow duration",
        "ns",
        curves(a, "growDuration", "start to end", null, null),
        "grow duration (no timed grow)");
    List<PercentileCurve> expunges = curves(a, "expungeStale", "one expunge", null, null);
    if (!expunges.isEmpty()) {
      report.percentiles("Stale entries removed per expunge", "entries", expunges);
    }

    if (!a.releases().isEmpty()) {
      releases(report, a.releases());
    }
    for (SitesTable.Titled table : SitesTable.tables(a.sites())) {
      report.table(table.heading(), table.table());
    }
    FleetFile fleet = FleetFile.read(a.recording().directory());
    if (fleet != null) {
      report.table(
          "Spread across " + fleet.jvms().size() + " JVMs: the worst JVM per site",
          FleetSpread.table(a, fleet));
      report.text("JVMs that stand out", FleetSpread.standouts(a, fleet));
    }
    if (a.deleteSites().isEmpty()) {
      leftOut.add(
          t.deletes() > 0
              ? "delete call sites (no delete was sampled for its caller: agent option callsites)"
              : "delete call sites (no deletes)");
    } else {
      report.table("Delete call sites (sampled)", deleteSites(a));
    }
    if (!leftOut.isEmpty()) {
      report.text("Not recorded", "Left out for want of data: " + String.join("; ", leftOut) + ".");
    }
    report.text("How to read this", howToRead(a, jdk));
    List<SiteAnalysis> thirdParty =
        a.sites().stream().filter(s -> s.record().isThirdParty()).toList();
    if (!thirdParty.isEmpty()) {
      report.text("Third-party maps", thirdPartyText(thirdParty));
    }
    return report;
  }

  /** What the report's figures mean, for the families this recording has. */
  private static String howToRead(Analysis a, List<SiteAnalysis> jdk) {
    StringBuilder text = new StringBuilder();
    if (a.sites().stream().anyMatch(s -> s.family() == MapFamily.BUCKET)) {
      text.append(
          "BucketHashMap: every delete leaves a tombstone (Go's emptyOne) unless it ends its"
              + " chain. Lookups walk past tombstones, so they cost probe length; the map never"
              + " shrinks, so they cost memory until a grow drops them or trim() rebuilds the map."
              + " A deleted key is absent to every lookup. Probe lengths count slots examined.\n");
    }
    if (!jdk.isEmpty()) {
      text.append(jdkText(jdk)).append('\n');
    }
    text.append(
        "Counts are exact; latency and evacuation step times are sampled (agent option sample)."
            + " Waste is ranked by its peak over the run and by how long it was held (byte-seconds),"
            + " so maps that died before the end still count. The charts show each interval's end;"
            + " peaks also count the moments between, so a map that filled and emptied within one"
            + " interval shows in its peak and not in the chart. Sites that share an allocation"
            + " line are one row, their stacks under it; sites that never deleted are folded into"
            + " one row.");
    return text.toString();
  }

  private static List<Metric> jdkMetrics(Analysis a, List<SiteAnalysis> jdk) {
    int fewest = jdk.stream().mapToInt(SiteAnalysis::trackedOneIn).max().orElse(1);
    int most = jdk.stream().mapToInt(SiteAnalysis::trackedOneIn).min().orElse(1);
    String tracked;
    if (fewest == 1) {
      tracked = "all";
    } else if (fewest == most) {
      tracked = "1 in " + fewest;
    } else {
      tracked = (most == 1 ? "all" : "1 in " + most) + " to 1 in " + fewest;
    }
    var t = a.totals();
    return List.of(
        new Metric(
            "JDK maps tracked",
            tracked,
            String.format(
                Locale.ROOT, "%d site(s): %s", jdk.size(), String.join(", ", families(jdk)))),
        new Metric(
            "Dead slots",
            String.format(Locale.ROOT, "%,d", t.deadSlots()),
            String.format(
                Locale.ROOT,
                "%,d stale entries; %,d silent deletes",
                t.staleEntries(),
                t.silentDeletes())));
  }

  private static Set<String> families(List<SiteAnalysis> sites) {
    Set<String> keys = new LinkedHashSet<>();
    sites.forEach(s -> keys.add(s.record().family));
    return keys;
  }

  /** One line per JDK family in the recording, and what tracking one map in N means. */
  private static String jdkText(List<SiteAnalysis> jdk) {
    StringBuilder text = new StringBuilder();
    for (String family : families(jdk)) {
      text.append(family).append(": ").append(MapFamily.of(family).explanation).append('\n');
    }
    text.append(
        "Dead slots are table slots beyond what a copy of the live entries would get; stale"
            + " entries are entries whose key was collected, still in the table. JDK maps are"
            + " tracked one in N (agent option jdksample), and every map from the resize that takes"
            + " it past jdkgrow slots (its site is then where it grew), and the map of one untracked"
            + " delete in 8,192 from that delete (its site is then where it deleted): a site's counts"
            + " and bytes are those of its tracked maps, and its findings say so.");
    return text.toString();
  }

  /** One line per third-party family in the recording, and how its rehashes are named. */
  private static String thirdPartyText(List<SiteAnalysis> sites) {
    StringBuilder text = new StringBuilder();
    for (String family : families(sites)) {
      text.append(family).append(": ").append(MapFamily.of(family).explanation).append('\n');
    }
    text.append(
        "Every map of these libraries is tracked from its construction, so their tombstones, live"
            + " and peak, are exact. Their rehashes count as grows: a growing rehash as a grow, a"
            + " same-capacity one as a same-size grow, and compactions (the library's own,"
            + " compact() and trimToSize() calls) apart; the sites table's family column names each"
            + " site's library. fastutil's and Eclipse Collections' halving rehashes are shrinks,"
            + " and fastutil's trim() calls trims, each with its own column in the fastutil"
            + " table.");
    if (sites.stream().anyMatch(s -> s.family() == MapFamily.JCTOOLS)) {
      text.append(
          "\nJCTools maps are concurrent: their dead keys (shown as tombstones) and sizes are"
              + " estimates, read from the map's striped counters while threads may write it;"
              + " only their delete, resize and clear counts are exact.");
    }
    return text.toString();
  }

  /** The sites' peak map bytes summed (their peaks may fall at different times). */
  private static long peakBytes(Analysis a) {
    return a.sites().stream().mapToLong(s -> s.record().peakEstimatedBytes).sum();
  }

  /** A percentile chart when there is data for it, else a line for "Not recorded". */
  private static void percentiles(
      HtmlReport report,
      List<String> leftOut,
      String heading,
      String unit,
      List<PercentileCurve> curves,
      String missing) {
    if (curves.isEmpty()) {
      leftOut.add(missing);
    } else {
      report.percentiles(heading, unit, curves);
    }
  }

  private static List<PercentileCurve> curves(
      Analysis a, String series, String name, String series2, String name2) {
    List<PercentileCurve> curves = new ArrayList<>();
    Analysis.Latency l = a.latency().get(series);
    if (l != null && l.count() > 0) {
      curves.add(new PercentileCurve(name, l.curvePercentiles(), l.curveValues()));
    }
    if (series2 != null) {
      Analysis.Latency l2 = a.latency().get(series2);
      if (l2 != null && l2.count() > 0) {
        curves.add(new PercentileCurve(name2, l2.curvePercentiles(), l2.curveValues()));
      }
    }
    return curves;
  }

  private static void releases(HtmlReport report, List<Release> releases) {
    List<String> categories = List.of("heap used", "heap committed", "RSS", "map bytes");
    for (int i = 0; i < releases.size() && i < 10; i++) {
      Release r = releases.get(i);
      report.bars(
          String.format(
              Locale.ROOT,
              "Release %d (%s at %.1f s): %s, %d maps compacted, %d pending",
              i + 1,
              r.trigger(),
              r.t() / 1000.0,
              // A collection can leave the heap fuller than before (objects allocated meanwhile).
              r.released().heapUsedBytes() >= 0
                  ? bytes(r.released().heapUsedBytes()) + " of heap used released"
                  : "heap used grew by " + bytes(-r.released().heapUsedBytes()),
              r.mapsCompacted(),
              r.mapsPending()),
          "bytes",
          categories,
          List.of(
              new BarSeries("before", values(r.before())),
              new BarSeries("after", values(r.after())),
              new BarSeries("released", values(r.released()))));
    }
  }

  private static double[] values(Release.Memory m) {
    return new double[] {
      m.heapUsedBytes(), m.heapCommittedBytes(), Math.max(0, m.rssBytes()), m.mapBytes()
    };
  }

  private static List<Finding> findings(Analysis a) {
    List<Finding> list = new ArrayList<>();
    for (var f : a.findings()) {
      list.add(new Finding(f.severity(), f.title(), f.detail()));
    }
    return list;
  }

  /**
   * The sites to chart one by one beside the total: the {@value #CHARTED_SITES} with the most of
   * {@code measure}, or none when fewer than two have any (one line would repeat the total).
   */
  private static List<SiteAnalysis> busiest(Analysis a, ToLongFunction<SiteAnalysis> measure) {
    List<SiteAnalysis> some = a.sites().stream().filter(s -> measure.applyAsLong(s) > 0).toList();
    if (some.size() < 2) {
      return List.of();
    }
    return some.stream()
        .sorted(Comparator.comparingLong(measure).reversed())
        .limit(CHARTED_SITES)
        .toList();
  }

  /**
   * A chart of {@code total} over all sites and, beside it, the sites that rank highest by {@code
   * rank}, each with its own {@code values}.
   */
  private static void totalAndBusiestSites(
      HtmlReport report,
      Analysis a,
      String heading,
      String yLabel,
      double[] total,
      ToLongFunction<SiteAnalysis> rank,
      Function<SiteAnalysis, double[]> values) {
    double[] seconds = a.timeline().seconds();
    List<Series> sites = new ArrayList<>();
    for (SiteAnalysis s : busiest(a, rank)) {
      sites.add(new Series(seriesLabel(s), seconds, values.apply(s)));
    }
    report.timeSeries(heading, yLabel, new Series("all sites", seconds, total), sites);
  }

  /** Where the tombstones peaked, when one site alone reached the peak of all sites. */
  private static String peakSite(Analysis a) {
    long peak = a.totals().tombstonesPeak();
    return a.sites().stream()
        .filter(s -> peak > 0 && s.family() == MapFamily.BUCKET && s.tombstonesPeak() == peak)
        .findFirst()
        .map(s -> "at " + seriesLabel(s))
        .orElse(null);
  }

  /** The highest value, gaps (NaN) left out. */
  private static long max(double[] values) {
    double m = 0;
    for (double v : values) {
      if (v > m) {
        m = v;
      }
    }
    return (long) m;
  }

  /** A site in a chart legend: its id in the sites table and its frame without the package. */
  static String seriesLabel(SiteAnalysis s) {
    String frame = s.label();
    int paren = frame.indexOf('(');
    String method = paren < 0 ? frame : frame.substring(0, paren);
    int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
    String line = "";
    int colon = frame.lastIndexOf(':');
    if (paren >= 0 && colon > paren && frame.endsWith(")")) {
      line = frame.substring(colon, frame.length() - 1);
    }
    return "#" + s.id() + " " + method.substring(dot + 1) + line;
  }

  private static Table deleteSites(Analysis a) {
    List<List<Object>> rows = new ArrayList<>();
    for (Analysis.DeleteSite d : a.deleteSites()) {
      rows.add(
          List.of(
              // Unfolds to the callers that reached the frame.
              d.callers().isEmpty()
                  ? d.frame()
                  : new Expandable(d.frame() + " ← " + d.callers().get(0), d.stack()),
              siteIds(d.sites()),
              d.deletes(),
              d.deleteMisses(),
              round(d.deletes() == 0 ? 0 : 100.0 * d.deleteMisses() / d.deletes())));
    }
    return new Table(
        List.of(
            new Column("frame", false),
            new Column("site", false),
            new Column("deletes (est.)", true),
            new Column("misses (est.)", true),
            new Column("miss %", true)),
        rows);
  }

  /** "#2, #5": the sites table's ids. */
  static String siteIds(List<Integer> ids) {
    return ids.stream().map(id -> "#" + id).collect(Collectors.joining(", "));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
