package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link TroveProgram} under the packaged agent on Trove 3.0.3 and 3.1.0, on this JVM and on
 * Temurin 25, and holds the recording, after each phase, to Trove's own state as the program read
 * it: deletes, misses, live and peak tombstones, rehashes by cause, size and capacity.
 */
class TroveIT {
  static final Path TEMURIN_25 = LibraryRun.TEMURIN_25;
  private static final List<String> COUNTERS =
      List.of(
          "deleteHits",
          "deleteMisses",
          "growsLoad",
          "growsOverflow",
          "autoCompactions",
          "trims",
          "clears");

  @TempDir Path tmp;

  @Test
  void trove303() throws Exception {
    check(null, ForkedJvm.programClassPath());
  }

  @Test
  void troveCore310() throws Exception {
    check(null, withTroveCore310());
  }

  @Test
  @EnabledIf("temurin25Installed")
  void trove303OnJava25() throws Exception {
    check(TEMURIN_25, ForkedJvm.programClassPath());
  }

  @Test
  @EnabledIf("temurin25Installed")
  void troveCore310OnJava25() throws Exception {
    check(TEMURIN_25, withTroveCore310());
  }

  static boolean temurin25Installed() {
    return LibraryRun.temurin25Installed();
  }

  /** The program's class path with Trove 3.0.3 swapped for {@code net.sf.trove4j:core:3.1.0}. */
  static String withTroveCore310() {
    return ForkedJvm.programClassPathWith("trove4j-", "core-3.1.0.jar");
  }

  private void check(Path java, String classPath) throws Exception {
    Path rec = tmp.resolve("rec");
    List<String> jvmArgs = java == null ? List.of() : List.of("-XX:+EnableDynamicAgentLoading");
    ForkedJvm run =
        ForkedJvm.run(
            java, jvmArgs, "out=" + rec + ",interval=100ms", classPath, TroveProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));

    for (JsonNode counters :
        PhaseTruth.check(run.stdout(), 12, start, events, COUNTERS, map -> siteOf(sites, map))) {
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCreated"));
    }
    for (String map : List.of("ints", "objects", "longs")) {
      JsonNode site = sites.get(siteOf(sites, map) - 1);
      assertEquals("trove", site.get("family").asText(), site.toString());
      assertEquals(1, site.get("trackedOneIn").asInt());
    }

    // The churn rehashed for every cause, and each rehash line says what it moved and dropped.
    List<JsonNode> grows =
        events.stream().filter(e -> e.get("type").asText().equals("grow")).toList();
    for (String cause : List.of("grow", "sameSize", "autoCompaction", "compact")) {
      assertTrue(
          grows.stream().anyMatch(g -> g.get("cause").asText().equals(cause)),
          "a " + cause + " rehash among " + grows.stream().map(g -> g.get("cause")).toList());
    }
    for (JsonNode g : grows) {
      assertTrue(g.get("fromCapacity").asLong() > 0, g.toString());
      if (g.get("cause").asText().equals("sameSize")) {
        assertEquals(g.get("fromCapacity"), g.get("toCapacity"), g.toString());
        assertTrue(g.get("tombstonesReclaimed").asLong() > 0, g.toString());
      }
    }
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.get("type").asText().equals("deleteSite")
                        && e.get("frame").asText().startsWith(TroveProgram.class.getName())),
        "delete call sites are the program's");
  }

  /** The site whose maps {@code TroveProgram.<map>...()} constructed. */
  private static int siteOf(List<JsonNode> sites, String map) {
    String factory =
        TroveProgram.class.getName()
            + (map.equals("ints")
                ? ".intObjectMap("
                : map.equals("objects") ? ".objectMap(" : ".longSet(");
    return PhaseTruth.siteOf(sites, factory);
  }
}
