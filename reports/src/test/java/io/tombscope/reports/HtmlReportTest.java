package io.tombscope.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/every-block.html");
  private static final String LIBRARY_PLACEHOLDER = "/* Chart.js is inlined here */";

  /**
   * Pins the page's structure. After an intended change, regenerate with {@code mvn -pl reports
   * test -Dgolden.update=true} and review the diff.
   */
  @Test
  void theStructureMatchesTheGoldenFile() throws IOException {
    String page = ReportFixtures.everyBlock("").render(LIBRARY_PLACEHOLDER);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, page, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), page);
  }

  @Test
  void everyAppStringIsEscaped() {
    String evil = "<script>alert(1)</script>";
    HtmlReport report =
        HtmlReport.titled("title " + evil)
            .subtitle(evil)
            .metrics("m " + evil, List.of(new Metric(evil, evil, evil)))
            .timeSeries(
                "t " + evil, evil, List.of(new Series(evil, new double[] {1}, new double[] {2})))
            .percentiles(
                "p",
                evil,
                List.of(new PercentileCurve("</script>", new double[] {50}, new double[] {1})))
            .table(
                "tab",
                new Table(List.of(new Column(evil, false)), List.of(List.of("thread " + evil))))
            .findings("f", List.of(new Finding("high", evil, evil)))
            .text("x", evil);
    String page = report.render(LIBRARY_PLACEHOLDER);
    assertFalse(page.contains(evil), "raw markup from the app reached the page");
    assertFalse(page.contains("</script>\"") || page.contains("\"</script>"));
    assertEquals(
        2 + count(page, "<canvas"),
        count(page, "</script>"),
        "only the page's own scripts and chart data elements close");
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(page.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
  }

  @Test
  void thePageNeedsNoNetwork() {
    String page = ReportFixtures.everyBlock("").render();
    assertFalse(page.matches("(?s).*<script[^>]+src=.*"), "external script");
    assertFalse(page.matches("(?s).*<link[^>]+href=.*"), "external stylesheet");
    assertTrue(page.contains("Chart.js v" + Versions.CHART_JS), "Chart.js is inlined");
  }

  @Test
  void emptyDataShowsANoteInsteadOfAChart() {
    String page =
        HtmlReport.titled("empty")
            .timeSeries("nothing", "y", List.of())
            .percentiles(
                "none", "ns", List.of(new PercentileCurve("x", new double[0], new double[0])))
            .table("t", new Table(List.of(new Column("a", false)), List.of()))
            .findings("f", List.of())
            .render(LIBRARY_PLACEHOLDER);
    assertFalse(page.contains("<canvas"));
    assertEquals(2, count(page, "No data was recorded for this chart."));
    assertTrue(page.contains("Nothing to list."));
    assertTrue(page.contains("No findings"));
  }

  @Test
  void sideBySideRendersBothReportsWithDistinctChartIds() {
    String page =
        HtmlReport.titled("diff")
            .sideBySide(
                "A against B", ReportFixtures.everyBlock(" A"), ReportFixtures.everyBlock(" B"))
            .render(LIBRARY_PLACEHOLDER);
    assertTrue(page.contains("Tombscope report A") && page.contains("Tombscope report B"));
    List<String> ids =
        java.util.regex.Pattern.compile("<canvas id=\"([^\"]+)\"")
            .matcher(page)
            .results()
            .map(m -> m.group(1))
            .toList();
    assertEquals(6, ids.size());
    assertEquals(6, ids.stream().distinct().count());
  }

  @Test
  void mismatchedDataIsRejectedWithItsName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Series("deletes", new double[] {1, 2}, new double[] {1}));
    assertTrue(e.getMessage().contains("deletes"));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
