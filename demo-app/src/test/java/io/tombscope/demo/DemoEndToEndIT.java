package io.tombscope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.reports.HeadlessChromium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product end to end: the demo's scenarios under the packaged agent in a forked JVM, the
 * packaged command line's summary, and the report in a real browser.
 */
class DemoEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path home;
  static List<JsonNode> groundTruth = new ArrayList<>();
  static JsonNode summary;
  static Path report;

  @BeforeAll
  static void runTheDemo() throws Exception {
    home = Path.of(System.getProperty("tombscope.home", "..")).toAbsolutePath().normalize();
    Path recording = tmp.resolve("recording");
    String demo =
        run(
            java(),
            "-Xmx1g",
            "-javaagent:"
                + home.resolve("agent/target/tombscope-agent.jar")
                + "=out="
                + recording
                + ",interval=500ms,release=exit",
            "-jar",
            home.resolve("demo-app/target/tombscope-demo.jar").toString(),
            "--duration",
            "5s",
            "--size",
            "20000");
    for (String line : demo.lines().toList()) {
      if (line.startsWith("GROUND-TRUTH ")) {
        groundTruth.add(JSON.readTree(line.substring("GROUND-TRUTH ".length())));
      }
    }
    assertEquals(10, groundTruth.size(), demo);
    summary = JSON.readTree(run(java(), "-jar", cli(), "summary", recording.toString(), "--json"));
    report = tmp.resolve("report.html");
    run(java(), "-jar", cli(), "report", recording.toString(), "-o", report.toString());
  }

  @Test
  void theSummaryCountsEqualTheDemosOwnCounts() {
    int checked = 0;
    for (JsonNode truth : groundTruth) {
      if (!truth.path("mapClass").asText().equals("io.tombscope.map.BucketHashMap")) {
        continue;
      }
      String prefix = truth.path("allocationSite").asText() + "(";
      JsonNode site = null;
      for (JsonNode s : summary.path("sites")) {
        // A JDK map built at the same frame has a site there too when the sampler picks it.
        if (s.path("family").asText().equals("bucket")
            && s.path("allocationSite").get(0).asText().startsWith(prefix)) {
          site = s;
        }
      }
      assertTrue(site != null, "no recorded site for " + prefix);
      String scenario = truth.path("scenario").asText();
      assertEquals(
          truth.path("mapsCreated").asLong(), site.path("maps").asLong(), scenario + " maps");
      assertEquals(
          truth.path("deletes").asLong(), site.path("deletes").asLong(), scenario + " deletes");
      assertEquals(
          truth.path("deleteHits").asLong(), site.path("deleteHits").asLong(), scenario + " hits");
      assertEquals(
          truth.path("deleteMisses").asLong(),
          site.path("deleteMisses").asLong(),
          scenario + " misses");
      checked++;
    }
    assertEquals(5, checked);
  }

  @Test
  void theDrainsReleaseGaveBackTheMapsMemory() {
    JsonNode api = null;
    for (JsonNode r : summary.path("releases")) {
      if (r.path("trigger").asText().equals("api")) {
        api = r;
      }
    }
    assertTrue(api != null, "the drain scenario's release is recorded");
    long mapBytes = api.path("released").path("mapBytes").asLong();
    assertTrue(mapBytes > 1_000_000, "map bytes released: " + mapBytes);
    assertTrue(
        api.path("released").path("heapUsedBytes").asLong() >= 0.9 * mapBytes, api.toString());
    assertEquals(0, api.path("after").path("tombstones").asLong());
  }

  @Test
  void theReportLoadsCleanAndDrawsEveryChart() throws Exception {
    assertTrue(Files.size(report) > 100_000);
    try (HeadlessChromium browser = new HeadlessChromium()) {
      browser.open(report);
      assertEquals(List.of(), browser.consoleErrors());
      List<Map<String, Object>> charts = browser.charts();
      assertTrue(charts.size() >= 8, "charts: " + charts.size());
      for (Map<String, Object> c : charts) {
        assertEquals(Boolean.TRUE, c.get("chart"), c.toString());
        assertTrue(((Number) c.get("painted")).longValue() > 500, "blank chart " + c);
      }
      // Every table and tile fits its card, and no name breaks inside, on a laptop and a desktop.
      assertEquals(List.of(), browser.misfits(report), "fits at 1366x768 and 1920x1080");
      // For people to look at: the demo's report as a laptop and a desktop show it.
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        browser.resize(size[0], size[1]);
        browser.open(report);
        browser.screenshot(Path.of("target", "demo-report-" + size[0] + ".png"));
      }
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String cli() {
    return home.resolve("analyzer/target/tombscope.jar").toString();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + text);
    return text;
  }
}
