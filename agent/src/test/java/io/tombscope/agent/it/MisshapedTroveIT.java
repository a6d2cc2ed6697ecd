package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A copy of Trove whose {@code THash} has its field {@code _free} renamed is skipped, class by
 * class, with the reason in the recording; the program prints the same as without the agent, and
 * the class path's own Trove is still recorded.
 */
class MisshapedTroveIT {
  @TempDir Path tmp;

  @Test
  void aRenamedFieldIsSkippedWithItsReasonAndTheProgramRunsUnchanged() throws Exception {
    ForkedJvm without = ForkedJvm.run(null, MisshapedTroveProgram.class);
    assertEquals(0, without.exitCode(), without.stderr());
    assertTrue(without.stdout().startsWith("RESULT 2500 2500 "), without.stdout());

    Path rec = tmp.resolve("rec");
    ForkedJvm with = ForkedJvm.run("out=" + rec + ",interval=100ms", MisshapedTroveProgram.class);
    assertEquals(0, with.exitCode(), with.stderr());
    assertEquals(without.stdout(), with.stdout(), "the program's output is unchanged");
    assertEquals("", with.agentStderr(), "a skipped class is in the recording, not on stderr");

    List<JsonNode> events = RecordingLines.events(rec);
    List<JsonNode> skipped =
        events.stream().filter(e -> e.get("type").asText().equals("skipped")).toList();
    JsonNode thash =
        skipped.stream()
            .filter(e -> e.get("class").asText().equals("gnu.trove.impl.hash.THash"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("THash not reported skipped: " + skipped));
    assertEquals("trove", thash.get("family").asText());
    assertEquals("no field int _free", thash.get("reason").asText());
    JsonNode map =
        skipped.stream()
            .filter(e -> e.get("class").asText().equals("gnu.trove.map.hash.TIntObjectHashMap"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the map class not skipped: " + skipped));
    assertTrue(
        map.get("reason").asText().startsWith("its superclass gnu.trove.impl.hash.THash has no"),
        map.toString());

    // The class path's own copy is instrumented as usual: one site, its deletes counted.
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    List<JsonNode> trove =
        sites.stream().filter(s -> s.path("family").asText().equals("trove")).toList();
    assertEquals(1, trove.size(), trove.toString());
    int site = trove.get(0).get("site").asInt();
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
