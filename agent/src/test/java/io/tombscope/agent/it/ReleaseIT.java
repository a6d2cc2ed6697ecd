package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.testing.SeededCases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release trigger in a forked JVM with the packaged agent. */
class ReleaseIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void bulkLoadThenDrainGivesBackWhatTheAgentEstimated() throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run = ForkedJvm.run("out=" + rec + ",interval=200ms", ReleaseProgram.class, "400000");
    assertEquals(0, run.exitCode(), run.stderr());
    String eventLine = line(run, "RELEASE ");
    JsonNode event = JSON.readTree(eventLine.substring("RELEASE ".length()));
    long mapBytesReleased = event.get("released").get("mapBytes").asLong();
    long heapReleased = event.get("released").get("heapUsedBytes").asLong();
    assertTrue(mapBytesReleased > 1_000_000, "map bytes released: " + mapBytesReleased);
    assertTrue(
        heapReleased >= 0.9 * mapBytesReleased,
        "heap used fell by " + heapReleased + " of " + mapBytesReleased + " map bytes");
    assertEquals(0, event.get("after").get("tombstones").asLong());
    assertTrue(event.get("mapsCompacted").asInt() >= 1);
    assertEquals(0, event.get("mapsPending").asInt());

    String jol = run.stdout().lines().filter(l -> l.startsWith("JOL ")).findFirst().orElseThrow();
    long trimmed = value(jol, "trimmed");
    long fresh = value(jol, "fresh");
    assertTrue(Math.abs(trimmed - fresh) <= fresh / 10, jol);
    assertEquals(0, value(jol, "tombstones"));

    List<String> events = RecordingLines.texts(rec);
    assertTrue(
        events.stream()
            .anyMatch(
                l -> l.contains("\"type\":\"release\"") && l.contains("\"trigger\":\"api\"")));
  }

  /**
   * G1 gives uncommitted heap back to the operating system in a background task that starts 100 ms
   * after the collection; the resident set must be read once that has happened, or the release
   * reports a heap that shrank and an RSS that did not.
   */
  @Test
  void rssReleasedIncludesTheHeapTheCollectorUncommitsAfterTheCollection() throws Exception {
    ForkedJvm run =
        ForkedJvm.run(
            List.of("-Xmx1g", "-XX:+UseG1GC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30"),
            "out=" + tmp.resolve("rec"),
            ReleaseProgram.class,
            "3000000");
    assertEquals(0, run.exitCode(), run.stderr());
    String eventLine = line(run, "RELEASE ");
    JsonNode released = JSON.readTree(eventLine.substring("RELEASE ".length())).get("released");
    long uncommitted = released.get("heapCommittedBytes").asLong();
    long rss = released.get("rssBytes").asLong();
    assertTrue(uncommitted > 16 << 20, "the heap must shrink for this test: " + eventLine);
    assertTrue(
        rss >= uncommitted / 2, "RSS fell by " + rss + " of " + uncommitted + " uncommitted");
  }

  @Test
  void aMapWrittenOnlyByDeletesInAnotherThreadCompactsAtItsNextDelete() throws Exception {
    ForkedJvm run =
        ForkedJvm.run(
            "out=" + tmp.resolve("rec") + ",interval=200ms",
            DeleteOnlyReleaseProgram.class,
            "200000");
    assertEquals(0, run.exitCode(), run.stderr());
    String eventLine = line(run, "RELEASE ");
    JsonNode event = JSON.readTree(eventLine.substring("RELEASE ".length()));
    assertEquals(1, event.get("mapsCompacted").asInt(), eventLine);
    assertEquals(0, event.get("mapsPending").asInt(), eventLine);
    assertTrue(event.get("released").get("mapBytes").asLong() > 0, eventLine);
    String map = line(run, "MAP ");
    assertEquals(0, value(map, "lost"), map);
    assertEquals(20_000, value(map, "size"), map);
    assertTrue(value(map, "B") < value(map, "peakB"), map);
  }

  @Test
  void aMapInTheMiddleOfItsOwnWriteIsLeftForItsNextWrite() throws Exception {
    ForkedJvm run =
        ForkedJvm.run(
            "out=" + tmp.resolve("rec") + ",interval=200ms",
            MidWriteReleaseProgram.class,
            "100000");
    assertEquals(0, run.exitCode(), run.stderr());
    String event = line(run, "RELEASE ");
    assertEquals(0, JSON.readTree(event.substring(8)).get("mapsCompacted").asInt(), event);
    assertEquals(1, JSON.readTree(event.substring(8)).get("mapsPending").asInt(), event);
    String map = line(run, "MAP ");
    assertTrue(value(map, "tombstonesBefore") > 1000, map);
    assertTrue(value(map, "tombstonesAfterPut") >= value(map, "tombstonesBefore") - 1, map);
    assertEquals(0, value(map, "tombstonesAfterNextWrite"), map);
    assertEquals(0, value(map, "lost"), map);
  }

  @Test
  void aCompactionThatFailsIsUndoneInsideTheMapAndNeverReachesTheProgram() throws Exception {
    Path rec = tmp.resolve("failing");
    ForkedJvm run =
        ForkedJvm.run("out=" + rec + ",interval=200ms", FailingCompactionProgram.class, "100000");
    assertEquals(0, run.exitCode(), run.stderr());
    String map = line(run, "MAP ");
    assertTrue(map.contains("unchanged=true"), map);
    assertEquals(0, value(map, "lost"), map);
    assertEquals(0, value(map, "errors"), map);
    String eventLine = line(run, "RELEASE ");
    JsonNode event = JSON.readTree(eventLine.substring("RELEASE ".length()));
    assertEquals(0, event.get("mapsCompacted").asInt(), eventLine);
    assertEquals(0, event.get("mapsPending").asInt(), "the request was dropped: " + eventLine);
    assertTrue(run.agentStderr().contains("compactions undone"), run.agentStderr());
    assertTrue(run.agentStderr().contains("hashCode of key"), run.agentStderr());
    List<String> events = RecordingLines.texts(rec);
    JsonNode agent =
        JSON.readTree(
            events.stream()
                .filter(l -> l.contains("\"type\":\"agent\""))
                .reduce((x, y) -> y)
                .get());
    assertTrue(agent.get("suppressedErrors").asLong() >= 1, agent.toString());
  }

  @Test
  void aReleaseIsAJfrEventWhenJfrIsRecording() throws Exception {
    Path jfr = tmp.resolve("run.jfr");
    ForkedJvm run =
        ForkedJvm.run(
            List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=default"),
            "out=" + tmp.resolve("jfr-rec"),
            ReleaseProgram.class,
            "50000");
    assertEquals(0, run.exitCode(), run.stderr());
    List<jdk.jfr.consumer.RecordedEvent> releases =
        jdk.jfr.consumer.RecordingFile.readAllEvents(jfr).stream()
            .filter(e -> e.getEventType().getName().equals("io.tombscope.Release"))
            .toList();
    assertEquals(1, releases.size());
    assertEquals("api", releases.get(0).getString("trigger"));
    assertTrue(releases.get(0).getLong("mapBytesReleased") > 0);
    String eventLine = line(run, "RELEASE ");
    JsonNode released = JSON.readTree(eventLine.substring("RELEASE ".length())).get("released");
    assertEquals(released.get("rssBytes").asLong(), releases.get(0).getLong("rssReleased"));
  }

  @Test
  void releaseAtExitIsRecorded() throws Exception {
    Path rec = tmp.resolve("exit");
    ForkedJvm run = ForkedJvm.run("out=" + rec + ",release=exit", RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    List<String> events = RecordingLines.texts(rec);
    assertTrue(
        events.stream().anyMatch(l -> l.contains("\"trigger\":\"exit\"")),
        String.join("\n", events));
    assertTrue(events.get(events.size() - 1).contains("\"type\":\"end\""));
  }

  @Test
  void aReleaseNeverChangesAMapsContents() {
    SeededCases.check(
        4,
        random ->
            aReleaseNeverChangesAMapsContents(
                random.nextInt(1, 4), random.nextInt(10, 5001), random.nextLong()));
  }

  private static void aReleaseNeverChangesAMapsContents(int threads, int keyRange, long seed)
      throws Exception {
    ForkedJvm run =
        ForkedJvm.run(
            "out=" + Files.createTempDirectory("rel") + ",interval=100ms",
            ConcurrentReleaseProgram.class,
            Integer.toString(threads),
            Integer.toString(keyRange),
            Long.toString(seed));
    assertEquals(0, run.exitCode(), run.stderr());
    String result =
        run.stdout().lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow();
    assertTrue(result.startsWith("RESULT ok mismatches=0"), result);
  }

  /** The first line of the program's output that starts with {@code prefix}. */
  private static String line(ForkedJvm run, String prefix) {
    return run.stdout().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  private static long value(String line, String key) {
    for (String part : line.split(" ")) {
      if (part.startsWith(key + "=")) {
        return Long.parseLong(part.substring(key.length() + 1));
      }
    }
    throw new AssertionError(key + " not in " + line);
  }
}
