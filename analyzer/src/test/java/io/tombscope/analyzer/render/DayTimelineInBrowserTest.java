package io.tombscope.analyzer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.reports.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording with far more intervals than the report keeps points, and one interval's spike of
 * deletes, in a real headless Chromium: the report's chart draws the spike at its full height, and
 * still does once zoomed into the range around it.
 */
class DayTimelineInBrowserTest {
  private static final String MAP = "io.tombscope.map.BucketHashMap";

  @TempDir Path tmp;

  @Test
  void aSpikeOfOneIntervalShowsInTheReportAndInTheRangeZoomedInto() throws Exception {
    int intervals = 6_000;
    int spike = 4_321;
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, MAP, "com.acme.Cache.<init>(Cache.java:41)")
            .site(2, MAP, "com.acme.Batch.load(Batch.java:9)");
    for (int i = 0; i < intervals; i++) {
      f.count(1, "deleteHits", i == spike ? 60_000 : 20);
      f.count(2, "deleteHits", 3);
      f.interval(
          1000,
          Map.of(
              1, new long[] {1, 1000, 2048, 4, 40_000},
              2, new long[] {1, 50, 128, 1, 4_000}));
    }
    Path html = tmp.resolve("report.html");
    ReportBuilder.build(Analyzer.analyze(RecordingReader.read(f.end().write()))).writeTo(html);

    // The chart's lines: how many points, the highest and where, and the plot's edges.
    String view =
        "var canvas = Array.prototype.filter.call(document.querySelectorAll('canvas'),"
            + "  function (c) { return c.getAttribute('aria-label') === 'Deletes per second'; })[0];"
            + "var c = Chart.getChart(canvas);"
            + "var index = Array.prototype.indexOf.call(document.querySelectorAll('canvas'), canvas);"
            + "return [index, c.scales.x.min, c.scales.x.max, c.chartArea.left, c.chartArea.right]"
            + "  .concat(c.data.datasets.map(function (d) {"
            + "    var shown = d.data.filter(function (p) {"
            + "      return p.x >= c.scales.x.min && p.x <= c.scales.x.max; });"
            + "    var top = shown.reduce(function (a, p) { return p.y > a.y ? p : a; });"
            + "    return [d.label, d.data.length, top.y, top.x];"
            + "  }));";
    try (HeadlessChromium browser = new HeadlessChromium()) {
      browser.open(html);
      assertEquals(List.of(), browser.consoleErrors());
      List<?> whole = (List<?>) browser.script(view);
      List<?> all = (List<?>) whole.get(5);
      List<?> cache = (List<?>) whole.get(6);
      assertEquals("all sites", all.get(0));
      assertTrue(number(all.get(1)) < intervals / 2, "points of a line: " + whole);
      assertEquals(60_003.0, number(all.get(2)), "the spike over all sites: " + whole);
      assertEquals(60_000.0, number(cache.get(2)), "the spike of its site: " + whole);
      double spikeSeconds = number(all.get(3));
      assertTrue(spikeSeconds >= spike + 1 && spikeSeconds < spike + 1 + 16, "at " + whole);

      // Zoom into the tenth of the plot around the spike.
      int index = (int) number(whole.get(0));
      double min = number(whole.get(1));
      double max = number(whole.get(2));
      double left = number(whole.get(3));
      double width = number(whole.get(4)) - left;
      double at = left + (spikeSeconds - min) / (max - min) * width;
      browser.drag(index, at - 0.05 * width, at + 0.05 * width);
      List<?> zoomed = (List<?>) browser.script(view);
      assertTrue(
          number(zoomed.get(2)) - number(zoomed.get(1)) < 0.15 * (max - min), "zoomed: " + zoomed);
      assertEquals(60_003.0, number(((List<?>) zoomed.get(5)).get(2)), "in view: " + zoomed);
      assertEquals(List.of(), browser.consoleErrors());
    }
  }

  private static double number(Object o) {
    return ((Number) o).doubleValue();
  }
}
