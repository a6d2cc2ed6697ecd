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
 * Runs {@link FastutilProgram} under the packaged agent on fastutil 8.5.19 and 8.5.12, on this JVM
 * and on Temurin 25, and holds the recording, after each phase, to fastutil's own state as the
 * program read it: deletes, misses, rehashes by cause (grow, shrink, trim) with the entries they
 * moved, clears, size and table size.
 */
class FastutilIT {
  private static final List<String> COUNTERS =
      List.of(
          "deleteHits", "deleteMisses", "growsLoad", "shrinks", "trims", "clears", "entriesMoved");

  @TempDir Path tmp;

  @Test
  void fastutil8519() throws Exception {
    check(null, ForkedJvm.programClassPath());
  }

  @Test
  void fastutil8512() throws Exception {
    check(null, withFastutil8512());
  }

  @Test
  @EnabledIf("io.tombscope.agent.it.TroveIT#temurin25Installed")
  void fastutil8519OnJava25() throws Exception {
    check(TroveIT.TEMURIN_25, ForkedJvm.programClassPath());
  }

  @Test
  @EnabledIf("io.tombscope.agent.it.TroveIT#temurin25Installed")
  void fastutil8512OnJava25() throws Exception {
    check(TroveIT.TEMURIN_25, withFastutil8512());
  }

  /** The program's class path with fastutil 8.5.19 swapped for 8.5.12. */
  static String withFastutil8512() {
    return ForkedJvm.programClassPathWith("fastutil-", "fastutil-8.5.12.jar");
  }

  private void check(Path java, String classPath) throws Exception {
    Path rec = tmp.resolve("rec");
    List<String> jvmArgs = java == null ? List.of() : List.of("-XX:+EnableDynamicAgentLoading");
    ForkedJvm run =
        ForkedJvm.run(
            java, jvmArgs, "out=" + rec + ",interval=100ms", classPath, FastutilProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));

    for (JsonNode counters :
        PhaseTruth.check(run.stdout(), 12, start, events, COUNTERS, map -> siteOf(sites, map))) {
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCreated"));
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCollapsed"));
    }
    for (String map : List.of("longs", "linked", "ints")) {
      JsonNode site = sites.get(siteOf(sites, map) - 1);
      assertEquals("fastutil", site.get("family").asText(), site.toString());
      assertEquals(1, site.get("trackedOneIn").asInt());
    }

    // Every cause of resize, each line with its table sizes; fastutil leaves no tombstones.
    List<JsonNode> grows =
        events.stream().filter(e -> e.get("type").asText().equals("grow")).toList();
    for (String cause : List.of("grow", "shrink", "trim")) {
      assertTrue(
          grows.stream().anyMatch(g -> g.get("cause").asText().equals(cause)),
          "a " + cause + " rehash among " + grows.stream().map(g -> g.get("cause")).toList());
    }
    for (JsonNode g : grows) {
      long from = g.get("fromCapacity").asLong();
      long to = g.get("toCapacity").asLong();
      assertEquals(Long.bitCount(to), 1, g.toString());
      assertEquals(g.get("cause").asText().equals("grow"), to > from, g.toString());
      assertEquals(0, g.get("tombstonesReclaimed").asLong(), g.toString());
    }
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.get("type").asText().equals("deleteSite")
                        && e.get("frame").asText().startsWith(FastutilProgram.class.getName())),
        "delete call sites are the program's");
  }

  /** The site whose maps {@code FastutilProgram.<map>()} constructed. */
  private static int siteOf(List<JsonNode> sites, String map) {
    String factory =
        FastutilProgram.class.getName()
            + (map.equals("ints")
                ? ".intMap("
                : map.equals("linked") ? ".linkedMap(" : ".longMap(");
    return PhaseTruth.siteOf(sites, factory);
  }
}
