package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tombscope.agent.it.lib.TinyLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link JdkTrackingProgram} under the packaged agent with its default tracking (one JDK map
 * in 1,024 sampled, and every map whose table grows to 4,096 slots), and holds the recording to
 * what the program did: big maps tracked and exact, untracked deletes counted, a dead map's waste
 * kept, the deleting line of a miss storm, and the program's line under a library's map.
 */
class JdkTrackingIT {
  private static final String PROGRAM = JdkTrackingProgram.class.getName() + ".";

  @TempDir Path tmp;

  @Test
  void bigMapsAmongThousandsOfSmallOnesAreTrackedAndExact() throws Exception {
    Recording r = run("big");
    Map<String, Long> big = r.truth.get("bigHash");
    JsonNode hashSite = r.site("grown", PROGRAM + "bigHashMap(");
    assertEquals("hashmap", hashSite.get("family").asText());
    assertEquals(4096, hashSite.get("grownToSlots").asInt());
    assertEquals(hashSite.get("allocationSite").get(0).asText(), hashSite.get("appFrame").asText());
    Map<String, Long> counts = r.counters(hashSite);
    assertEquals(big.get("deleteHits"), counts.get("deleteHits"));
    assertEquals(big.get("deleteMisses"), counts.get("deleteMisses"));
    assertEquals(1L, counts.get("mapsCreated"));
    JsonNode gauge = r.last("gauge", hashSite);
    assertEquals(big.get("sizePeak"), gauge.get("sizePeak").asLong(), gauge.toString());
    assertEquals(big.get("sizePeak"), gauge.get("mapSizePeak").asLong(), gauge.toString());
    assertEquals(5_000, gauge.get("size").asLong());
    // 20,000 keys need 32,768 slots; 5,000 need 8,192: the rest is kept by the deletes.
    assertEquals(32_768 - 8_192, gauge.get("drainedSlots").asLong(), gauge.toString());
    assertEquals(1, gauge.get("drainedMaps").asLong());
    assertTrue(gauge.get("drainedBytesPeak").asLong() >= gauge.get("drainedBytes").asLong());

    Map<String, Long> weak = r.counters(r.site("grown", PROGRAM + "bigWeakHashMap("));
    assertEquals(r.truth.get("bigWeak").get("deleteHits"), weak.get("deleteHits"));
    JsonNode weakGauge = r.last("gauge", r.site("grown", PROGRAM + "bigWeakHashMap("));
    assertEquals(r.truth.get("bigWeak").get("sizePeak"), weakGauge.get("sizePeak").asLong());

    // The small maps were not tracked (bar the odd sampled one), but their deletes were counted.
    JsonNode untracked = r.last("untracked", "hashmap");
    assertTrue(
        untracked.get("deletes").asLong() >= r.truth.get("small").get("deletes") * 9 / 10,
        untracked + " against " + r.truth.get("small"));
    assertTrue(untracked.get("resizes").asLong() > 0, untracked.toString());
    JsonNode agent = r.lastOfType("agent");
    assertTrue(agent.get("jdkMapsGrown").asLong() >= 2, agent.toString());
  }

  @Test
  void aDrainedMapThatDiesKeepsItsWaste() throws Exception {
    Recording r = run("dies");
    assertEquals(1L, r.truth.get("dies").get("collected"), "the map was collected");
    JsonNode site = r.site("grown", PROGRAM + "drainedMapThatDies(");
    JsonNode gauge = r.last("gauge", site);
    assertEquals(0, gauge.get("maps").asLong(), "the last gauge is after its death: " + gauge);
    assertEquals(50_000, gauge.get("sizePeak").asLong(), gauge.toString());
    // 50,000 keys in 131,072 slots, drained to 10 (16 slots): 131,056 slots of 4 bytes.
    assertEquals(131_056L * 4, gauge.get("drainedBytesPeak").asLong(), gauge.toString());
    assertTrue(gauge.get("drainedByteSeconds").asLong() > 0, gauge.toString());
    assertEquals(49_990L, r.counters(site).get("deleteHits"));
  }

  @Test
  void aMissStormNamesTheDeletingLine() throws Exception {
    Recording r = run("misses");
    JsonNode site = r.site("grown", PROGRAM + "missStorm(");
    assertEquals(r.truth.get("storm").get("deleteMisses"), r.counters(site).get("deleteMisses"));
    List<JsonNode> calls = r.deleteSites(site);
    JsonNode storm =
        calls.stream()
            .filter(c -> c.get("frame").asText().startsWith(PROGRAM + "missStorm("))
            .reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("no call site in missStorm: " + calls));
    // Walked: the first 8 misses, then the 16th, 32nd ... 2,048th: each stands for those since.
    assertEquals(2_048, storm.get("deleteMisses").asLong(), storm.toString());
    assertEquals(storm.get("frame").asText(), storm.get("appFrame").asText());
    assertTrue(
        !storm.get("frame").asText().equals(site.get("allocationSite").get(0).asText()),
        "the deleting line, not the one that grew the map: " + storm);
  }

  @Test
  void aSmallSetThatChurnsIsTrackedFromADeleteAndItsRemovesAreTimed() throws Exception {
    Recording r = run("churn");
    JsonNode site = r.site("deleting", PROGRAM + "churn(");
    assertEquals("hashmap", site.get("family").asText());
    long tracked = r.counters(site).get("deleteHits");
    long all = r.truth.get("churn").get("deleteHits");
    // Tracked from one of its deletes among the first few 8,192 of the thread's: the rest exact.
    assertTrue(tracked > all / 2 && tracked < all, tracked + " of " + all);
    JsonNode untracked = r.last("untracked", "hashmap");
    assertTrue(untracked.get("deletes").asLong() >= all - tracked, untracked.toString());
    JsonNode line =
        r.deleteSites(site).stream()
            .filter(c -> c.get("frame").asText().startsWith(PROGRAM + "churn("))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no call site in churn: " + r.deleteSites(site)));
    assertTrue(line.get("deletes").asLong() > 0, line.toString());
    // One remove(key) in 256 of the tracked map is timed: its deleteLatency histogram has them.
    String tag = "Tag=deleteLatency/" + site.get("site").asInt() + ",";
    long intervals =
        Files.readAllLines(RecordingLines.histogramLog(r.dir, r.dir.resolveSibling("all.hlog")))
            .stream()
            .filter(l -> l.startsWith(tag))
            .count();
    assertTrue(intervals > 0, "no deleteLatency of site " + site);
  }

  @Test
  void aMapBuiltInALibraryNamesTheProgramsLine() throws Exception {
    Path lib = tmp.resolve("tiny-library.jar");
    String entry = TinyLibrary.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(lib));
        var in = TinyLibrary.class.getClassLoader().getResourceAsStream(entry)) {
      jar.putNextEntry(new JarEntry(entry));
      in.transferTo(jar);
      jar.closeEntry();
    }
    Recording r = run(lib, "library");
    String libraryFrame = TinyLibrary.class.getName() + ".put(";
    JsonNode site = r.site("grown", libraryFrame);
    for (JsonNode frame : site.get("allocationSite")) {
      assertTrue(
          frame.asText().startsWith(libraryFrame), "eight frames deep in the library: " + site);
    }
    assertNotNull(site.get("appFrame"), site.toString());
    assertTrue(site.get("appFrame").asText().startsWith(PROGRAM + "library("), site.toString());
    assertEquals(r.truth.get("library").get("deleteHits"), r.counters(site).get("deleteHits"));
    JsonNode delete =
        r.deleteSites(site).stream()
            .filter(c -> c.get("frame").asText().startsWith(TinyLibrary.class.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no delete call site in the library"));
    assertTrue(delete.get("appFrame").asText().startsWith(PROGRAM + "library("), delete.toString());
  }

  private Recording run(String... cases) throws Exception {
    return run(null, cases);
  }

  private Recording run(Path firstOnClassPath, String... cases) throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run =
        ForkedJvm.run(
            null,
            List.of(),
            firstOnClassPath,
            "out=" + rec + ",interval=100ms",
            JdkTrackingProgram.class,
            cases);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    return new Recording(rec, AgentRecordingIT.parseTruth(run.stdout()));
  }

  /** The lines of one recording. */
  private static final class Recording {
    final List<JsonNode> events;
    final List<JsonNode> sites;
    final Map<String, Map<String, Long>> truth;
    final Path dir;

    Recording(Path rec, Map<String, Map<String, Long>> truth) throws Exception {
      this.dir = rec;
      this.events = RecordingLines.events(rec);
      this.sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
      this.truth = truth;
    }

    /** The one site of {@code tracking} whose first frame starts with {@code frame}. */
    JsonNode site(String tracking, String frame) {
      List<JsonNode> found =
          sites.stream()
              .filter(s -> s.path("tracking").asText().equals(tracking))
              .filter(s -> s.get("allocationSite").get(0).asText().startsWith(frame))
              .toList();
      assertEquals(1, found.size(), tracking + " sites at " + frame + ": " + sites);
      return found.get(0);
    }

    Map<String, Long> counters(JsonNode site) {
      Map<String, Long> values = new java.util.HashMap<>();
      last("counters", site)
          .fields()
          .forEachRemaining(f -> values.put(f.getKey(), f.getValue().asLong()));
      return values;
    }

    JsonNode last(String type, JsonNode site) {
      int id = site.get("site").asInt();
      return events.stream()
          .filter(e -> e.get("type").asText().equals(type) && e.path("site").asInt() == id)
          .reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no " + type + " line for " + site));
    }

    JsonNode last(String type, String family) {
      return events.stream()
          .filter(e -> e.get("type").asText().equals(type))
          .filter(e -> e.get("family").asText().equals(family))
          .reduce((a, b) -> b)
          .orElseThrow(() -> new AssertionError("no " + type + " line of " + family));
    }

    JsonNode lastOfType(String type) {
      return events.stream()
          .filter(e -> e.get("type").asText().equals(type))
          .reduce((a, b) -> b)
          .orElseThrow();
    }

    List<JsonNode> deleteSites(JsonNode site) {
      int id = site.get("site").asInt();
      return events.stream()
          .filter(e -> e.get("type").asText().equals("deleteSite"))
          .filter(e -> e.get("site").asInt() == id)
          .toList();
    }
  }
}
