package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flight recording of {@link JfrProgram} under the packaged agent holds its events as JDK Mission
 * Control would read them: one {@code MapGrow} per grow in the agent's own recording, with every
 * field filled, one {@code TombstoneThreshold} however many intervals see the map over the line,
 * and {@code SiteStatistics} that add up to the program's deletes when enabled.
 */
class JfrEventsIT {
  /** The shipped settings, from the agent module's directory. */
  static final Path JFC = Path.of("..", "monitoring", "jfr", "tombscope.jfc");

  @TempDir Path tmp;

  @Test
  void aFlightRecordingHoldsTheAgentsEvents() throws Exception {
    String shipped = Files.readString(JFC);
    assertTrue(
        shipped.matches(
            "(?s).*io\\.tombscope\\.SiteStatistics\">\\s*<setting name=\"enabled\">false.*"),
        "SiteStatistics is off by default");
    Path jfc = tmp.resolve("all.jfc");
    Files.writeString(
        jfc,
        shipped.replace(
            "<setting name=\"enabled\">false</setting>",
            "<setting name=\"enabled\">true</setting>"));
    Path jfr = tmp.resolve("rec.jfr");
    Path rec = tmp.resolve("rec");
    ForkedJvm run =
        ForkedJvm.run(
            List.of("-XX:StartFlightRecording:filename=" + jfr + ",settings=" + jfc),
            "out=" + rec + ",jdk=false,interval=200ms",
            JfrProgram.class,
            "2500");
    assertEquals(0, run.exitCode(), run.stderr());
    Matcher truth =
        Pattern.compile("TRUTH hits=(\\d+) tombstones=(\\d+) slots=(\\d+)").matcher(run.stdout());
    assertTrue(truth.find(), run.stdout());
    long hits = Long.parseLong(truth.group(1));
    long tombstones = Long.parseLong(truth.group(2));
    long slots = Long.parseLong(truth.group(3));
    assertTrue(tombstones >= slots / 4, "the program leaves a quarter of its slots tombstones");

    List<JsonNode> grows = new ArrayList<>();
    for (JsonNode n : RecordingLines.events(rec)) {
      if (n.path("type").asText().equals("grow")) {
        grows.add(n);
      }
    }
    assertTrue(grows.size() >= 5, "the program's map grew: " + grows.size());

    List<RecordedEvent> mapGrows = new ArrayList<>();
    List<RecordedEvent> thresholds = new ArrayList<>();
    long statisticsHits = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      switch (e.getEventType().getName()) {
        case "io.tombscope.MapGrow" -> mapGrows.add(e);
        case "io.tombscope.TombstoneThreshold" -> thresholds.add(e);
        case "io.tombscope.SiteStatistics" -> statisticsHits += e.getLong("deleteHits");
        default -> {}
      }
    }
    assertEquals(grows.size(), mapGrows.size(), "one MapGrow per grow the agent recorded");
    assertTrue(mapGrows.get(0).getEventType().getCategoryNames().contains("Tombscope"));
    long moved = 0;
    for (int i = 0; i < mapGrows.size(); i++) {
      RecordedEvent e = mapGrows.get(i);
      JsonNode g = grows.get(i);
      assertEquals(g.path("site").asInt(), e.getInt("site"));
      assertEquals("io.tombscope.map.BucketHashMap", e.getString("mapClass"));
      assertTrue(e.getString("frame").startsWith(JfrProgram.class.getName() + ".main("));
      assertEquals("bucket", e.getString("family"));
      assertEquals(g.path("cause").asText(), e.getString("cause"));
      assertEquals(8L << g.path("fromB").asInt(), e.getLong("oldCapacity"));
      assertEquals(8L << g.path("toB").asInt(), e.getLong("newCapacity"));
      assertEquals(g.path("entriesMoved").asLong(), e.getLong("entriesMoved"));
      assertEquals(g.path("tombstonesReclaimed").asLong(), e.getLong("tombstonesDropped"));
      assertFalse(e.getDuration().isNegative());
      moved += e.getLong("entriesMoved");
    }
    assertTrue(moved > 0, "grows moved entries");

    assertEquals(1, thresholds.size(), "raised once, not at every interval: " + thresholds);
    RecordedEvent t = thresholds.get(0);
    assertEquals(slots, t.getLong("slots"));
    // The event carries the count of the interval in which the ratio was crossed: the deletes
    // that follow in the same loop may still collapse some, so it is bounded, not the final count.
    assertTrue(
        t.getLong("tombstones") >= slots / 4 && t.getLong("tombstones") <= hits,
        "tombstones when the threshold was crossed: " + t.getLong("tombstones"));
    assertEquals(0.25, t.getDouble("threshold"));

    assertEquals(hits, statisticsHits, "SiteStatistics deltas add up to the program's deletes");
  }
}
