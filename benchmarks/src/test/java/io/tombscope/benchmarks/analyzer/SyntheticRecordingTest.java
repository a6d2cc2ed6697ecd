package io.tombscope.benchmarks.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated recording holds what docs/recording-format.md says, and agrees with itself. */
class SyntheticRecordingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SITES = 7;
  private static final int INTERVALS = 130;

  @TempDir static Path dir;
  static SyntheticRecording.Totals totals;

  @BeforeAll
  static void write() throws IOException {
    totals = new SyntheticRecording(SITES, INTERVALS, 1_000, true, 42).writeTo(dir);
  }

  private static List<JsonNode> events() throws IOException {
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  @Test
  void metaAndSitesFollowTheFormat() throws IOException {
    JsonNode meta = JSON.readTree(dir.resolve("meta.json").toFile());
    assertEquals(1, meta.path("format").asInt());
    assertEquals(1_000, meta.path("intervalMs").asLong());
    assertTrue(meta.path("startEpochMs").asLong() > 0);
    assertTrue(meta.path("jvm").path("inputArguments").isArray());
    assertEquals("64", meta.path("options").path("sample").asText());

    List<String> sites = Files.readAllLines(dir.resolve("sites.jsonl"));
    assertEquals(SITES, sites.size());
    Set<Integer> ids = new HashSet<>();
    for (String line : sites) {
      JsonNode site = JSON.readTree(line);
      ids.add(site.path("site").asInt());
      assertEquals("io.tombscope.map.BucketHashMap", site.path("mapClass").asText());
      assertTrue(site.path("allocationSite").size() >= 1);
    }
    assertEquals(SITES, ids.size());
  }

  @Test
  void lastCountersOfEachSiteAddUpToTheTotals() throws IOException {
    Map<Integer, JsonNode> last = new HashMap<>();
    long growLines = 0;
    for (JsonNode e : events()) {
      switch (e.path("type").asText()) {
        case "counters" -> last.put(e.path("site").asInt(), e);
        case "grow" -> growLines++;
        default -> {}
      }
    }
    assertEquals(SITES, last.size());
    long hits = 0;
    long misses = 0;
    long grows = 0;
    long evacuated = 0;
    long reclaimed = 0;
    for (JsonNode c : last.values()) {
      evacuated += c.path("evacuatedBuckets").asLong();
      reclaimed += c.path("tombstonesReclaimedByEvacuation").asLong();
      hits += c.path("deleteHits").asLong();
      misses += c.path("deleteMisses").asLong();
      grows += c.path("growsOverflow").asLong();
      assertEquals(c.path("deleteHits").asLong(), c.path("tombstonesCreated").asLong());
    }
    assertEquals(totals.deleteHits(), hits);
    assertEquals(totals.deleteMisses(), misses);
    assertEquals(totals.grows(), grows);
    assertEquals(totals.grows(), growLines);
    assertEquals(totals.evacuatedBuckets(), evacuated);
    assertEquals(totals.tombstonesReclaimed(), reclaimed);
    assertTrue(totals.grows() >= SITES, "every site grows at least once in 130 intervals");
  }

  @Test
  void liveTombstonesInGaugesFollowFromTheCounters() throws IOException {
    Map<Integer, JsonNode> counters = new HashMap<>();
    for (JsonNode e : events()) {
      if (e.path("type").asText().equals("counters")) {
        counters.put(e.path("site").asInt(), e);
      } else if (e.path("type").asText().equals("gauge")) {
        JsonNode c = counters.get(e.path("site").asInt());
        long live =
            c.path("tombstonesCreated").asLong()
                - c.path("tombstonesCollapsed").asLong()
                - c.path("tombstonesReused").asLong()
                - c.path("tombstonesReclaimedByEvacuation").asLong();
        assertEquals(live, e.path("tombstones").asLong(), e.toString());
        assertTrue(e.path("tombstonesPeak").asLong() >= live);
      }
    }
  }

  @Test
  void everyIntervalHasAnAgentLineAndTheRecordingEnds() throws IOException {
    List<JsonNode> events = events();
    long agentLines = events.stream().filter(e -> e.path("type").asText().equals("agent")).count();
    assertEquals(INTERVALS, agentLines);
    assertEquals("end", events.get(events.size() - 1).path("type").asText());
    assertEquals(totals.eventLines(), events.size());
  }

  @Test
  void histogramLogCountsMatchTheCounters() throws IOException {
    HistogramLogReader reader = new HistogramLogReader(dir.resolve("histograms.hlog").toFile());
    Map<String, Long> countBySeries = new HashMap<>();
    long lines = 0;
    for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
      lines++;
      String tag = h.getTag();
      String series = tag.substring(0, tag.indexOf('/'));
      int site = Integer.parseInt(tag.substring(tag.indexOf('/') + 1));
      assertTrue(site >= 1 && site <= SITES, tag);
      countBySeries.merge(series, ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
    }
    assertEquals(totals.histogramLines(), lines);
    assertEquals(totals.deleteHits(), countBySeries.get("deleteProbe.hit"));
    assertEquals(totals.deleteMisses(), countBySeries.get("deleteProbe.miss"));
    assertEquals(totals.grows(), countBySeries.get("growDuration"));
    JsonNode meta = JSON.readTree(dir.resolve("meta.json").toFile());
    assertEquals(meta.path("startEpochMs").asLong() / 1000.0, reader.getStartTimeSec(), 0.001);
  }

  @Test
  void withoutPerIntervalEventsOnlyTheLastIntervalHasThem(@TempDir Path other) throws IOException {
    SyntheticRecording.Totals sparse =
        new SyntheticRecording(SITES, INTERVALS, 1_000, false, 42).writeTo(other);
    List<String> lines = Files.readAllLines(other.resolve("events.jsonl"));
    long counters = 0;
    long agent = 0;
    for (String line : lines) {
      JsonNode e = JSON.readTree(line);
      counters += e.path("type").asText().equals("counters") ? 1 : 0;
      agent += e.path("type").asText().equals("agent") ? 1 : 0;
      if (e.path("type").asText().equals("counters")) {
        assertEquals(INTERVALS * 1_000L, e.path("t").asLong());
      }
    }
    assertEquals(SITES, counters);
    assertEquals(1, agent);
    // The same seed draws the same activity: only the events written differ.
    assertEquals(totals.deleteHits(), sparse.deleteHits());
    assertEquals(totals.histogramLines(), sparse.histogramLines());
  }

  @Test
  void deleteRemovesTheRecordingAndLeavesOtherFiles(@TempDir Path other) throws IOException {
    Path alone = other.resolve("alone");
    new SyntheticRecording(1, 2, 1_000, true, 1).writeTo(alone);
    SyntheticRecording.delete(alone);
    assertTrue(Files.notExists(alone));

    Path shared = other.resolve("shared");
    new SyntheticRecording(1, 2, 1_000, true, 1).writeTo(shared);
    Files.writeString(shared.resolve("report.html"), "<html></html>");
    SyntheticRecording.delete(shared);
    try (var left = Files.list(shared)) {
      assertEquals(List.of(shared.resolve("report.html")), left.toList());
    }
  }

  @Test
  void refusesToOverwriteARecording() {
    assertThrows(
        IOException.class, () -> new SyntheticRecording(1, 1, 1_000, true, 1).writeTo(dir));
  }

  @Test
  void rejectsEmptyShapes() {
    assertThrows(
        IllegalArgumentException.class, () -> new SyntheticRecording(0, 1, 1_000, true, 1));
  }
}
