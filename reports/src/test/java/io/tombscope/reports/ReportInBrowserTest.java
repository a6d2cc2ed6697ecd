package io.tombscope.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports in a real headless Chromium: they load without console errors, draw every chart, label
 * the percentile axis as HdrHistogram does, and sort their tables. Needs Debian's {@code chromium}
 * and {@code chromium-driver}; without them every test fails and says so.
 */
class ReportInBrowserTest {
  @TempDir static Path tmp;
  static HeadlessChromium browser;
  static int[] defaultWindow;
  static Path everyBlock;
  static Path diff;

  @BeforeAll
  static void start() throws IOException {
    everyBlock = tmp.resolve("every-block.html");
    ReportFixtures.everyBlock("").writeTo(everyBlock);
    diff = tmp.resolve("diff/report.html");
    ReportFixtures.diff().writeTo(diff);
    browser = new HeadlessChromium();
    defaultWindow = browser.windowSize();
  }

  /** Tests that resize the window put it back, so that every test sees the same window. */
  @AfterEach
  void restoreWindow() {
    browser.resize(defaultWindow[0], defaultWindow[1]);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void aReportLoadsWithoutConsoleErrorsAndDrawsEveryChart() {
    browser.open(everyBlock);
    assertEquals(List.of(), browser.consoleErrors());
    assertEveryChartDrawn(3);
  }

  @Test
  void aSideBySideDiffDrawsTheChartsOfBothColumns() {
    browser.open(diff);
    assertEquals(List.of(), browser.consoleErrors());
    assertEveryChartDrawn(6);
  }

  @Test
  void aTotalIsListedFirstAndDrawnBeneathAPartThatEqualsIt() throws IOException {
    Path page = tmp.resolve("total.html");
    double[] x = {1, 2, 3, 4, 5};
    double[] whole = {0, 300, 300, 300, 0};
    HtmlReport.titled("Total and parts")
        .timeSeries(
            "Live tombstones",
            "tombstones",
            new Series("all sites", x, whole),
            List.of(new Series("#1 one", x, whole), new Series("#2 other", x, new double[5])))
        .writeTo(page);
    browser.open(page);
    assertEquals(List.of(), browser.consoleErrors());
    assertEquals(
        List.of("all sites", "#1 one", "#2 other"),
        browser.script(
            "var c = Chart.getChart(document.querySelector('canvas'));"
                + "return c.legend.legendItems.map(function (i) { return i.text; });"));
    // The pixel at the top of the plateau has the colour of the part, not of the total.
    @SuppressWarnings("unchecked")
    List<Object> pixel =
        (List<Object>)
            browser.script(
                "var canvas = document.querySelector('canvas'); var c = Chart.getChart(canvas);"
                    + "var p = c.getDatasetMeta(1).data[2]; var r = window.devicePixelRatio || 1;"
                    + "var d = canvas.getContext('2d').getImageData("
                    + "  Math.round(p.x * r), Math.round(p.y * r), 1, 1).data;"
                    + "return [[d[0], d[1], d[2]].join(','),"
                    + "  c.data.datasets[0].borderColor, c.data.datasets[1].borderColor,"
                    + "  c.data.datasets[0].borderDash.length];");
    assertEquals(rgb((String) pixel.get(2)), pixel.get(0), "the part's colour on top: " + pixel);
    assertNotEquals(pixel.get(1), pixel.get(2));
    assertEquals(2L, pixel.get(3), "the total is dashed");
  }

  @Test
  void aTimeChartZoomsIntoTheRangeDraggedAcrossItAndBackOut() throws IOException {
    Path page = tmp.resolve("zoom.html");
    // A day of seconds, far more points than a chart keeps, with one second's spike.
    int n = 86_400;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
      y[i] = 10 + i % 7;
    }
    y[40_000] = 5_000;
    HtmlReport.titled("Zoom")
        .timeSeries("Deletes per second", "deletes/s", List.of(new Series("all", x, y)))
        .writeTo(page);
    browser.open(page);
    assertEquals(List.of(), browser.consoleErrors());
    String view =
        "var c = Chart.getChart(document.querySelector('canvas'));"
            + "var d = c.data.datasets[0].data.filter(function (p) {"
            + "  return p.x >= c.scales.x.min && p.x <= c.scales.x.max; });"
            + "return [c.scales.x.min, c.scales.x.max, c.scales.y.max,"
            + "  Math.max.apply(null, d.map(function (p) { return p.y; })), d.length,"
            + "  c.chartArea.left, c.chartArea.right,"
            + "  document.querySelector('.zoom-reset').hidden];";
    List<?> whole = (List<?>) browser.script(view);
    assertEquals(5_000.0, number(whole.get(3)), "the spike is drawn at its full height: " + whole);
    assertTrue(number(whole.get(4)) <= 3 * ChartSpec.LINE_BUCKETS, "points drawn: " + whole);
    assertEquals(true, whole.get(7), "no reset button before a zoom");

    // Drag across the middle fifth of the plot, which holds the spike (at 46% of the day).
    double left = number(whole.get(5));
    double width = number(whole.get(6)) - left;
    browser.drag(0, left + 0.4 * width, left + 0.6 * width);
    List<?> zoomed = (List<?>) browser.script(view);
    double span = number(whole.get(1)) - number(whole.get(0));
    assertEquals(
        0.4 * span, number(zoomed.get(0)) - number(whole.get(0)), 0.01 * span, "" + zoomed);
    assertEquals(
        0.6 * span, number(zoomed.get(1)) - number(whole.get(0)), 0.01 * span, "" + zoomed);
    assertEquals(5_000.0, number(zoomed.get(3)), "the spike is in view: " + zoomed);
    assertEquals(false, zoomed.get(7), "the reset button shows: " + zoomed);

    // Then into a range without the spike: the y axis fits the quiet values.
    double zoomedLeft = number(zoomed.get(5));
    double zoomedWidth = number(zoomed.get(6)) - zoomedLeft;
    browser.drag(0, zoomedLeft + 0.05 * zoomedWidth, zoomedLeft + 0.2 * zoomedWidth);
    List<?> quiet = (List<?>) browser.script(view);
    assertTrue(number(quiet.get(1)) < 40_001, "" + quiet);
    assertEquals(16.0, number(quiet.get(3)), "" + quiet);
    assertTrue(number(quiet.get(2)) < 100, "the y axis fits the range in view: " + quiet);

    browser.doubleClick(0);
    List<?> out = (List<?>) browser.script(view);
    assertEquals(number(whole.get(0)), number(out.get(0)), "" + out);
    assertEquals(number(whole.get(1)), number(out.get(1)), "" + out);
    assertEquals(true, out.get(7), "" + out);
    assertEquals(List.of(), browser.consoleErrors());
  }

  private static double number(Object o) {
    return ((Number) o).doubleValue();
  }

  /** "r,g,b" of a CSS colour written as #rrggbb. */
  private static String rgb(String hex) {
    int v = Integer.parseInt(hex.substring(1), 16);
    return (v >> 16) + "," + ((v >> 8) & 0xff) + "," + (v & 0xff);
  }

  @Test
  void aReportWithoutDataLoadsCleanAndSaysSo() throws IOException {
    Path empty = tmp.resolve("empty.html");
    HtmlReport.titled("Nothing recorded")
        .metrics("Overview", List.of())
        .timeSeries("Live tombstones", "tombstones", List.of())
        .percentiles("Delete latency", "ns", List.of())
        .bars("Release", "bytes", List.of(), List.of())
        .table("Sites", new Table(List.of(new Column("site", false)), List.of()))
        .findings("Findings", List.of())
        .writeTo(empty);
    browser.open(empty);
    assertEquals(List.of(), browser.consoleErrors());
    assertEquals(List.of(), browser.charts());
    assertEquals(
        6L, browser.script("return document.querySelectorAll('p.empty').length"), "no-data lines");
  }

  @Test
  void aLargeNumberInATileStaysOnOneLineAndInsideItsTile() throws IOException {
    Path tiles = tmp.resolve("tiles.html");
    HtmlReport.titled("Large numbers")
        .metrics(
            "Overview",
            List.of(
                new Metric("Deletes", "282,756,760", null),
                new Metric("Deletes", "12,282,756,760,123", "every site"),
                new Metric("Grows", "614", null),
                new Metric("Map bytes", "1,023.9 MiB", null)))
        .writeTo(tiles);
    browser.open(tiles);
    for (int width : new int[] {1400, 1000, 700, 420}) {
      browser.resize(width, 900);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> values =
          (List<Map<String, Object>>)
              browser.script(
                  "return Array.from(document.querySelectorAll('.tile .value')).map(function (v) {"
                      + "  var style = getComputedStyle(v);"
                      + "  return { text: v.textContent, height: v.getBoundingClientRect().height,"
                      + "           line: parseFloat(style.lineHeight), size: parseFloat(style.fontSize),"
                      + "           overflow: v.scrollWidth - v.clientWidth };"
                      + "});");
      assertEquals(4, values.size());
      for (Map<String, Object> v : values) {
        String where = width + " px wide: " + v;
        double height = ((Number) v.get("height")).doubleValue();
        assertTrue(height < 1.5 * ((Number) v.get("line")).doubleValue(), "one line at " + where);
        assertTrue(((Number) v.get("overflow")).longValue() <= 0, "inside its tile at " + where);
      }
      assertEquals(
          22.0, ((Number) values.get(2).get("size")).doubleValue(), "a short value keeps its size");
    }
  }

  @Test
  void aNumberInANarrowTableStaysOnOneLine() throws IOException {
    Path wide = tmp.resolve("wide-table.html");
    List<Column> columns = new ArrayList<>(List.of(new Column("allocation site", false)));
    List<Object> row =
        new ArrayList<>(
            List.of("io.tombscope.demo.scenarios.SteadyChurn.sessionTable(SteadyChurn.java:25)"));
    for (int i = 0; i < 14; i++) {
      columns.add(new Column("count " + i, true));
      row.add(1_000_000_000L + i);
    }
    HtmlReport.titled("Wide table").table("Sites", new Table(columns, List.of(row))).writeTo(wide);
    browser.open(wide);
    browser.resize(900, 900);
    Object wrapped =
        browser.script(
            "return Array.from(document.querySelectorAll('td.num')).filter(function (td) {"
                + "  var r = document.createRange(); r.selectNodeContents(td);"
                + "  return r.getClientRects().length !== 1;"
                + "}).map(function (td) { return td.textContent; });");
    assertEquals(List.of(), wrapped, "numbers broken over lines");
  }

  @Test
  void theConsoleCheckSeesAScriptError() throws IOException {
    Path broken = tmp.resolve("broken.html");
    Files.writeString(broken, "<!DOCTYPE html><script>undefinedFunction();</script>");
    browser.open(broken);
    List<String> errors = browser.consoleErrors();
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("undefinedFunction"), errors.get(0));
  }

  @Test
  void thePercentileAxisIsLabelledInNines() {
    browser.open(everyBlock);
    // The fixture's highest percentile is 100, drawn at 99.9999%.
    assertEquals(
        List.of("0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"),
        browser.xTickLabels("chart-b3"));
  }

  @Test
  void anExpandableCellShowsItsTextAndUnfoldsItsLinesWhenClicked() {
    browser.open(everyBlock);
    assertEquals("com.acme.Cache.<init>(Cache.java:41)", browser.column(0).get(0));
    browser.script("document.querySelector('table.sortable summary').click()");
    assertEquals(
        "com.acme.Cache.<init>(Cache.java:41)\n"
            + "com.acme.Cache.<init>(Cache.java:41)\n"
            + "com.acme.Main.main(Main.java:12)",
        browser.column(0).get(0));
    browser.script("document.querySelector('table.sortable summary').click()");
    assertEquals("com.acme.Cache.<init>(Cache.java:41)", browser.column(0).get(0));
  }

  @Test
  void clickingAHeaderSortsTheRowsAndClickingAgainReversesThem() {
    browser.open(everyBlock);
    List<String> asGiven = browser.column(1);
    assertEquals(List.of("1,200", "80", "45,000"), asGiven);

    browser.clickHeader(1);
    List<String> ascending = browser.column(1);
    assertEquals(List.of("80", "1,200", "45,000"), ascending, "numeric, not text, order");
    assertNotEquals(asGiven, ascending);
    assertEquals(
        "ascending",
        browser.script("return arguments[0].getAttribute('aria-sort')", browser.header(1)));
    assertEquals(
        "\" \u25B2\"",
        browser.script(
            "return getComputedStyle(arguments[0], '::after').content", browser.header(1)),
        "the sorted column shows an up arrow");

    browser.clickHeader(1);
    assertEquals(List.of("45,000", "1,200", "80"), browser.column(1));
    assertEquals(
        "descending",
        browser.script("return arguments[0].getAttribute('aria-sort')", browser.header(1)));

    browser.clickHeader(0);
    assertEquals(
        List.of(
            "com.acme.Batch.load(Batch.java:9)",
            "com.acme.Cache.<init>(Cache.java:41)",
            "com.acme.Session.<init>(Session.java:3)"),
        browser.column(0));
    assertEquals(
        null,
        browser.script("return arguments[0].getAttribute('aria-sort')", browser.header(1)),
        "only the sorted column shows an arrow");
  }

  private static void assertEveryChartDrawn(int expected) {
    List<Map<String, Object>> charts = browser.charts();
    assertEquals(expected, charts.size());
    for (Map<String, Object> c : charts) {
      assertEquals(Boolean.TRUE, c.get("chart"), "no Chart.js chart on " + c);
      // A chart draws axes, labels and data: far more than a few stray pixels.
      long painted = ((Number) c.get("painted")).longValue();
      long area = ((Number) c.get("width")).longValue() * ((Number) c.get("height")).longValue();
      assertTrue(painted > 500, "blank canvas: " + c);
      assertFalse(painted == area, "canvas painted over entirely: " + c);
    }
  }
}
