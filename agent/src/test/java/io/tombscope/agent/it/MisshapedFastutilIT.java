package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of fastutil whose maps' field {@code maxFill} is renamed is skipped, the map class and its
 * iterator, with the reason in the recording; the program prints the same as without the agent, and
 * the class path's own fastutil is still recorded.
 */
class MisshapedFastutilIT {
  private static final String MAP = "it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap";

  @TempDir Path tmp;

  @Test
  void aRenamedFieldIsSkippedWithItsReasonAndTheProgramRunsUnchanged() throws Exception {
    ForkedJvm without = ForkedJvm.run(null, MisshapedFastutilProgram.class);
    assertEquals(0, without.exitCode(), without.stderr());
    assertTrue(without.stdout().startsWith("RESULT "), without.stdout());

    Path rec = tmp.resolve("rec");
    ForkedJvm with =
        ForkedJvm.run("out=" + rec + ",interval=100ms", MisshapedFastutilProgram.class);
    assertEquals(0, with.exitCode(), with.stderr());
    assertEquals(without.stdout(), with.stdout(), "the program's output is unchanged");
    assertEquals("", with.agentStderr(), "a skipped class is in the recording, not on stderr");

    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> skipped =
        events.stream().filter(e -> e.get("type").asText().equals("skipped")).toList();
    JsonNode map = skippedClass(skipped, MAP);
    assertEquals("fastutil", map.get("family").asText());
    assertEquals("no field int maxFill", map.get("reason").asText());
    JsonNode iterator = skippedClass(skipped, MAP + "$MapIterator");
    assertEquals(
        "its map class " + MAP + " has no field int maxFill", iterator.get("reason").asText());
    assertEquals(2, skipped.size(), "only the renamed copy is skipped: " + skipped);

    // The class path's own copy is instrumented as usual: one site, its deletes counted.
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    List<JsonNode> fastutil =
        sites.stream().filter(s -> s.path("family").asText().equals("fastutil")).toList();
    assertEquals(1, fastutil.size(), fastutil.toString());
    int site = fastutil.get(0).get("site").asInt();
    JsonNode last = null;
    for (JsonNode e : events) {
      if (e.get("type").asText().equals("counters") && e.get("site").asInt() == site) {
        last = e;
      }
    }
    assertEquals(2_500, last.get("deleteHits").asLong(), String.valueOf(last));
    assertEquals(0, last.get("deleteMisses").asLong(), String.valueOf(last));
  }

  private static JsonNode skippedClass(List<JsonNode> skipped, String className) {
    return skipped.stream()
        .filter(e -> e.get("class").asText().equals(className))
        .findFirst()
        .orElseThrow(() -> new AssertionError(className + " not reported skipped: " + skipped));
  }
}
