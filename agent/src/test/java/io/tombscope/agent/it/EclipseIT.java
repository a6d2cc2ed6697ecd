package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link EclipseProgram} under the packaged agent on Eclipse Collections 11.1.0 and 13.0.0, on
 * this JVM and on Temurin 25, and holds the recording, after each phase, to the library's own state
 * as the program read it: deletes, misses, live and peak sentinels, rehashes by cause (grow, same
 * size, shrink, explicit), clears, size and capacity.
 */
class EclipseIT {
  private static final List<String> COUNTERS =
      List.of(
          "deleteHits", "deleteMisses", "growsLoad", "growsOverflow", "shrinks", "trims", "clears");

  @TempDir Path tmp;

  @Test
  void eclipseCollections11() throws Exception {
    check(null, ForkedJvm.programClassPath());
  }

  @Test
  void eclipseCollections13() throws Exception {
    check(null, withEclipseCollections13());
  }

  @Test
  @EnabledIf("io.tombscope.agent.it.TroveIT#temurin25Installed")
  void eclipseCollections11OnJava25() throws Exception {
    check(TroveIT.TEMURIN_25, ForkedJvm.programClassPath());
  }

  @Test
  @EnabledIf("io.tombscope.agent.it.TroveIT#temurin25Installed")
  void eclipseCollections13OnJava25() throws Exception {
    check(TroveIT.TEMURIN_25, withEclipseCollections13());
  }

  /** The program's class path with Eclipse Collections 11.1.0 swapped for 13.0.0. */
  static String withEclipseCollections13() {
    Path dir = Path.of(System.getProperty("tombscope.thirdparty.dir"));
    List<String> entries =
        Arrays.stream(ForkedJvm.programClassPath().split(File.pathSeparator))
            .filter(e -> !Path.of(e).getFileName().toString().startsWith("eclipse-collections"))
            .collect(Collectors.toCollection(ArrayList::new));
    for (String jar :
        List.of("eclipse-collections-13.0.0.jar", "eclipse-collections-api-13.0.0.jar")) {
      Path p = dir.resolve(jar);
      assertTrue(Files.isRegularFile(p), "missing " + p + "; run mvn verify");
      entries.add(p.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private void check(Path java, String classPath) throws Exception {
    Path rec = tmp.resolve("rec");
    List<String> jvmArgs = java == null ? List.of() : List.of("-XX:+EnableDynamicAgentLoading");
    ForkedJvm plain = ForkedJvm.run(java, jvmArgs, (String) null, classPath, EclipseProgram.class);
    assertEquals(0, plain.exitCode(), plain.stderr());
    ForkedJvm run =
        ForkedJvm.run(
            java, jvmArgs, "out=" + rec + ",interval=100ms", classPath, EclipseProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    assertEquals(result(plain), result(run), "the maps hold the same under the agent");
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    assertTrue(
        events.stream().noneMatch(e -> e.get("type").asText().equals("skipped")),
        "no class skipped");

    List<JsonNode> checked =
        PhaseTruth.check(run.stdout(), 15, start, events, COUNTERS, map -> siteOf(sites, map));
    for (JsonNode counters : checked) {
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCreated"));
    }
    for (String map : List.of("longs", "objects", "ints")) {
      JsonNode site = sites.get(siteOf(sites, map) - 1);
      assertEquals("eclipse", site.get("family").asText(), site.toString());
      assertEquals(1, site.get("trackedOneIn").asInt());
    }

    List<Integer> ours =
        List.of(siteOf(sites, "longs"), siteOf(sites, "objects"), siteOf(sites, "ints"));
    List<JsonNode> grows =
        events.stream()
            .filter(e -> e.get("type").asText().equals("grow"))
            .filter(e -> ours.contains(e.get("site").asInt()))
            .toList();
    for (String cause : List.of("grow", "sameSize", "shrink", "compact")) {
      assertTrue(
          grows.stream().anyMatch(g -> g.get("cause").asText().equals(cause)),
          "a " + cause + " rehash among " + grows.stream().map(g -> g.get("cause")).toList());
    }
    for (JsonNode g : grows) {
      assertTrue(g.get("fromCapacity").asLong() > 0, g.toString());
      String cause = g.get("cause").asText();
      long from = g.get("fromCapacity").asLong();
      long to = g.get("toCapacity").asLong();
      if (cause.equals("sameSize")) {
        assertEquals(from, to, g.toString());
        assertTrue(g.get("tombstonesReclaimed").asLong() > 0, g.toString());
      } else if (cause.equals("shrink")) {
        assertTrue(to < from, g.toString());
      }
    }
    assertTrue(
        events.stream()
            .anyMatch(
                e ->
                    e.get("type").asText().equals("deleteSite")
                        && e.get("frame").asText().startsWith(EclipseProgram.class.getName())),
        "delete call sites are the program's");
  }

  private static String result(ForkedJvm run) {
    return run.stdout().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("none");
  }

  /** The site whose maps {@code EclipseProgram.<factory>()} constructed. */
  private static int siteOf(List<JsonNode> sites, String map) {
    return PhaseTruth.siteOf(
        sites,
        EclipseProgram.class.getName()
            + (map.equals("longs")
                ? ".longObjectMap("
                : map.equals("objects") ? ".objectLongMap(" : ".intIntMap("));
  }
}
