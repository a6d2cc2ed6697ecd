package io.tombscope.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String LIBRARY_PLACEHOLDER = "/* Chart.js is inlined here */";
  private static final String EVIL = "<script>alert(1)</script>";

  /**
   * Pins the page's structure: a fixed report rendered with a placeholder for Chart.js and for
   * Tombscope's version. After an intended change, regenerate the files with {@code mvn -pl reports
   * test -Dgolden.update=true} and review their diff before committing it.
   */
  @Test
  void aReportWithEveryBlockMatchesItsGoldenFile() throws IOException {
    assertMatchesGolden("every-block.html", ReportFixtures.everyBlock(""));
  }

  @Test
  void aSideBySideDiffMatchesItsGoldenFile() throws IOException {
    assertMatchesGolden("side-by-side.html", ReportFixtures.diff());
  }

  @Test
  void everyAppStringIsEscaped() {
    String className = "com.acme." + EVIL + "Cache";
    HtmlReport report =
        HtmlReport.titled("title " + EVIL)
            .subtitle(EVIL)
            .metrics("m " + EVIL, List.of(new Metric(EVIL, EVIL, EVIL)))
            .timeSeries(
                "t " + EVIL,
                EVIL,
                List.of(new Series(className, new double[] {1}, new double[] {2})))
            .percentiles(
                "p",
                EVIL,
                List.of(new PercentileCurve("</script>", new double[] {50}, new double[] {1})))
            .bars("b", "</script>", List.of(EVIL), List.of(new BarSeries(EVIL, new double[] {1})))
            .table(
                "tab",
                new Table(
                    List.of(new Column(EVIL, false), new Column("n", true)),
                    List.of(
                        List.of(className + " line\u2028two", 1),
                        List.of(new Expandable(EVIL, List.of(className, EVIL)), 2))))
            .findings("f", List.of(new Finding("high", className, EVIL)))
            .text("x", "</script><script>alert(2)</script>");
    String page = HtmlReport.titled("diff").sideBySide("d", report, report).render("");

    assertFalse(page.contains("<script>alert"), "raw markup from the app reached the page");
    assertFalse(page.contains("\"</script>") || page.contains("</script>\""));
    assertEquals(
        2 + count(page, "<canvas"),
        count(page, "</script>"),
        "only the page's own scripts and chart data elements close");
    assertEquals(
        2 + count(page, "<canvas"), count(page, "<script"), "no script element from the app opens");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(page.contains("com.acme.\\u003cscript\\u003ealert(1)\\u003c/script\\u003eCache"));
    assertFalse(chartData(page).contains("\u2028"), "U+2028 raw in chart data");
  }

  @Test
  void aLongLineKeepsTheLowestAndHighestPointOfEachSpanOfTime() {
    int n = 100_000;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
      y[i] = 100 + i % 3;
    }
    y[54_321] = 1e6;
    y[777] = -5;
    y[99_000] = Double.NaN;
    List<Double[]> points = points(ChartSpec.line("y", null, List.of(new Series("s", x, y))));
    assertTrue(points.size() <= 3 * ChartSpec.LINE_BUCKETS, points.size() + " points");
    assertTrue(points.size() >= 2 * ChartSpec.LINE_BUCKETS, points.size() + " points");
    assertTrue(points.stream().anyMatch(p -> p[0] == 54_321 && p[1] == 1e6), "the peak");
    assertTrue(points.stream().anyMatch(p -> p[0] == 777 && p[1] == -5), "the dip");
    assertTrue(points.stream().anyMatch(p -> p[0] == 99_000 && p[1] == null), "the gap");
    for (int i = 1; i < points.size(); i++) {
      assertTrue(points.get(i - 1)[0] < points.get(i)[0], "in time order at " + i);
    }
  }

  @Test
  void aLineOfFewPointsIsDrawnAsItIs() {
    int n = 2 * ChartSpec.LINE_BUCKETS;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = n - i;
      y[i] = i * 7 % 11;
    }
    List<Double[]> points = points(ChartSpec.line("y", null, List.of(new Series("s", x, y))));
    assertEquals(n, points.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i + 1, points.get(i)[0]);
      assertEquals(y[n - 1 - i], points.get(i)[1]);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Double[]> points(ChartSpec spec) {
    List<Map<String, Object>> datasets = (List<Map<String, Object>>) spec.json.get("datasets");
    return (List<Double[]>) datasets.get(0).get("points");
  }

  @Test
  void chartDataEscapesLineSeparatorsForScripts() {
    String json = ChartSpec.scriptSafeJson(List.of("a\u2028b\u2029c&d"));
    assertEquals("[\"a\\u2028b\\u2029c\\u0026d\"]", json);
  }

  @Test
  void thePageNeedsNoNetwork() {
    String page = ReportFixtures.everyBlock("").render();
    assertFalse(page.matches("(?s).*<script[^>]+src=.*"), "external script");
    assertFalse(page.matches("(?s).*<link[^>]+href=.*"), "external stylesheet");
    assertFalse(page.matches("(?s).*<img[^>]+src=.*"), "external image");
    assertTrue(page.contains("Chart.js v" + Versions.CHART_JS), "Chart.js is inlined");
    assertFalse(page.contains("sourceMappingURL"), "a source map the browser would fetch");
  }

  @Test
  void emptyDataShowsANoteInsteadOfAChart() {
    String page =
        HtmlReport.titled("empty")
            .metrics("none yet", List.of())
            .timeSeries("nothing", "y", List.of())
            .timeSeries(
                "only gaps",
                "y",
                List.of(
                    new Series("s", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN})))
            .percentiles(
                "none", "ns", List.of(new PercentileCurve("x", new double[0], new double[0])))
            .bars("no categories", "bytes", List.of(), List.of())
            .table("t", new Table(List.of(new Column("a", false)), List.of()))
            .findings("f", List.of())
            .render(LIBRARY_PLACEHOLDER);
    assertFalse(page.contains("<canvas"));
    assertEquals(4, count(page, "No data was recorded for this chart."));
    assertTrue(page.contains("No data: the table has no rows."));
    assertTrue(page.contains("No data: there is nothing to count here."));
    assertTrue(page.contains("No findings"));
  }

  @Test
  void nonFiniteValuesBecomeGapsNotInvalidJson() {
    String page =
        HtmlReport.titled("gaps")
            .timeSeries(
                "t",
                "y",
                List.of(
                    new Series(
                        "s",
                        new double[] {2, 1, 3},
                        new double[] {Double.NaN, 5, Double.POSITIVE_INFINITY})))
            .render("");
    assertTrue(chartData(page).contains("[[1.0,5.0],[2.0,null],[3.0,null]]"), chartData(page));
    assertFalse(chartData(page).contains("NaN") || chartData(page).contains("Infinity"));
  }

  @Test
  void percentilesMapToOneOverOneMinusPAndTheAxisEndsOnADecade() {
    ChartSpec spec =
        ChartSpec.percentiles(
            "ns",
            List.of(
                new PercentileCurve(
                    "c", new double[] {0, 90, 99, 99.9, 100}, new double[] {1, 2, 3, 4, 5})));
    String json = ChartSpec.scriptSafeJson(spec.json);
    assertTrue(json.contains("[1.0,1.0]"), json);
    assertTrue(json.contains("[10.000000000000002,2.0]") || json.contains("[10.0,2.0]"), json);
    assertTrue(json.contains(",5.0]"), json);
    // 100% sits at 99.9999%, 1/(1-0.999999): the axis ends at 10^6.
    assertTrue(json.contains("\"xMax\":1000000.0"), json);

    ChartSpec short_ =
        ChartSpec.percentiles(
            "ns", List.of(new PercentileCurve("c", new double[] {0, 99.9}, new double[] {1, 2})));
    assertTrue(ChartSpec.scriptSafeJson(short_.json).contains("\"xMax\":1000.0"));
  }

  @Test
  void numbersInTablesShowGroupedAndSortByExactValue() {
    String page =
        HtmlReport.titled("t")
            .table(
                "n",
                new Table(
                    List.of(new Column("v", true)),
                    Arrays.asList(List.of(1234567), List.of(0.004), Arrays.asList((Object) null))))
            .render("");
    assertTrue(page.contains("data-sort=\"1234567\">1,234,567</td>"), page);
    assertTrue(page.contains("data-sort=\"0.004\">0</td>"));
    assertTrue(page.contains("data-sort=\"\"></td>"));
  }

  @Test
  void sideBySideShowsBothReportsUnderTheirTitlesWithDistinctIds() {
    String page = ReportFixtures.diff().render(LIBRARY_PLACEHOLDER);
    assertTrue(page.contains("<h3>Tombscope report A</h3>"));
    assertTrue(page.contains("<h3>Tombscope report B</h3>"));
    List<String> canvases = matches(page, "<canvas id=\"([^\"]+)\"");
    assertEquals(6, canvases.size());
    assertEquals(6, canvases.stream().distinct().count());
    List<String> ids = matches(page, " id=\"([^\"]+)\"");
    assertEquals(ids.size(), ids.stream().distinct().count(), "duplicate ids: " + ids);
  }

  @Test
  void writeToCreatesTheDirectoryAndWritesUtf8(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("out/nested/report.html");
    HtmlReport.titled("µs – ✓").text("t", "ü").writeTo(file);
    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(written.startsWith("<!DOCTYPE html>"));
    assertTrue(written.contains("<title>µs – ✓</title>"));
  }

  @Test
  void badInputFailsWithAMessageThatNamesIt() {
    assertMessage(
        "series deletes: 2 x values but 1 y values",
        () -> new Series("deletes", new double[] {1, 2}, new double[] {1}));
    assertMessage(
        "curve probe: percentiles[1] is 100.5, not in 0..100",
        () -> new PercentileCurve("probe", new double[] {1, 100.5}, new double[] {1, 2}));
    assertMessage(
        "finding Trim it: severity must be high, medium or low, not urgent",
        () -> new Finding("urgent", "Trim it", "why"));
    assertEquals("high", new Finding("HIGH", "t", "d").severity());
    assertMessage(
        "table row 1 has 1 cells for 2 columns",
        () ->
            new Table(
                List.of(new Column("a", false), new Column("b", true)),
                List.of(List.of("x", 1), List.of("y"))));
    assertMessage(
        "block Release: bar series after has 1 values for 2 categories",
        () ->
            HtmlReport.titled("r")
                .bars(
                    "Release",
                    "bytes",
                    List.of("heap", "rss"),
                    List.of(new BarSeries("after", new double[] {1}))));
    assertMessage(
        "block Overview: metrics[1] is null",
        () ->
            HtmlReport.titled("r")
                .metrics("Overview", Arrays.asList(new Metric("a", "1", null), null)));
    assertMessage("block heading is null", () -> HtmlReport.titled("r").text(null, "x"));
    assertMessage(
        "expandable cell Cache.<init>: lines is null", () -> new Expandable("Cache.<init>", null));
    HtmlReport self = HtmlReport.titled("self");
    assertMessage(
        "block d: a report cannot be shown side by side inside itself",
        () -> self.sideBySide("d", self, HtmlReport.titled("other")));
  }

  private static void assertMatchesGolden(String name, HtmlReport report) throws IOException {
    String page =
        report
            .render(LIBRARY_PLACEHOLDER)
            .replace("Tombscope " + Versions.TOMBSCOPE, "Tombscope VERSION");
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, page, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), page, name);
  }

  private static void assertMessage(String expected, Runnable bad) {
    RuntimeException e = assertThrows(RuntimeException.class, bad::run);
    assertEquals(expected, e.getMessage());
  }

  private static String chartData(String page) {
    return String.join(
        "\n", matches(page, "(?s)<script type=\"application/json\"[^>]*>(.*?)</script>"));
  }

  private static List<String> matches(String s, String regex) {
    return Pattern.compile(regex).matcher(s).results().map(m -> m.group(1)).toList();
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
