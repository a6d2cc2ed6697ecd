package io.tombscope.analyzer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.reports.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportBuilderTest {
  @TempDir Path tmp;

  @Test
  void theReportHasEverySection() throws Exception {
    Path rec = RecordingFixture.threeSites(tmp.resolve("rec")).write();
    String page =
        ReportBuilder.build(Analyzer.analyze(RecordingReader.read(rec)))
            .render()
            .replace("<wbr>", "");
    for (String heading :
        List.of(
            "Overview",
            "Findings",
            "Live tombstones",
            "Size and slots",
            "Deletes per second",
            "Delete probe length",
            "Delete latency (sampled)",
            "Release 1 (exit",
            "Sites: BucketHashMap",
            "Delete call sites (sampled)",
            "How to read this")) {
      assertTrue(page.contains("<h2>" + heading), heading);
    }
    assertTrue(page.contains("com.acme.Sessions.logout(Sessions.java:30)"));
    assertTrue(
        page.contains("Left out for want of data: evacuation step time (no BucketHashMap grew);"),
        "a panel without data is left out, and that said once");
    assertFalse(page.contains("<h2>Evacuation step time"));
    assertTrue(
        page.contains("<li>com.acme.Main.main(Main.java:12)</li>"),
        "a site's whole allocation stack unfolds in the sites table");
    // The fixture's release: heap used 50,000,000 -> 48,700,000 bytes, RSS three times that.
    assertTrue(
        page.contains("1 release(s), heap used; RSS 3.7 MiB"), "released RSS in the overview");
  }

  @Test
  void aTombstonePeakBetweenGaugesIsTheOverviewsPeakAndNamesItsSite() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, "io.tombscope.map.BucketHashMap", "com.acme.Batch.load(Batch.java:9)")
            .site(2, "io.tombscope.map.BucketHashMap", "com.acme.Cache.evict(Cache.java:4)");
    f.count(1, "mapsCreated", 1).count(2, "mapsCreated", 1);
    f.count(1, "deleteHits", 90_000).count(1, "tombstonesReclaimedByClear", 90_000);
    f.count(2, "deleteHits", 500);
    // Site 1 filled with 70,000 tombstones and cleared them within the interval.
    f.tombstonesPeakBetweenGauges(1, 70_000);
    f.interval(
        1000, Map.of(1, new long[] {1, 10, 64, 0, 2_000}, 2, new long[] {1, 10, 64, 500, 9_000}));
    var analysis = Analyzer.analyze(RecordingReader.read(f.end().write()));
    assertEquals(70_000, analysis.totals().tombstonesPeak());
    String page = ReportBuilder.build(analysis).render().replace("<wbr>", "");
    assertTrue(page.contains("70,000"), "the peak in the overview");
    assertTrue(page.contains("at #1 Batch.load:9"), "the site that reached it");
  }

  @Test
  void aReleaseThatLeftTheHeapFullerSaysSo() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, "io.tombscope.map.BucketHashMap", "com.acme.Batch.load(Batch.java:9)");
    f.count(1, "mapsCreated", 1);
    f.interval(1000, Map.of(1, new long[] {1, 10, 64, 0, 2_000}));
    f.release(6_000_000, 6_005_000, 2_000, 2_000);
    String page =
        ReportBuilder.build(Analyzer.analyze(RecordingReader.read(f.end().write())))
            .render()
            .replace("<wbr>", "");
    assertTrue(page.contains("heap used grew by 4.9 KiB, 1 maps compacted"), "no negative release");
  }

  @Test
  void classNamesAndFramesFromTheAppAreEscaped() throws Exception {
    String evil = "com.evil.<script>alert(1)</script>";
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("evil"))
            .site(1, evil, evil + ".<init>(Evil.java:1)", "Thread <script>x</script>")
            .count(1, "deleteHits", 10)
            .count(1, "mapsCreated", 1)
            .deleteSite(1, evil + ".run(Evil.java:2)", 10, 0);
    f.interval(1000, Map.of(1, new long[] {1, 10, 64, 5, 1000}));
    Path rec = f.end().write();
    String page =
        ReportBuilder.build(Analyzer.analyze(RecordingReader.read(rec)))
            .render()
            .replace("<wbr>", "");
    assertFalse(page.contains("<script>alert(1)"), "unescaped app string");
    assertFalse(page.contains("<script>x</script>"));
    assertTrue(page.contains("com.evil.&lt;script&gt;alert(1)&lt;/script&gt;"));
  }

  @Test
  void theReportWorksInARealBrowser() throws Exception {
    Path rec = RecordingFixture.threeSites(tmp.resolve("rec")).write();
    Path html = tmp.resolve("report.html");
    ReportBuilder.build(Analyzer.analyze(RecordingReader.read(rec))).writeTo(html);
    try (HeadlessChromium browser = new HeadlessChromium()) {
      browser.open(html);
      assertEquals(List.of(), browser.consoleErrors());
      List<Map<String, Object>> charts = browser.charts();
      assertEquals(6, charts.size(), "charts: every series with data");
      for (Map<String, Object> c : charts) {
        assertEquals(Boolean.TRUE, c.get("chart"), c.toString());
        assertTrue(((Number) c.get("painted")).longValue() > 500, "blank: " + c);
      }
      // The sites table is the first sortable table; column 4 is deletes.
      browser.script("document.querySelector('table.sortable').tHead.rows[0].cells[4].click()");
      Object deletes =
          browser.script(
              "return Array.from(document.querySelector('table.sortable').tBodies[0].rows)"
                  + ".map(function (r) { return r.cells[4].textContent; })");
      assertEquals(List.of("10,000", "50,000", "95,000"), deletes);
      // Beside the total, each site with tombstones (deletes), the one with the most first.
      assertEquals(
          List.of("all sites", "#2 Batch.load:9", "#1 Cache.<init>:41", "#3 Sessions.<init>:7"),
          legend(browser, "Live tombstones"));
      assertEquals(
          List.of("all sites", "#2 Batch.load:9", "#1 Cache.<init>:41", "#3 Sessions.<init>:7"),
          legend(browser, "Deletes per second"));
    }
  }

  /**
   * The dataset labels of the chart in the block headed {@code heading}, as Chart.js holds them.
   */
  private static Object legend(HeadlessChromium browser, String heading) {
    return browser.script(
        "var heading = arguments[0];"
            + "var block = Array.from(document.querySelectorAll('section.block'))"
            + "  .find(function (b) { return b.querySelector('h2').textContent === heading; });"
            + "return Chart.getChart(block.querySelector('canvas')).data.datasets"
            + "  .map(function (d) { return d.label; });",
        heading);
  }

  @Test
  void jdkMapsGetTheirFamilyColumnTimelineExpungePlotAndExplanations() throws Exception {
    Path rec = RecordingFixture.jdkSites(tmp.resolve("jdk")).write();
    String page =
        ReportBuilder.build(Analyzer.analyze(RecordingReader.read(rec)))
            .render()
            .replace("<wbr>", "");
    for (String heading :
        List.of(
            "Dead slots and stale entries (JDK maps)",
            "Stale entries removed per expunge",
            "Sites: JDK maps")) {
      assertTrue(page.contains("<h2>" + heading), heading);
    }
    assertFalse(page.contains("<h2>Sites: BucketHashMap"), "no table without its family");
    assertTrue(page.contains(">hashmap 1/64</td>"), "family column with its sampling");
    assertTrue(page.contains(">identity</td>"));
    assertTrue(page.contains("title=\"click to sort\">dead / stale"));
    assertTrue(page.contains("title=\"click to sort\">waste B·s"));
    assertFalse(page.contains("title=\"click to sort\">tombstones"), "BucketHashMap's column");
    assertTrue(
        page.contains(
            "identity: IdentityHashMap closes the gap on delete (no tombstones); only its peak"
                + " capacity is kept."));
    assertTrue(page.contains("JDK maps tracked"), "the overview says how maps were sampled");
    assertTrue(page.contains("all to 1 in 64"), "sites sampled at 1, 16 and 64");
    assertTrue(page.contains("(1 in 64 maps tracked)"), "and so do the findings");

    String bucketOnly =
        ReportBuilder.build(
                Analyzer.analyze(
                    RecordingReader.read(RecordingFixture.threeSites(tmp.resolve("b")).write())))
            .render()
            .replace("<wbr>", "");
    assertFalse(bucketOnly.contains("<h2>Dead slots and stale entries"));
    assertFalse(bucketOnly.contains("<h2>Sites: JDK maps"));
    assertFalse(bucketOnly.contains("JDK maps tracked"));
    assertFalse(bucketOnly.contains("title=\"click to sort\">dead / stale"));
    assertTrue(bucketOnly.contains("title=\"click to sort\">probe hit / miss"));
  }

  @Test
  void theJdkReportWorksInARealBrowser() throws Exception {
    Path rec = RecordingFixture.jdkSites(tmp.resolve("jdk")).write();
    Path html = tmp.resolve("jdk.html");
    ReportBuilder.build(Analyzer.analyze(RecordingReader.read(rec))).writeTo(html);
    try (HeadlessChromium browser = new HeadlessChromium()) {
      browser.open(html);
      assertEquals(List.of(), browser.consoleErrors());
      List<Map<String, Object>> charts = browser.charts();
      // Size and slots, deletes per second, dead slots and stale entries, delete latency and
      // stale entries per expunge; no tombstones without a BucketHashMap, but a line that says so.
      assertEquals(5, charts.size(), "charts: every series with data");
      assertTrue(
          (Boolean)
              browser.script(
                  "return document.body.textContent.includes('live tombstones (no BucketHashMap"
                      + " was recorded)')"));
      for (Map<String, Object> c : charts) {
        assertEquals(Boolean.TRUE, c.get("chart"), c.toString());
        assertTrue(((Number) c.get("painted")).longValue() > 500, "blank: " + c);
      }
      // Column 9 of the JDK sites table is dead slots or stale entries.
      browser.script(
          "var t = document.querySelector('table.sortable'); t.tHead.rows[0].cells[9].click()");
      Object waste =
          browser.script(
              "return Array.from(document.querySelector('table.sortable').tBodies[0].rows)"
                  + ".map(function (r) { return r.cells[9].textContent; })");
      // The thread-local site never deleted: it is in the folded row of insert-only sites.
      assertEquals(List.of("0", "400", "7,936", "260,096", ""), waste);
    }
  }

  @Test
  void diffShowsTheChangeAndBothRecordings() throws Exception {
    Path a = RecordingFixture.threeSites(tmp.resolve("a")).write();
    RecordingFixture fb = RecordingFixture.threeSites(tmp.resolve("b"));
    Path b = fb.write();
    var first = Analyzer.analyze(RecordingReader.read(a));
    var second = Analyzer.analyze(RecordingReader.read(b));
    String text = DiffBuilder.text(first, second);
    assertTrue(text.contains("deletes"), text);
    assertTrue(text.contains("No site changed."), text);
    assertTrue(text.startsWith("No change in waste ("), text);
    assertFalse(text.contains("warning:"), "one program twice: " + text);
    String html = DiffBuilder.html(first, second).render().replace("<wbr>", "");
    assertTrue(html.contains("A: " + a) && html.contains("B: " + b));
    assertTrue(DiffBuilder.json(first, second).contains("\"delta\" : 0"));
  }

  @Test
  void diffComparesDeadSlotsStaleEntriesAndSilentDeletes() throws Exception {
    var before =
        Analyzer.analyze(
            RecordingReader.read(RecordingFixture.threeSites(tmp.resolve("a")).write()));
    var after =
        Analyzer.analyze(RecordingReader.read(RecordingFixture.jdkSites(tmp.resolve("b")).write()));
    List<List<Object>> totals = DiffBuilder.totalRows(before, after);
    assertTrue(totals.contains(List.of("deadSlots", 0L, 268_032L, 268_032L)), totals.toString());
    assertTrue(totals.contains(List.of("staleEntries", 0L, 600L, 600L)), totals.toString());
    assertTrue(totals.contains(List.of("silentDeletes", 0L, 12L, 12L)), totals.toString());
    String text = DiffBuilder.text(before, after);
    assertTrue(text.contains("Sites that changed most (8 of 8;"), text);
    assertTrue(
        text.lines().findFirst().orElseThrow().matches("B (gives back|keeps) [0-9.]+ [KM]iB .*"),
        text);
    assertTrue(
        text.contains("warning: A and B share no allocation site"), "no site in common: " + text);
    assertTrue(
        text.lines().anyMatch(l -> l.matches("map memory at the end +[0-9.]+ [KM]iB .*")),
        "bytes in units: " + text);
    assertTrue(
        new ObjectMapper()
            .readTree(DiffBuilder.json(before, after))
            .path("warning")
            .asText()
            .contains("share no allocation site"));
    assertTrue(
        text.contains("  HashMap at com.acme.Index.<init>(Index.java:20)  (only in B: #1)\n"),
        text);
    assertTrue(text.lines().anyMatch(l -> l.matches(" +deadSlots +0 +260,096 +\\+260,096")), text);
    List<List<Object>> sites =
        DiffBuilder.siteRows(before, after).stream()
            .map(r -> List.of(r.get(0).toString(), r.get(1), r.get(2), r.get(3), r.get(4)))
            .toList();
    assertTrue(
        sites.contains(
            List.of(
                "com.acme.Index.<init>(Index.java:20)  (only in B: #1)",
                "deadSlots",
                0L,
                260_096L,
                260_096L)),
        sites.toString());
    assertTrue(
        sites.contains(
            List.of(
                "com.acme.Listeners.<init>(L.java:5)  (only in B: #3)",
                "staleEntries",
                0L,
                400L,
                400L)),
        sites.toString());
    JsonNode json = new ObjectMapper().readTree(DiffBuilder.json(before, after));
    JsonNode cache =
        StreamSupport.stream(json.path("sites").spliterator(), false)
            .filter(n -> n.path("site").asText().startsWith("com.acme.Cache.<init>"))
            .findFirst()
            .orElseThrow();
    assertEquals(1, cache.path("siteA").asInt());
    assertTrue(cache.path("siteB").isNull(), cache.toString());
  }
}
