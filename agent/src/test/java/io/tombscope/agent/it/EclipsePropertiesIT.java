package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eclipse Collections' maps behave the same under the agent: {@link EclipseOpsProgram} runs seeded
 * random operations (iterator removes, removes of the keys kept beside the table, trims and clears
 * among them) on three map classes and a primitive set, checks every result against {@code
 * java.util.HashMap}, and prints a hash of the results per case. Run without the agent and under
 * it, on both releases and on this JVM and Temurin 25, the printed lines must be the same, with no
 * mismatch, and the agent must have recorded the maps. {@link EclipseUnifiedOpsProgram} does the
 * same for {@code UnifiedMap}, {@code UnifiedSet}, their siblings with a hashing strategy and two
 * maps with {@code boolean} values.
 */
class EclipsePropertiesIT {
  private static final String CASES = "300";
  private static final String OPS = "3000";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.tombscope.agent.it.EclipseIT#runs")
  void theMapsBehaveTheSameWithAndWithoutTheAgent(LibraryRun release) throws Exception {
    sameWithAndWithout(release, release.release().endsWith("11.1.0") ? "1" : "1001");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.tombscope.agent.it.EclipseIT#runs")
  void unifiedAndBooleanValuedMapsBehaveTheSameWithAndWithoutTheAgent(LibraryRun release)
      throws Exception {
    sameWithAndWithout(
        release,
        EclipseUnifiedOpsProgram.class,
        release.release().endsWith("11.1.0") ? "1" : "1001",
        java.util.Set.of(
            "UnifiedMap",
            "UnifiedSet",
            "UnifiedMapWithHashingStrategy",
            "UnifiedSetWithHashingStrategy",
            "IntBooleanHashMap",
            "ObjectBooleanHashMap",
            "IntHashSet"));
  }

  private void sameWithAndWithout(LibraryRun release, String firstSeed) throws Exception {
    sameWithAndWithout(
        release,
        EclipseOpsProgram.class,
        firstSeed,
        java.util.Set.of("LongObjectHashMap", "ObjectLongHashMap", "IntIntHashMap", "LongHashSet"));
  }

  private void sameWithAndWithout(
      LibraryRun release, Class<?> program, String firstSeed, java.util.Set<String> recorded)
      throws Exception {
    ForkedJvm without = release.run(null, program, firstSeed, CASES, OPS);
    assertEquals(0, without.exitCode(), without.stderr());
    assertFalse(without.stdout().contains("MISMATCH"), without.stdout());
    assertEquals(
        Integer.parseInt(CASES),
        without.stdout().lines().filter(l -> l.startsWith("CASE ")).count());

    Path rec = tmp.resolve("rec");
    ForkedJvm with = release.run("out=" + rec + ",interval=200ms", program, firstSeed, CASES, OPS);
    assertEquals(0, with.exitCode(), with.stderr());
    assertEquals("", with.agentStderr(), "the agent prints nothing when all is well");
    assertEquals(without.stdout(), with.stdout(), "every result and the contents are the same");

    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    assertEquals(
        recorded,
        sites.stream()
            .filter(s -> s.path("family").asText().equals("eclipse"))
            .map(s -> s.get("mapClass").asText().replaceAll(".*\\.", ""))
            .collect(java.util.stream.Collectors.toSet()),
        "the classes run were recorded: " + sites);
    List<JsonNode> events = RecordingLines.events(rec);
    assertTrue(
        events.stream().noneMatch(e -> e.get("type").asText().equals("skipped")), "none skipped");
    JsonNode agent =
        events.stream()
            .filter(e -> e.get("type").asText().equals("agent"))
            .reduce((a, b) -> b)
            .get();
    assertEquals(0, agent.get("suppressedErrors").asLong(), agent.toString());
  }
}
