package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@link FastutilProgram} under the packaged agent on fastutil 8.5.19 and 8.5.12, on this JVM
 * and on Temurin 25, and holds the recording, after each phase, to fastutil's own state as the
 * program read it, for three maps and a set: deletes, misses, rehashes by cause (grow, shrink,
 * trim) with the entries they moved, clears, size and table size.
 */
class FastutilIT {
  private static final List<String> COUNTERS =
      List.of(
          "deleteHits", "deleteMisses", "growsLoad", "shrinks", "trims", "clears", "entriesMoved");

  @TempDir Path tmp;

  /** fastutil 8.5.19 and 8.5.12, each on this JVM and on Temurin 25. */
  static Stream<LibraryRun> runs() {
    return LibraryRun.matrix(
        "fastutil 8.5.19",
        ForkedJvm::programClassPath,
        "fastutil 8.5.12",
        FastutilIT::withFastutil8512);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void theRecordingHoldsFastutilsOwnState(LibraryRun release) throws Exception {
    check(release);
  }

  /** The program's class path with fastutil 8.5.19 swapped for 8.5.12. */
  static String withFastutil8512() {
    return ForkedJvm.programClassPathWith("fastutil-", "fastutil-8.5.12.jar");
  }

  private void check(LibraryRun release) throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run = release.run("out=" + rec + ",interval=100ms", FastutilProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));

    for (JsonNode counters :
        PhaseTruth.check(run.stdout(), 16, start, events, COUNTERS, map -> siteOf(sites, map))) {
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCreated"));
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCollapsed"));
    }
    for (String map : List.of("longs", "linked", "ints", "intSet")) {
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
        switch (map) {
          case "ints" -> ".intMap(";
          case "linked" -> ".linkedMap(";
          case "intSet" -> ".intSet(";
          default -> ".longMap(";
        };
    return PhaseTruth.siteOf(sites, FastutilProgram.class.getName() + factory);
  }
}
