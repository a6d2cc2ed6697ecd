package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attached to a running JVM that loaded Eclipse Collections', Trove's and fastutil's map classes
 * before the agent, the agent retransforms them without the recorder's field, and the maps built
 * after the attach are counted exactly all the same, found by identity.
 */
class LibraryAttachIT {
  @TempDir Path tmp;

  @Test
  void mapsOfClassesLoadedBeforeTheAttachAreCountedExactly() throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run = ForkedJvm.runAttaching(LibraryAttachProgram.class, rec);
    assertEquals(0, run.exitCode(), run.stderr());
    assertFalse(run.stderr().contains("could not instrument"), run.stderr());
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    String program = LibraryAttachProgram.class.getName() + ".";
    PhaseTruth.check(
        run.stdout(),
        3,
        start,
        RecordingLines.events(rec),
        List.of("deleteHits", "deleteMisses"),
        map -> PhaseTruth.siteOf(sites, program + map + "("));
  }
}
