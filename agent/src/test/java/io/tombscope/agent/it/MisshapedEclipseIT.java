package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of Eclipse Collections whose maps have their field {@code occupiedWithSentinels} renamed
 * is skipped, class by class, with the reason in the recording; the program prints the same as
 * without the agent, and the class path's own copy is still recorded.
 */
class MisshapedEclipseIT {
  private static final String LONG_OBJECT =
      "org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap";

  @TempDir Path tmp;

  @Test
  void aRenamedFieldIsSkippedWithItsReasonAndTheProgramRunsUnchanged() throws Exception {
    ForkedJvm without = ForkedJvm.run(null, MisshapedEclipseProgram.class);
    assertEquals(0, without.exitCode(), without.stderr());
    assertTrue(without.stdout().startsWith("RESULT 2500 2500 "), without.stdout());

    Path rec = tmp.resolve("rec");
    ForkedJvm with = ForkedJvm.run("out=" + rec + ",interval=100ms", MisshapedEclipseProgram.class);
    assertEquals(0, with.exitCode(), with.stderr());
    assertEquals(without.stdout(), with.stdout(), "the program's output is unchanged");
    assertEquals("", with.agentStderr(), "a skipped class is in the recording, not on stderr");

    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> skipped =
        events.stream().filter(e -> e.get("type").asText().equals("skipped")).toList();
    JsonNode map =
        skipped.stream()
            .filter(e -> e.get("class").asText().equals(LONG_OBJECT))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError(LONG_OBJECT + " not reported skipped: " + skipped));
    assertEquals("eclipse", map.get("family").asText());
    assertEquals("no field int occupiedWithSentinels", map.get("reason").asText());
    assertEquals(1, skipped.size(), "only the renamed copy's map class: " + skipped);

    // The class path's own copy is instrumented as usual: one site, its deletes counted.
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    List<JsonNode> eclipse =
        sites.stream().filter(s -> s.path("family").asText().equals("eclipse")).toList();
    assertEquals(1, eclipse.size(), eclipse.toString());
    int site = eclipse.get(0).get("site").asInt();
    JsonNode last = null;
    for (JsonNode e : events) {
      if (e.get("type").asText().equals("counters") && e.get("site").asInt() == site) {
        last = e;
      }
    }
    assertEquals(2_500, last.get("deleteHits").asLong(), String.valueOf(last));
    assertEquals(2_500, last.get("deleteMisses").asLong(), String.valueOf(last));
  }
}
