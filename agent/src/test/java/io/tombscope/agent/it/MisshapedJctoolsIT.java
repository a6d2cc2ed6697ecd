package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of JCTools whose {@code NonBlockingHashMap$CHM} has its field {@code _newkvs} renamed is
 * skipped, the map class and its {@code CHM} both, with the reason in the recording; the program
 * prints the same as without the agent, and the class path's own JCTools is still recorded.
 */
class MisshapedJctoolsIT {
  private static final String REASON =
      "no field java.lang.Object[] _newkvs in org.jctools.maps.NonBlockingHashMap$CHM";

  @TempDir Path tmp;

  @Test
  void aRenamedFieldIsSkippedWithItsReasonAndTheProgramRunsUnchanged() throws Exception {
    ForkedJvm without = ForkedJvm.run(null, MisshapedJctoolsProgram.class);
    assertEquals(0, without.exitCode(), without.stderr());
    assertTrue(without.stdout().startsWith("RESULT 2500 2500 "), without.stdout());

    Path rec = tmp.resolve("rec");
    ForkedJvm with = ForkedJvm.run("out=" + rec + ",interval=100ms", MisshapedJctoolsProgram.class);
    assertEquals(0, with.exitCode(), with.stderr());
    assertEquals(without.stdout(), with.stdout(), "the program's output is unchanged");
    assertEquals("", with.agentStderr(), "a skipped class is in the recording, not on stderr");

    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> skipped =
        events.stream().filter(e -> e.get("type").asText().equals("skipped")).toList();
    for (String name :
        List.of("org.jctools.maps.NonBlockingHashMap", "org.jctools.maps.NonBlockingHashMap$CHM")) {
      JsonNode line =
          skipped.stream()
              .filter(e -> e.get("class").asText().equals(name))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + " not reported skipped: " + skipped));
      assertEquals("jctools", line.get("family").asText());
      assertEquals(REASON, line.get("reason").asText(), line.toString());
    }
    assertEquals(2, skipped.size(), "the class path's own copy is not skipped: " + skipped);

    // The class path's own copy is instrumented as usual: one site, its deletes counted.
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    List<JsonNode> jctools =
        sites.stream().filter(s -> s.path("family").asText().equals("jctools")).toList();
    assertEquals(1, jctools.size(), jctools.toString());
    int site = jctools.get(0).get("site").asInt();
    JsonNode last = null;
    for (JsonNode e : events) {
      if (e.get("type").asText().equals("counters") && e.get("site").asInt() == site) {
        last = e;
      }
    }
    assertEquals(2_500, last.get("deleteHits").asLong(), String.valueOf(last));
    assertEquals(0, last.get("deleteMisses").asLong(), String.valueOf(last));
  }
}
