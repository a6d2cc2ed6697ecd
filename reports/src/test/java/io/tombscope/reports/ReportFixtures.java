package io.tombscope.reports;

import java.util.ArrayList;
import java.util.List;

/** A report with one block of every kind and fixed data. */
final class ReportFixtures {
  private ReportFixtures() {}

  static HtmlReport everyBlock(String titleSuffix) {
    double[] x = {1, 2, 3, 4, 5};
    List<List<Object>> rows = new ArrayList<>();
    rows.add(
        List.of(
            new Expandable(
                "com.acme.Cache.<init>(Cache.java:41)",
                List.of(
                    "com.acme.Cache.<init>(Cache.java:41)", "com.acme.Main.main(Main.java:12)")),
            1200L,
            0.5));
    rows.add(List.of("com.acme.Batch.load(Batch.java:9)", 80L, 12.25));
    rows.add(List.of("com.acme.Session.<init>(Session.java:3)", 45000L, 3.0));
    return HtmlReport.titled("Tombscope report" + titleSuffix)
        .subtitle("recording rec-1 · 5 s")
        .metrics(
            "Overview",
            List.of(
                new Metric("Deletes", "46,280", "3% missed"),
                new Metric("Live tombstones", "730", null)))
        .timeSeries(
            "Live tombstones",
            "tombstones",
            List.of(new Series("all sites", x, new double[] {0, 100, 400, 380, 730})))
        .percentiles(
            "Delete probe length",
            "slots",
            List.of(
                new PercentileCurve(
                    "hits",
                    new double[] {0, 50, 90, 99, 99.9, 100},
                    new double[] {1, 2, 4, 9, 14, 17}),
                new PercentileCurve(
                    "misses", new double[] {0, 50, 90, 99, 100}, new double[] {3, 8, 16, 24, 40})))
        .bars(
            "Release",
            "bytes",
            List.of("heap used", "map bytes"),
            List.of(
                new BarSeries("before", new double[] {52_000_000, 9_000_000}),
                new BarSeries("after", new double[] {44_000_000, 1_000_000})))
        .table(
            "Sites",
            new Table(
                List.of(
                    new Column("allocation site", false),
                    new Column("deletes", true),
                    new Column("tombstone %", true)),
                rows))
        .findings(
            "Findings",
            List.of(
                new Finding(
                    "high",
                    "Trim the map at com.acme.Cache.<init>(Cache.java:41)",
                    "62% of its slots are tombstones.")))
        .text("About", "Recorded by the Tombscope agent.\nOne line per fact.");
  }

  /** Two variants of {@link #everyBlock} side by side, as {@code tombscope diff} shows them. */
  static HtmlReport diff() {
    return HtmlReport.titled("Tombscope diff")
        .subtitle("rec-A against rec-B")
        .metrics("Change", List.of(new Metric("Deletes", "+12%", "B against A")))
        .sideBySide(
            "Side by side", everyBlock(" A").subtitle("rec-A"), everyBlock(" B").subtitle("rec-B"));
  }
}
