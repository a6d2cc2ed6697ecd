package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.format.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link RecordedProgram} under the packaged agent and holds the recording to its truth. */
class AgentRecordingIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static Path recording;
  static ForkedJvm run;
  static Map<String, Map<String, Long>> truth;
  static List<JsonNode> events;
  static Map<Integer, JsonNode> sites;

  @BeforeAll
  static void record() throws Exception {
    recording = tmp.resolve("rec");
    run = ForkedJvm.run("out=" + recording + ",interval=100ms", RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    truth = parseTruth(run.stdout());
    events = RecordingLines.events(recording);
    sites = new HashMap<>();
    for (JsonNode s : readLines(recording.resolve("sites.jsonl"))) {
      sites.put(s.get("site").asInt(), s);
    }
  }

  @Test
  void countsEqualWhatTheProgramDid() {
    for (String name : List.of("churn", "drain", "small")) {
      Map<String, Long> expected = truth.get(name);
      Map<String, Long> recorded = lastCounters(frameOf(name));
      assertEquals(expected.get("maps"), recorded.get("mapsCreated"), name + " maps");
      for (String key : List.of("deleteHits", "deleteMisses", "growsLoad", "growsOverflow")) {
        assertEquals(expected.get(key), recorded.get(key), name + " " + key);
      }
      assertEquals(recorded.get("deleteHits"), recorded.get("tombstonesCreated"));
    }
    assertTrue(lastCounters(frameOf("churn")).get("growsOverflow") > 0, "churn same-size grows");
    assertTrue(lastCounters(frameOf("drain")).get("tombstonesReclaimedByClear") > 0);
  }

  @Test
  void theRecordingEndsCleanlyAndHasEveryKindOfLine() {
    assertEquals("end", events.get(events.size() - 1).get("type").asText());
    assertTrue(
        Files.notExists(recording.resolve(Segments.HISTOGRAM_TAIL)),
        "a finished recording's segments hold every histogram: no tail is left");
    for (String type : List.of("counters", "gauge", "grow", "agent", "deleteSite")) {
      assertTrue(events.stream().anyMatch(e -> e.get("type").asText().equals(type)), type);
    }
    JsonNode agent =
        events.stream()
            .filter(e -> e.get("type").asText().equals("agent"))
            .reduce((a, b) -> b)
            .get();
    assertEquals(0, agent.get("suppressedErrors").asLong());
    JsonNode site = sites.get(siteOf(frameOf("churn")));
    assertEquals("io.tombscope.map.BucketHashMap", site.get("mapClass").asText());
    assertTrue(
        site.get("allocationSite")
            .get(0)
            .asText()
            .startsWith(RecordedProgram.class.getName() + ".churn("));
  }

  @Test
  void gaugesSayWhatTrimmingTheMapsWouldLeave() {
    // Only BucketHashMap sites have trimmedBytes; a JDK map the construction sampler happened to
    // track has a gauge without it.
    List<JsonNode> gauges =
        events.stream()
            .filter(e -> e.get("type").asText().equals("gauge") && e.get("maps").asLong() > 0)
            .filter(e -> isBucketHashMapSite(e.get("site").asInt()))
            .toList();
    assertFalse(gauges.isEmpty());
    for (JsonNode g : gauges) {
      // At least the map objects themselves; racy snapshots of maps being written forbid more.
      assertTrue(g.get("trimmedBytes").asLong() >= 120 * g.get("maps").asLong(), g.toString());
    }
  }

  @Test
  void tombstonePeaksAreExactEvenWhenNoGaugeSawThem() {
    for (String name : List.of("churn", "drain")) {
      assertEquals(
          truth.get(name).get("tombstonesPeak"),
          lastGauge(frameOf(name)).get("tombstonesPeak"),
          name);
    }
    // The drain clears its map right after its deletes, well within one interval: its peak comes
    // from the agent's running count, not from a gauge's snapshot.
    assertTrue(truth.get("drain").get("tombstonesPeak") > 1000, truth.get("drain").toString());
    assertTrue(
        lastGauge(frameOf("small")).get("tombstonesPeak")
            >= truth.get("small").get("largestMapTombstonesPeak"));
  }

  @Test
  void deleteCallSitesCarryTheirCallers() {
    int churnSite = siteOf(frameOf("churn"));
    JsonNode call =
        events.stream()
            .filter(e -> e.get("type").asText().equals("deleteSite"))
            .filter(e -> e.get("site").asInt() == churnSite)
            .findFirst()
            .orElseThrow();
    assertTrue(call.get("frame").asText().startsWith(frameOf("churn")), call.toString());
    assertTrue(
        call.get("callers").get(0).asText().startsWith(RecordedProgram.class.getName() + ".main("),
        call.toString());
  }

  @Test
  void hitProbeHistogramsCountEveryDeleteHit() throws IOException {
    int churnSite = siteOf(frameOf("churn"));
    long total = 0;
    try (HistogramLogReader reader =
        new HistogramLogReader(
            RecordingLines.histogramLog(recording, tmp.resolve("all.hlog")).toFile())) {
      for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
        if (("deleteProbe.hit/" + churnSite).equals(h.getTag())) {
          total += ((Histogram) h).getTotalCount();
        }
      }
    }
    assertEquals(truth.get("churn").get("deleteHits"), total);
  }

  @Test
  void hdrHistogramsOwnLogProcessorReadsTheLog() throws Exception {
    int churnSite = siteOf(frameOf("churn"));
    Path out = tmp.resolve("processed");
    new HistogramLogProcessor(
            new String[] {
              "-i", RecordingLines.histogramLog(recording, tmp.resolve("all2.hlog")).toString(),
              "-o", out.toString(),
              "-tag", "deleteProbe.hit/" + churnSite
            })
        .run();
    String summary = Files.readString(Path.of(out + ".hgrm"));
    assertTrue(summary.contains("#[Total count    =") || summary.contains("Total count"), summary);
    assertTrue(summary.contains(Long.toString(truth.get("churn").get("deleteHits"))), summary);
  }

  private static String frameOf(String name) {
    return RecordedProgram.class.getName()
        + "."
        + (name.equals("small") ? "manySmallMaps" : name)
        + "(";
  }

  private static boolean isBucketHashMapSite(int site) {
    return !sites.get(site).has("family");
  }

  /**
   * The BucketHashMap site at {@code framePrefix}: a JDK map built in the same method has a site
   * there too when the construction sampler picks it.
   */
  private static int siteOf(String framePrefix) {
    return sites.values().stream()
        .filter(s -> !s.has("family"))
        .filter(s -> s.get("allocationSite").get(0).asText().startsWith(framePrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no site at " + framePrefix + ": " + sites))
        .get("site")
        .asInt();
  }

  private static Map<String, Long> lastCounters(String framePrefix) {
    return last("counters", framePrefix);
  }

  private static Map<String, Long> lastGauge(String framePrefix) {
    return last("gauge", framePrefix);
  }

  private static Map<String, Long> last(String type, String framePrefix) {
    int site = siteOf(framePrefix);
    JsonNode last = null;
    for (JsonNode e : events) {
      if (e.get("type").asText().equals(type) && e.get("site").asInt() == site) {
        last = e;
      }
    }
    assertFalse(last == null, "no " + type + " for site " + site);
    Map<String, Long> values = new HashMap<>();
    last.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asLong()));
    return values;
  }

  static List<JsonNode> readLines(Path file) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }

  static Map<String, Map<String, Long>> parseTruth(String stdout) {
    String line = stdout.lines().filter(l -> l.startsWith("TRUTH")).findFirst().orElseThrow();
    Map<String, Map<String, Long>> result = new HashMap<>();
    for (String part : line.substring("TRUTH".length()).trim().split(" ")) {
      String[] nameAndValues = part.split(":");
      Map<String, Long> values = new HashMap<>();
      for (String kv : nameAndValues[1].split(",")) {
        String[] p = kv.split("=");
        values.put(p[0], Long.parseLong(p[1]));
      }
      result.put(nameAndValues[0], values);
    }
    return result;
  }
}
