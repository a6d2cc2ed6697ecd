package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attached to a running JVM whose JCTools map was built before the agent, the agent does what it
 * does for the JDK's maps: the class is retransformed, and the map is tracked from its next resize
 * on ({@code tracking} {@code resized}), its dead keys then read as JCTools counts them.
 */
class JctoolsAttachIT {
  @TempDir Path tmp;

  @Test
  void aMapBuiltBeforeTheAttachIsTrackedFromItsNextResize() throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run = ForkedJvm.runAttaching(JctoolsAttachProgram.class, rec);
    assertEquals(0, run.exitCode(), run.stderr());
    String line =
        run.stdout()
            .lines()
            .filter(l -> l.startsWith("ATTACHED "))
            .findFirst()
            .orElseThrow(() -> new AssertionError(run.stdout() + run.stderr()));
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    List<JsonNode> jctools =
        sites.stream().filter(s -> s.path("family").asText().equals("jctools")).toList();
    assertEquals(1, jctools.size(), sites.toString());
    assertEquals("resized", jctools.get(0).get("tracking").asText());
    int site = jctools.get(0).get("site").asInt();

    long start =
        new ObjectMapper().readTree(rec.resolve("meta.json").toFile()).get("startEpochMs").asLong();
    String[] parts = line.split(" ");
    long idleUntil = Long.parseLong(parts[1]) - start;
    JsonNode gauge = null;
    JsonNode counters = null;
    for (JsonNode e : RecordingLines.events(rec)) {
      if (e.path("site").asInt() == site && e.get("t").asLong() <= idleUntil) {
        if (e.get("type").asText().equals("gauge")) {
          gauge = e;
        } else if (e.get("type").asText().equals("counters")) {
          counters = e;
        }
      }
    }
    assertTrue(gauge != null && counters != null, "gauge and counters of the site");
    for (String kv : parts[2].split(",")) {
      String key = kv.substring(0, kv.indexOf('='));
      assertEquals(Long.parseLong(kv.substring(kv.indexOf('=') + 1)), gauge.get(key).asLong(), key);
    }
    assertTrue(counters.get("deleteHits").asLong() > 0, counters.toString());
    assertTrue(
        counters.get("growsLoad").asLong() + counters.get("growsOverflow").asLong() >= 1,
        counters.toString());
  }
}
