package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release trigger never compacts JCTools maps, whoever owns them: it measures their dead keys
 * before and after, and reports every one pending with the table bytes a new map would save.
 */
class JctoolsReleaseIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void jctoolsMapsAreReportedPendingAndLeftAsTheyAre() throws Exception {
    ForkedJvm run =
        ForkedJvm.run("out=" + tmp.resolve("rec") + ",interval=200ms", JctoolsReleaseProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr());
    String line =
        run.stdout().lines().filter(l -> l.startsWith("RELEASE ")).findFirst().orElseThrow();
    JsonNode event = JSON.readTree(line.substring("RELEASE ".length()));
    assertEquals(0, event.get("mapsCompacted").asInt(), line);
    assertEquals(3, event.get("mapsPending").asInt(), line);
    // The tables would not be smaller for a new map of 5,000 entries: the bytes at stake are the
    // dead keys' own objects, which pendingBytes (table bytes) does not count.
    assertEquals(0, event.get("pendingBytes").asLong(), line);
    assertEquals(45_000, event.get("before").get("tombstones").asLong(), line);
    assertEquals(45_000, event.get("after").get("tombstones").asLong(), line);

    for (String name : new String[] {"own", "writer", "idle"}) {
      String map =
          run.stdout().lines().filter(l -> l.startsWith("MAP " + name + " ")).findFirst().get();
      assertEquals(0, value(map, "lost"), map);
      assertEquals(5_000, value(map, "size"), map);
      assertEquals(15_000, value(map, "deadKeys"), map);
    }
  }

  private static long value(String line, String key) {
    return Arrays.stream(line.split(" "))
        .filter(p -> p.startsWith(key + "="))
        .mapToLong(p -> Long.parseLong(p.substring(key.length() + 1)))
        .findFirst()
        .orElseThrow();
  }
}
