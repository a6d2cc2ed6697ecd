package io.tombscope.analyzer.render;

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
    return HtmlReport.titled("Tombscope diff")
        .subtitle("A: " + a.recording().directory() + " · B: " + b.recording().directory())
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

  public static String text(Analysis a, Analysis b) {
    StringBuilder out = new StringBuilder();
    out.append("A: ").append(a.recording().directory()).append('\n');
    out.append("B: ").append(b.recording().directory()).append("\n\n");
    out.append(String.format(Locale.ROOT, "%-22s %16s %16s %16s%n", "", "A", "B", "B - A"));
    for (List<Object> row : totalRows(a, b)) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-22s %,16d %,16d %+,16d%n",
              row.get(0),
              row.get(1),
              row.get(2),
              row.get(3)));
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
