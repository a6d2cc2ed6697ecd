package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The release trigger compacts Eclipse Collections maps with their own {@code trimToSize()} (or
 * {@code compact()} before 12.0), each in the thread that writes it: at once for the asking
 * thread's map, at the next insert for another thread's, and never for a map nobody writes
 * (pending, with the bytes it holds). {@code UnifiedMap} and {@code UnifiedSet}, which keep their
 * peak table, are trimmed the same way.
 */
class EclipseReleaseIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.tombscope.agent.it.EclipseIT#runs")
  void eclipseMapsCompactInTheirOwnThreadsAndIdleOnesStayPending(LibraryRun release)
      throws Exception {
    check(release);
  }

  private void check(LibraryRun release) throws Exception {
    ForkedJvm run =
        release.run("out=" + tmp.resolve("rec") + ",interval=200ms", EclipseReleaseProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr());
    String line =
        run.stdout().lines().filter(l -> l.startsWith("RELEASE ")).findFirst().orElseThrow();
    JsonNode event = JSON.readTree(line.substring("RELEASE ".length()));
    assertEquals(4, event.get("mapsCompacted").asInt(), line);
    assertEquals(1, event.get("mapsPending").asInt(), line);
    assertTrue(event.get("pendingBytes").asLong() > 0, line);
    assertTrue(event.get("before").get("tombstones").asLong() >= 45_000, line);
    assertTrue(event.get("after").get("tombstones").asLong() <= 15_001, line);
    assertTrue(event.get("released").get("mapBytes").asLong() > 0, line);

    for (String name : new String[] {"own", "writer", "idle"}) {
      String map =
          run.stdout().lines().filter(l -> l.startsWith("MAP " + name + " ")).findFirst().get();
      assertEquals(0, value(map, "lost"), map);
      assertEquals(5_000, value(map, "size"), map);
      assertEquals(
          name.equals("idle") ? 15_000 : name.equals("writer") ? 1 : 0,
          value(map, "tombstones"),
          map);
      assertEquals(name.equals("idle") ? 65_536 : 16_384, value(map, "capacity"), map);
    }
    // UnifiedMap and UnifiedSet: trimToSize() took the tables of 20,000 down to what 5,000 need
    for (String name : new String[] {"ownUnified", "writerSet"}) {
      String map =
          run.stdout().lines().filter(l -> l.startsWith("MAP " + name + " ")).findFirst().get();
      assertEquals(5_000, value(map, "size"), map);
      assertEquals(8_192, value(map, "capacity"), map);
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
