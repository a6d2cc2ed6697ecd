package io.tombscope.analyzer.render;

import static io.tombscope.analyzer.findings.FindingRules.bytes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.reports.Column;
import io.tombscope.reports.Expandable;
import io.tombscope.reports.HtmlReport;
import io.tombscope.reports.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code tombscope diff A B}: what changed between two recordings, in total and per site. Sites
 * match by map class and allocation frames (ids differ between recordings).
 */
public final class DiffBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, ToLongFunction<Analysis.Totals>> TOTALS = new LinkedHashMap<>();
  private static final Map<String, ToLongFunction<SiteAnalysis>> SITE = new LinkedHashMap<>();

  static {
    TOTALS.put("deletes", Analysis.Totals::deletes);
    TOTALS.put("deleteHits", Analysis.Totals::deleteHits);
    TOTALS.put("deleteMisses", Analysis.Totals::deleteMisses);
    TOTALS.put("tombstonesLive", Analysis.Totals::tombstonesLive);
    TOTALS.put("tombstonesPeak", Analysis.Totals::tombstonesPeak);
    TOTALS.put("tombstonesReclaimed", Analysis.Totals::tombstonesReclaimed);
    TOTALS.put("grows", Analysis.Totals::grows);
    TOTALS.put("sameSizeGrows", Analysis.Totals::sameSizeGrows);
    TOTALS.put("evacuatedBuckets", Analysis.Totals::evacuatedBuckets);
    TOTALS.put("mapsTracked", Analysis.Totals::mapsTracked);
    TOTALS.put("estimatedBytes", Analysis.Totals::estimatedBytes);
    TOTALS.put("reclaimableBytes", Analysis.Totals::reclaimableBytes);
    TOTALS.put("silentDeletes", Analysis.Totals::silentDeletes);
    TOTALS.put("deadSlots", Analysis.Totals::deadSlots);
    TOTALS.put("staleEntries", Analysis.Totals::staleEntries);
    SITE.put("deletes", SiteAnalysis::deletes);
    SITE.put("deleteMisses", SiteAnalysis::deleteMisses);
    SITE.put("tombstonesLive", SiteAnalysis::tombstonesLive);
    SITE.put("tombstonesPeak", SiteAnalysis::tombstonesPeak);
    SITE.put("sameSizeGrows", SiteAnalysis::sameSizeGrows);
    SITE.put("estimatedBytes", SiteAnalysis::estimatedBytes);
    SITE.put("silentDeletes", SiteAnalysis::silentDeletes);
    SITE.put("deadSlots", SiteAnalysis::deadSlots);
    SITE.put("staleEntries", SiteAnalysis::staleEntries);
  }

  /** What each total is called in words, and whether it is in bytes. */
  private static final Map<String, String> WORDS =
      Map.ofEntries(
          Map.entry("deletes", "deletes"),
          Map.entry("deleteHits", "deletes that removed a key"),
          Map.entry("deleteMisses", "deletes of absent keys"),
          Map.entry("tombstonesLive", "live tombstones at the end"),
          Map.entry("tombstonesPeak", "tombstones at their peak"),
          Map.entry("tombstonesReclaimed", "tombstones reclaimed"),
          Map.entry("grows", "grows"),
          Map.entry("sameSizeGrows", "same-size grows"),
          Map.entry("evacuatedBuckets", "buckets evacuated"),
          Map.entry("mapsTracked", "maps tracked"),
          Map.entry("estimatedBytes", "map memory at the end"),
          Map.entry("reclaimableBytes", "reclaimable at the end"),
          Map.entry("silentDeletes", "silent deletes"),
          Map.entry("deadSlots", "dead table slots at the end"),
          Map.entry("staleEntries", "stale entries at the end"));

  /** Sites the text diff shows; JSON and HTML show them all. */
  private static final int TEXT_SITES = 10;

  private DiffBuilder() {}

  /** Rows of {@code [name, a, b, b - a]} for the totals. */
  public static List<List<Object>> totalRows(Analysis a, Analysis b) {
    List<List<Object>> rows = new ArrayList<>();
    TOTALS.forEach(
        (name, f) -> {
          long x = f.applyAsLong(a.totals());
          long y = f.applyAsLong(b.totals());
          rows.add(List.of(name, x, y, y - x));
        });
    return rows;
  }

  /**
   * Rows of {@code [site, metric, a, b, b - a]} for every matched or unmatched site; the site cell
   * is its first frame and ids in A and B, and unfolds to its whole allocation stack.
   */
  public static List<List<Object>> siteRows(Analysis a, Analysis b) {
    List<List<Object>> rows = new ArrayList<>();
    SitePair shown = null;
    Expandable site = null;
    for (SiteMetric m : siteMetrics(a, b)) {
      if (m.pair != shown) {
        shown = m.pair;
        site =
            new Expandable(
                shown.label() + "  " + shown.ids(),
                (shown.a != null ? shown.a : shown.b).record().allocationSite);
      }
      rows.add(List.of(site, m.name, m.inA, m.inB, m.inB - m.inA));
    }
    return rows;
  }

  /** One metric of one site, in A and in B. */
  private record SiteMetric(SitePair pair, String name, long inA, long inB) {}

  /** Every metric of every matched or unmatched site that is not 0 on both sides. */
  private static List<SiteMetric> siteMetrics(Analysis a, Analysis b) {
    List<SiteMetric> metrics = new ArrayList<>();
    for (SitePair p : sitePairs(a, b)) {
      SITE.forEach(
          (name, f) -> {
            long x = p.inA(f);
            long y = p.inB(f);
            if (x != 0 || y != 0) {
              metrics.add(new SiteMetric(p, name, x, y));
            }
          });
    }
    return metrics;
  }

  /** One allocation site in A, in B, or in both (the other side null). */
  private record SitePair(SiteAnalysis a, SiteAnalysis b) {
    String label() {
      return (a != null ? a : b).label();
    }

    /**
     * The site's ids, which differ between recordings and tell apart sites that share a first
     * frame: {@code (A #3, B #5)}, {@code (only in A: #3)} or {@code (only in B: #5)}.
     */
    String ids() {
      if (a == null) {
        return "(only in B: #" + b.id() + ")";
      }
      return b == null ? "(only in A: #" + a.id() + ")" : "(A #" + a.id() + ", B #" + b.id() + ")";
    }

    /** {@code metric} of the site in A, 0 where A has no such site. */
    long inA(ToLongFunction<SiteAnalysis> metric) {
      return a == null ? 0 : metric.applyAsLong(a);
    }

    /** {@code metric} of the site in B, 0 where B has no such site. */
    long inB(ToLongFunction<SiteAnalysis> metric) {
      return b == null ? 0 : metric.applyAsLong(b);
    }

    /**
     * How much the site changed, for ranking: the largest change of one metric relative to its
     * larger side (1 for a site in one recording only), then the change in bytes.
     */
    double change() {
      double largest = 0;
      for (ToLongFunction<SiteAnalysis> f : SITE.values()) {
        long x = inA(f);
        long y = inB(f);
        if (x != y) {
          largest =
              Math.max(largest, Math.abs(y - x) / (double) Math.max(Math.abs(x), Math.abs(y)));
        }
      }
      return largest;
    }

    long bytesChange() {
      return Math.abs(inB(SiteAnalysis::estimatedBytes) - inA(SiteAnalysis::estimatedBytes));
    }
  }

  private static List<SitePair> sitePairs(Analysis a, Analysis b) {
    Map<String, SiteAnalysis[]> byKey = new LinkedHashMap<>();
    for (SiteAnalysis s : a.sites()) {
      byKey.computeIfAbsent(key(s), k -> new SiteAnalysis[2])[0] = s;
    }
    for (SiteAnalysis s : b.sites()) {
      byKey.computeIfAbsent(key(s), k -> new SiteAnalysis[2])[1] = s;
    }
    List<SitePair> pairs = new ArrayList<>();
    byKey.values().forEach(p -> pairs.add(new SitePair(p[0], p[1])));
    return pairs;
  }

  private static String key(SiteAnalysis s) {
    return s.record().mapClass + "|" + String.join("|", s.record().allocationSite);
  }

  public static HtmlReport html(Analysis a, Analysis b) {
    String warning = differentPrograms(a, b);
    HtmlReport report =
        HtmlReport.titled("Tombscope diff: " + headline(a, b))
            .subtitle("A: " + a.recording().directory() + " · B: " + b.recording().directory());
    if (warning != null) {
      report.text("Different programs?", warning.substring("warning: ".length()));
    }
    return report
        .table(
            "Totals: A against B",
            new Table(
                List.of(
                    new Column("metric", false),
                    new Column("A", true),
                    new Column("B", true),
                    new Column("B − A", true)),
                totalRows(a, b)))
        .table(
            "Sites: A against B",
            new Table(
                List.of(
                    new Column("allocation site", false),
                    new Column("metric", false),
                    new Column("A", true),
                    new Column("B", true),
                    new Column("B − A", true)),
                siteRows(a, b)))
        .sideBySide(
            "Side by side",
            ReportBuilder.build(a, "A: " + a.recording().directory()),
            ReportBuilder.build(b, "B: " + b.recording().directory()));
  }

  /**
   * What waste a recording shows over the run: each site's peak waste, or what its maps would give
   * back now when that is more (BucketHashMap's reclaimable bytes).
   */
  private static long waste(Analysis x) {
    return x.sites().stream()
        .mapToLong(s -> Math.max(s.waste().peakBytes(), s.reclaimableBytes()))
        .sum();
  }

  /**
   * One line that says what changed most, in words: the memory B gives back or keeps against A,
   * else its deletes, else its findings.
   */
  public static String headline(Analysis a, Analysis b) {
    long wa = waste(a);
    long wb = waste(b);
    if (wa != wb && Math.max(wa, wb) >= 1024) {
      return wb < wa
          ? String.format(
              Locale.ROOT,
              "B gives back %s that A kept (waste at its peak: %s in A, %s in B).",
              bytes(wa - wb),
              bytes(wa),
              bytes(wb))
          : String.format(
              Locale.ROOT,
              "B keeps %s more than A (waste at its peak: %s in A, %s in B).",
              bytes(wb - wa),
              bytes(wa),
              bytes(wb));
    }
    long da = a.totals().deletes();
    long db = b.totals().deletes();
    if (da != db) {
      return String.format(
          Locale.ROOT,
          "Waste is the same (%s); B deletes %,d times %s than A (%,d against %,d).",
          bytes(wa),
          Math.abs(db - da),
          db < da ? "fewer" : "more",
          db,
          da);
    }
    int fa = a.findings().size();
    int fb = b.findings().size();
    return fa == fb
        ? String.format(Locale.ROOT, "No change in waste (%s) or deletes (%,d).", bytes(wa), da)
        : String.format(
            Locale.ROOT, "Waste and deletes are the same; B has %d findings, A %d.", fb, fa);
  }

  /**
   * A warning when A and B look like recordings of different programs (their main commands differ,
   * or they share no allocation site), since sites then match only by chance; null otherwise.
   */
  public static String differentPrograms(Analysis a, Analysis b) {
    String ma = a.recording().meta().mainCommand();
    String mb = b.recording().meta().mainCommand();
    if (!ma.isEmpty() && !mb.isEmpty() && !ma.equals(mb)) {
      return "warning: A and B are recordings of different programs (A: "
          + ma
          + ", B: "
          + mb
          + "): sites match only where their allocation frames are the same.";
    }
    boolean shared = sitePairs(a, b).stream().anyMatch(p -> p.a != null && p.b != null);
    if (!shared && !a.sites().isEmpty() && !b.sites().isEmpty()) {
      return "warning: A and B share no allocation site: they may be recordings of different"
          + " programs, or of different versions of one.";
    }
    return null;
  }

  /** A total in its unit: bytes as KiB/MiB, counts with separators. */
  private static String inUnits(String name, long v) {
    return name.endsWith("Bytes") ? bytes(v) : num(v);
  }

  private static String signedInUnits(String name, long v) {
    return (v > 0 ? "+" : v < 0 ? "−" : "") + inUnits(name, Math.abs(v));
  }

  public static String text(Analysis a, Analysis b) {
    StringBuilder out = new StringBuilder();
    out.append(headline(a, b)).append('\n');
    String warning = differentPrograms(a, b);
    if (warning != null) {
      out.append(warning).append('\n');
    }
    out.append("A: ").append(a.recording().directory()).append('\n');
    out.append("B: ").append(b.recording().directory()).append("\n\n");
    out.append(String.format(Locale.ROOT, "%-30s %14s %14s %14s%n", "", "A", "B", "B - A"));
    List<String> same = new ArrayList<>();
    for (List<Object> row : totalRows(a, b)) {
      String name = (String) row.get(0);
      long x = (Long) row.get(1);
      long y = (Long) row.get(2);
      if (x == y) {
        same.add(WORDS.getOrDefault(name, name));
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%-30s %14s %14s %14s%n",
              WORDS.getOrDefault(name, name),
              inUnits(name, x),
              inUnits(name, y),
              signedInUnits(name, y - x)));
    }
    if (!same.isEmpty()) {
      out.append("unchanged: ").append(String.join(", ", same)).append('\n');
    }
    List<SitePair> changed =
        sitePairs(a, b).stream()
            .filter(p -> p.change() > 0)
            .sorted(
                Comparator.comparingDouble(SitePair::change)
                    .thenComparingLong(SitePair::bytesChange)
                    .reversed())
            .toList();
    if (changed.isEmpty()) {
      out.append("\nNo site changed.\n");
      return out.toString();
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nSites that changed most (%d of %d; --json or -o for all):%n",
            Math.min(TEXT_SITES, changed.size()),
            changed.size()));
    for (SitePair p : changed.subList(0, Math.min(TEXT_SITES, changed.size()))) {
      String mapClass = (p.a != null ? p.a : p.b).record().mapClass;
      out.append("  ")
          .append(mapClass.substring(mapClass.lastIndexOf('.') + 1))
          .append(" at ")
          .append(p.label())
          .append("  ")
          .append(p.ids())
          .append('\n');
      SITE.forEach(
          (name, f) -> {
            long x = p.inA(f);
            long y = p.inB(f);
            if (x != y) {
              out.append(
                  String.format(
                      Locale.ROOT, "    %-18s %16s %16s %+,16d%n", name, num(x), num(y), y - x));
            }
          });
    }
    return out.toString();
  }

  private static String num(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  public static String json(Analysis a, Analysis b) {
    ObjectNode root = JSON.createObjectNode();
    root.put("a", a.recording().directory().toString());
    root.put("b", b.recording().directory().toString());
    root.put("headline", headline(a, b));
    root.put("warning", differentPrograms(a, b));
    ObjectNode totals = root.putObject("totals");
    for (List<Object> row : totalRows(a, b)) {
      ObjectNode n = totals.putObject((String) row.get(0));
      n.put("a", (Long) row.get(1));
      n.put("b", (Long) row.get(2));
      n.put("delta", (Long) row.get(3));
    }
    ArrayNode sites = root.putArray("sites");
    for (SiteMetric m : siteMetrics(a, b)) {
      ObjectNode n = sites.addObject();
      n.put("site", m.pair.label());
      // The site's id in each recording, null where it is absent.
      n.put("siteA", m.pair.a == null ? null : m.pair.a.id());
      n.put("siteB", m.pair.b == null ? null : m.pair.b.id());
      n.put("metric", m.name);
      n.put("a", m.inA);
      n.put("b", m.inB);
      n.put("delta", m.inB - m.inA);
    }
    return root.toPrettyString();
  }
}
