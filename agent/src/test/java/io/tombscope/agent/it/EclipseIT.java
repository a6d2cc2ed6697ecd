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
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@link EclipseProgram} under the packaged agent on Eclipse Collections 11.1.0 and 13.0.0, on
 * this JVM and on Temurin 25, and holds the recording, after each phase, to the library's own state
 * as the program read it, for three maps and a primitive set: deletes, misses, live and peak
 * sentinels, rehashes by cause (grow, same size, shrink, explicit), clears, size and capacity.
 */
class EclipseIT {
  private static final List<String> COUNTERS =
      List.of(
          "deleteHits", "deleteMisses", "growsLoad", "growsOverflow", "shrinks", "trims", "clears");

  @TempDir Path tmp;

  /** Eclipse Collections 11.1.0 and 13.0.0, each on this JVM and on Temurin 25. */
  static Stream<LibraryRun> runs() {
    return LibraryRun.matrix(
        "Eclipse Collections 11.1.0",
        ForkedJvm::programClassPath,
        "Eclipse Collections 13.0.0",
        EclipseIT::withEclipseCollections13);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void theRecordingHoldsTheLibrarysOwnState(LibraryRun release) throws Exception {
    check(release);
  }

  /**
   * {@code UnifiedMap}, {@code UnifiedSet}, their siblings with a hashing strategy and two maps
   * with {@code boolean} values, held to the library's own state after each phase of {@link
   * EclipseUnifiedProgram}: the unified ones with no tombstones and every delete collapsed, a table
   * kept at its peak until {@code trimToSize()}.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void unifiedAndBooleanValuedMapsHoldTheLibrarysOwnState(LibraryRun release) throws Exception {
    Recorded r = runWithAndWithout(release, EclipseUnifiedProgram.class);
    List<JsonNode> events = r.events();
    List<JsonNode> sites = r.sites();
    PhaseTruth.check(r.stdout(), 24, r.start(), events, COUNTERS, map -> unifiedSiteOf(sites, map));
    for (String map : List.of("umap", "uset", "smap", "sset")) {
      int site = unifiedSiteOf(sites, map);
      JsonNode drained = null;
      for (JsonNode e : events) {
        if (e.path("site").asInt(-1) != site) {
          continue;
        }
        if (e.get("type").asText().equals("counters")) {
          assertEquals(
              e.get("deleteHits").asLong(), e.get("tombstonesCollapsed").asLong(), e.toString());
        } else if (e.get("type").asText().equals("gauge") && e.get("deadSlots").asLong() > 0) {
          drained = e;
        }
      }
      assertTrue(drained != null, map + ": a gauge with the table kept at its peak");
      assertTrue(
          drained.get("trimmedBytes").asLong() < drained.get("estimatedBytes").asLong(),
          drained.toString());
      List<JsonNode> trims =
          events.stream()
              .filter(e -> e.get("type").asText().equals("grow"))
              .filter(e -> e.get("site").asInt() == site)
              .filter(e -> e.get("cause").asText().equals("compact"))
              .toList();
      assertEquals(1, trims.size(), map + ": " + trims);
      assertTrue(
          trims.get(0).get("toCapacity").asLong() < trims.get(0).get("fromCapacity").asLong(),
          trims.toString());
    }
    for (String map : List.of("umap", "smap")) {
      int site = unifiedSiteOf(sites, map);
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e.get("type").asText().equals("deleteSite")
                          && e.get("site").asInt() == site
                          && e.get("frame")
                              .asText()
                              .startsWith(EclipseUnifiedProgram.class.getName())),
          map + ": delete call sites are the program's");
    }
  }

  /** The site whose maps {@code EclipseUnifiedProgram.<factory>()} constructed. */
  private static int unifiedSiteOf(List<JsonNode> sites, String map) {
    String factory =
        switch (map) {
          case "umap" -> ".unifiedMap(";
          case "uset" -> ".unifiedSet(";
          case "smap" -> ".strategyMap(";
          case "sset" -> ".strategySet(";
          case "intBools" -> ".intBooleanMap(";
          default -> ".objectBooleanMap(";
        };
    return PhaseTruth.siteOf(sites, EclipseUnifiedProgram.class.getName() + factory);
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

  private void check(LibraryRun release) throws Exception {
    Recorded r = runWithAndWithout(release, EclipseProgram.class);
    List<JsonNode> events = r.events();
    List<JsonNode> sites = r.sites();
    List<JsonNode> checked =
        PhaseTruth.check(r.stdout(), 20, r.start(), events, COUNTERS, map -> siteOf(sites, map));
    for (JsonNode counters : checked) {
      assertEquals(counters.get("deleteHits"), counters.get("tombstonesCreated"));
    }
    for (String map : List.of("longs", "objects", "ints", "longSet")) {
      JsonNode site = sites.get(siteOf(sites, map) - 1);
      assertEquals("eclipse", site.get("family").asText(), site.toString());
      assertEquals(1, site.get("trackedOneIn").asInt());
    }

    List<Integer> ours =
        List.of(
            siteOf(sites, "longs"),
            siteOf(sites, "objects"),
            siteOf(sites, "ints"),
            siteOf(sites, "longSet"));
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

  /** A program's run under the agent: its output and what it recorded. */
  private record Recorded(String stdout, long start, List<JsonNode> events, List<JsonNode> sites) {}

  /**
   * Runs {@code program} without the agent and under it: both succeed with the same result, the
   * agent prints nothing and skips no class.
   */
  private Recorded runWithAndWithout(LibraryRun release, Class<?> program) throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm plain = release.run(null, program);
    assertEquals(0, plain.exitCode(), plain.stderr());
    ForkedJvm run = release.run("out=" + rec + ",interval=100ms", program);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    assertEquals(result(plain), result(run), "the maps hold the same under the agent");
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    List<JsonNode> events = RecordingLines.events(rec);
    assertEquals(
        List.of(),
        events.stream().filter(e -> e.get("type").asText().equals("skipped")).toList(),
        "no class skipped");
    return new Recorded(
        run.stdout(), start, events, AgentRecordingIT.readLines(rec.resolve("sites.jsonl")));
  }

  private static String result(ForkedJvm run) {
    return run.stdout().lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse("none");
  }

  /** The site whose maps {@code EclipseProgram.<factory>()} constructed. */
  private static int siteOf(List<JsonNode> sites, String map) {
    String factory =
        switch (map) {
          case "longs" -> ".longObjectMap(";
          case "objects" -> ".objectLongMap(";
          case "ints" -> ".intIntMap(";
          default -> ".longHashSet(";
        };
    return PhaseTruth.siteOf(sites, EclipseProgram.class.getName() + factory);
  }
}
