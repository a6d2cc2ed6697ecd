package io.tombscope.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report in a real headless Chromium: loads clean, draws every chart, sorts its table. */
class ReportInBrowserTest {
  @TempDir static Path tmp;
  static HeadlessChromium browser;

  @BeforeAll
  static void open() throws Exception {
    Path page = tmp.resolve("report.html");
    ReportFixtures.everyBlock("").writeTo(page);
    browser = new HeadlessChromium();
    browser.open(page);
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void loadsWithoutConsoleErrors() {
    assertEquals(List.of(), browser.consoleErrors());
  }

  @Test
  void everyChartDraws() {
    List<Map<String, Object>> charts = browser.charts();
    assertEquals(3, charts.size());
    for (Map<String, Object> c : charts) {
      assertEquals(Boolean.TRUE, c.get("chart"), "not a chart: " + c);
      assertTrue(((Number) c.get("painted")).longValue() > 500, "blank canvas: " + c);
    }
  }

  @Test
  void theTableSortsByTheClickedColumn() {
    List<String> before = browser.column(1);
    browser.clickHeader(1);
    List<String> ascending = browser.column(1);
    assertEquals(List.of("80", "1,200", "45,000"), ascending, "numeric, not text, order");
    browser.clickHeader(1);
    assertEquals(List.of("45,000", "1,200", "80"), browser.column(1));
    assertNotEquals(before, ascending);
    browser.clickHeader(0);
    assertEquals("com.acme.Batch.load(Batch.java:9)", browser.column(0).get(0));
  }
}
