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
 * The release trigger trims fastutil maps with their own {@code trim()}, each in the thread that
 * writes it: at once for the asking thread's map, at the next insert for another thread's, and
 * never for a map nobody writes (pending, with the bytes it holds).
 */
class FastutilReleaseIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // 100,000 entries at fastutil's load factor of 0.75 took the table to 2^18 slots; the 1,000 kept
  // fit in 2^11.
  private static final int PEAK_SLOTS = 1 << 18;
  private static final int TRIMMED_SLOTS = 1 << 11;

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.tombscope.agent.it.FastutilIT#runs")
  void fastutilMapsTrimInTheirOwnThreadsAndIdleOnesStayPending(LibraryRun release)
      throws Exception {
    ForkedJvm run =
        release.run("out=" + tmp.resolve("rec") + ",interval=200ms", FastutilReleaseProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr());
    String line =
        run.stdout().lines().filter(l -> l.startsWith("RELEASE ")).findFirst().orElseThrow();
    JsonNode event = JSON.readTree(line.substring("RELEASE ".length()));
    assertEquals(2, event.get("mapsCompacted").asInt(), line);
    assertEquals(1, event.get("mapsPending").asInt(), line);
    assertTrue(event.get("pendingBytes").asLong() > 0, line);
    assertTrue(event.get("released").get("mapBytes").asLong() > 0, line);

    for (String name : new String[] {"own", "writer", "idle"}) {
      String map =
          run.stdout().lines().filter(l -> l.startsWith("MAP " + name + " ")).findFirst().get();
      assertEquals(0, value(map, "lost"), map);
      long size = value(map, "size");
      if (name.equals("writer")) {
        // Its inserts went on during the release (one every 50 ms), too few to grow it again.
        assertTrue(size > 1_000 && size < 1_536, map);
      } else {
        assertEquals(1_000, size, map);
      }
      assertEquals(name.equals("idle") ? PEAK_SLOTS : TRIMMED_SLOTS, value(map, "slots"), map);
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
