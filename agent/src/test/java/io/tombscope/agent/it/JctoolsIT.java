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
 * Runs {@link JctoolsProgram} under the packaged agent on JCTools 4.0.5 and 3.3.0, on this JVM and
 * on Temurin 25, and holds the recording, after each phase, to JCTools' own state as the program
 * read it, for a NonBlockingHashMap, a NonBlockingHashMapLong, a NonBlockingIdentityHashMap and the
 * map inside a NonBlockingHashSet: deletes, misses, live and peak dead keys, resizes by cause with
 * the dead keys they dropped and the entries they moved, clears, size and table length; and, after
 * eight threads worked one map, the totals of deletes and misses, dead keys, size and table length.
 */
class JctoolsIT {
  private static final List<String> COUNTERS =
      List.of(
          "deleteHits",
          "deleteMisses",
          "growsLoad",
          "growsOverflow",
          "tombstonesReclaimedByEvacuation",
          "entriesMoved",
          "clears",
          "tombstonesReclaimedByClear");

  @TempDir Path tmp;

  /** JCTools 4.0.5 and 3.3.0, each on this JVM and on Temurin 25. */
  static Stream<LibraryRun> runs() {
    return LibraryRun.matrix(
        "JCTools 4.0.5", ForkedJvm::programClassPath, "JCTools 3.3.0", JctoolsIT::withJctools330);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void theRecordingHoldsJctoolsOwnState(LibraryRun release) throws Exception {
    check(release);
  }

  /** The program's class path with JCTools 4.0.5 swapped for 3.3.0. */
  static String withJctools330() {
    return ForkedJvm.programClassPathWith("jctools-core-", "jctools-core-3.3.0.jar");
  }

  private void check(LibraryRun release) throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm without = release.run(null, JctoolsProgram.class);
    ForkedJvm run = release.run("out=" + rec + ",interval=100ms", JctoolsProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    // JCTools itself warns of sun.misc.Unsafe on Java 24+, with or without the agent.
    assertEquals(without.stderr(), run.agentStderr(), "the agent prints nothing when all is well");
    assertEquals(
        without.stdout().lines().filter(l -> l.startsWith("RESULT")).toList(),
        run.stdout().lines().filter(l -> l.startsWith("RESULT")).toList(),
        "the maps hold the same under the agent");
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));

    PhaseTruth.check(run.stdout(), 17, start, events, COUNTERS, map -> siteOf(sites, map));
    List<Integer> jctoolsSites =
        sites.stream()
            .filter(s -> s.path("family").asText().equals("jctools"))
            .map(s -> s.get("site").asInt())
            .toList();
    for (JsonNode gauge : events) {
      if (gauge.get("type").asText().equals("gauge")
          && jctoolsSites.contains(gauge.get("site").asInt())) {
        assertTrue(gauge.path("estimate").asBoolean(), "JCTools gauges are labelled: " + gauge);
      }
    }
    for (String map : List.of("objects", "longs", "shared", "identity", "set")) {
      JsonNode site = sites.get(siteOf(sites, map) - 1);
      assertEquals("jctools", site.get("family").asText(), site.toString());
      assertEquals(1, site.get("trackedOneIn").asInt());
    }
    assertEquals(
        5,
        sites.stream().filter(s -> s.get("family").asText().equals("jctools")).count(),
        "clear()'s throwaway maps are not sites: " + sites);
    assertEquals(
        "org.jctools.maps.NonBlockingIdentityHashMap",
        sites.get(siteOf(sites, "identity") - 1).get("mapClass").asText());

    // Each resize line says what it moved and dropped, and the churn made some drop dead keys.
    List<JsonNode> grows =
        events.stream()
            .filter(e -> e.get("type").asText().equals("grow"))
            .filter(e -> jctoolsSites.contains(e.get("site").asInt()))
            .toList();
    assertTrue(
        grows.stream().anyMatch(g -> g.get("tombstonesReclaimed").asLong() > 0), grows.toString());
    for (JsonNode g : grows) {
      assertTrue(g.get("fromCapacity").asLong() > 0, g.toString());
      assertTrue(g.get("toCapacity").asLong() >= g.get("fromCapacity").asLong(), g.toString());
    }
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.get("type").asText().equals("deleteSite")
                        && e.get("frame").asText().startsWith(JctoolsProgram.class.getName())),
        "delete call sites are the program's");
  }

  /** The site whose maps {@code JctoolsProgram.<map>Map()} constructed. */
  private static int siteOf(List<JsonNode> sites, String map) {
    return PhaseTruth.siteOf(
        sites,
        JctoolsProgram.class.getName()
            + "."
            + (map.equals("set") ? "set" : map.replaceAll("s$", ""))
            + "Map(");
  }
}
