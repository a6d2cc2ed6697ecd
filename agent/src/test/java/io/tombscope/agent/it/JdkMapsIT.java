package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link JdkMapsProgram} under the packaged agent with every JDK map tracked, and holds the
 * recording to what the program did, on this JVM and on Temurin 25 where it is installed.
 */
class JdkMapsIT {
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  @TempDir Path tmp;

  @Test
  void countsEqualWhatTheProgramDid() throws Exception {
    check(null);
  }

  @Test
  @EnabledIf("temurin25Installed")
  void countsEqualWhatTheProgramDidOnJava25() throws Exception {
    check(TEMURIN_25);
  }

  /**
   * A {@code BucketHashMap} at a new site makes the agent build a {@code ConcurrentHashMap} of its
   * own, under the map's constructor: that map is the agent's, not a site of the program's.
   */
  @Test
  void theAgentsOwnMapsAreNotSitesOfTheProgram() throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run = ForkedJvm.run("out=" + rec + ",jdksample=1", RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    Recorded r = new Recorded(rec);
    assertTrue(
        r.sites.stream().anyMatch(s -> s.get("mapClass").asText().endsWith("BucketHashMap")),
        "the program's BucketHashMap sites are recorded");
    for (JsonNode site : r.sites) {
      for (JsonNode frame : site.get("allocationSite")) {
        assertFalse(
            frame.asText().startsWith("io.tombscope.map.")
                || frame.asText().startsWith("io.tombscope.agent.bootstrap."),
            "a site built inside the map or the agent: " + site);
      }
    }
  }

  static boolean temurin25Installed() {
    return Files.isExecutable(TEMURIN_25);
  }

  private void check(Path java) throws Exception {
    Path rec = tmp.resolve("rec");
    List<String> jvmArgs = java == null ? List.of() : List.of("-XX:+EnableDynamicAgentLoading");
    ForkedJvm run =
        ForkedJvm.run(
            java,
            jvmArgs,
            "out=" + rec + ",interval=100ms,jdksample=1",
            JdkMapsProgram.class,
            "12");
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr(), "the agent prints nothing when all is well");
    Map<String, Map<String, Long>> truth = AgentRecordingIT.parseTruth(run.stdout());
    Recorded r = new Recorded(rec);

    for (String name : List.of("hashmap", "linked", "identity")) {
      Map<String, Long> expected = truth.get(name);
      Map<String, Long> got = r.counters(frame(name));
      for (String key : List.of("deleteHits", "deleteMisses", "silentDeletes", "growsLoad")) {
        assertEquals(expected.get(key), got.get(key), name + " " + key);
      }
      assertEquals(got.get("growsLoad"), got.get("growsFinished"), name + " resizes finish");
      assertEquals(0, got.get("tombstonesCreated"), name + ": JDK maps write no tombstones");
    }
    assertEquals("hashmap", r.site(frame("hashmap")).get("family").asText());
    assertEquals("identity", r.site(frame("identity")).get("family").asText());
    assertEquals(1, r.site(frame("hashmap")).get("trackedOneIn").asInt());

    Map<String, Long> weak = r.counters(frame("weak"));
    assertEquals(truth.get("weak").get("deleteHits"), weak.get("deleteHits"));
    assertEquals(truth.get("weak").get("deleteMisses"), weak.get("deleteMisses"));
    assertEquals(truth.get("weak").get("silentDeletes"), weak.get("silentDeletes"));
    assertEquals(truth.get("weak").get("extra"), weak.get("staleExpunged"), "stale expunged");
    assertTrue(weak.get("expunges") >= 1);

    Map<String, Long> locals = r.counters("threadLocals");
    assertEquals(truth.get("threadlocal").get("deleteHits"), locals.get("deleteHits"));
    assertEquals(truth.get("threadlocal").get("deleteMisses"), locals.get("deleteMisses"));
    assertEquals("threadlocal", r.site("threadLocals").get("family").asText());

    // Threads hammering a shared ConcurrentHashMap and maps of their own lose no count.
    Map<String, Long> shared = r.counters(frame("concurrent"));
    assertEquals(truth.get("concurrent").get("deleteHits"), shared.get("deleteHits"));
    assertEquals(truth.get("concurrent").get("deleteMisses"), shared.get("deleteMisses"));
    assertEquals(1L, shared.get("clears"), "a clear is one clear, not deletes");
    assertEquals(shared.get("growsLoad"), shared.get("growsFinished"), "every resize finished");
    assertTrue(shared.get("growsLoad") > 0, "the shared map resized");
    Map<String, Long> own = r.counters(frame("privateMap"));
    assertEquals(truth.get("private").get("deleteHits"), own.get("deleteHits"));
    assertEquals(truth.get("private").get("extra"), own.get("mapsCreated"));

    // Delete call sites: of each kind of delete of a map, the first 8 are walked, then the 16th,
    // 32nd ... (powers of two) up to 65,536 (the default callsites), then one in 65,536; each walk
    // stands for the deletes of its kind since the last. The HashMap's 10,000 hits of its loop are
    // walked up to the 8,192nd, its 500 misses up to the 256th, its one silent delete at once.
    int hashSite = r.site(frame("hashmap")).get("site").asInt();
    List<JsonNode> calls =
        r.events.stream()
            .filter(e -> e.get("type").asText().equals("deleteSite"))
            .filter(e -> e.get("site").asInt() == hashSite)
            .filter(e -> e.get("frame").asText().startsWith(frame("hashmap")))
            .toList();
    JsonNode loop =
        lastWith(
            calls,
            c -> c.get("deletes").asLong() > 0 && c.get("deleteMisses").asLong() == 0,
            "hits");
    assertEquals(8_192, loop.get("deletes").asLong(), loop.toString());
    assertTrue(
        loop.get("callers").get(0).asText().startsWith(JdkMapsProgram.class.getName() + ".main("),
        loop.toString());
    JsonNode missLoop = lastWith(calls, c -> c.get("deleteMisses").asLong() > 0, "misses");
    assertEquals(256, missLoop.get("deleteMisses").asLong(), missLoop.toString());
    assertEquals(256, missLoop.get("deletes").asLong(), missLoop.toString());
    JsonNode silent = lastWith(calls, c -> c.path("silentDeletes").asLong() > 0, "silent");
    assertEquals(1, silent.get("silentDeletes").asLong(), silent.toString());
    assertTrue(
        !silent.get("frame").asText().equals(loop.get("frame").asText())
            && !silent.get("frame").asText().equals(missLoop.get("frame").asText()),
        "three lines, three call sites: " + calls);

    // Dead capacity: the HashMap kept its 32,768 slots after half its keys went.
    JsonNode gauge = r.lastGauge(frame("hashmap"));
    assertEquals(32_768, gauge.get("slots").asLong());
    assertTrue(gauge.get("deadSlots").asLong() >= 16_384, gauge.toString());
    assertTrue(
        r.events.stream()
            .anyMatch(
                e ->
                    e.get("type").asText().equals("grow")
                        && e.get("cause").asText().equals("resize")));
  }

  /** The last of {@code calls} that {@code which} accepts: one line's cumulative counts. */
  private static JsonNode lastWith(
      List<JsonNode> calls, java.util.function.Predicate<JsonNode> which, String what) {
    return calls.stream()
        .filter(which)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no call site of " + what + ": " + calls));
  }

  private static String frame(String name) {
    return JdkMapsProgram.class.getName()
        + "."
        + (name.equals("linked")
            ? "linkedHashMap"
            : name.equals("identity")
                ? "identityHashMap"
                : name.equals("weak") ? "weakHashMap" : name.equals("hashmap") ? "hashMap" : name)
        + "(";
  }

  /** The lines of one recording, looked up by the first frame of a site. */
  private static final class Recorded {
    final List<JsonNode> events;
    final List<JsonNode> sites;

    Recorded(Path rec) throws Exception {
      events = RecordingLines.events(rec);
      sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    }

    JsonNode site(String frame) {
      return sites.stream()
          .filter(s -> s.get("allocationSite").get(0).asText().contains(frame))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no site at " + frame + " in " + sites));
    }

    Map<String, Long> counters(String frame) {
      JsonNode last = last("counters", site(frame).get("site").asInt());
      Map<String, Long> values = new HashMap<>();
      last.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue().asLong()));
      return values;
    }

    JsonNode lastGauge(String frame) {
      return last("gauge", site(frame).get("site").asInt());
    }

    private JsonNode last(String type, int site) {
      JsonNode last = null;
      for (JsonNode e : events) {
        if (e.get("type").asText().equals(type) && e.get("site").asInt() == site) {
          last = e;
        }
      }
      if (last == null) {
        throw new AssertionError("no " + type + " line for site " + site);
      }
      return last;
    }
  }
}
