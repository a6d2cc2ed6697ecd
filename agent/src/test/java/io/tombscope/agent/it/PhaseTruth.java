package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Holds a recording to what a test program printed of a library's own state after each phase: lines
 * {@code PHASE <phase> <map> <idleUntilEpochMs> key=value,...}, each compared with the last {@code
 * counters} (for {@code counterKeys}) and {@code gauge} lines of the map's site stamped before the
 * program's idle pause ended.
 */
final class PhaseTruth {
  /**
   * A line is stamped when its interval starts and its counts are read after: on a loaded machine,
   * the line stamped just before the pause ended may have read the next phase's first deletes. Then
   * the lines stamped this long before the pause's end (1.5 s) are held to the phase instead.
   */
  private static final long STRADDLE_MILLIS = 500;

  private PhaseTruth() {}

  /** Checks every phase line of {@code stdout}; returns the counters line each was held to. */
  static List<JsonNode> check(
      String stdout,
      int phaseLines,
      long startEpochMs,
      List<JsonNode> events,
      List<String> counterKeys,
      ToIntFunction<String> siteOfMap) {
    List<String> phases = stdout.lines().filter(l -> l.startsWith("PHASE ")).toList();
    assertEquals(phaseLines, phases.size(), stdout);
    List<JsonNode> checked = new ArrayList<>();
    for (String line : phases) {
      String[] parts = line.split(" ");
      String phase = parts[1];
      String map = parts[2];
      long idleUntil = Long.parseLong(parts[3]) - startEpochMs;
      int site = siteOfMap.applyAsInt(map);
      Map<String, Long> truth = new LinkedHashMap<>();
      for (String kv : parts[4].split(",")) {
        int eq = kv.indexOf('=');
        truth.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
      }
      JsonNode counters = lastBefore(events, "counters", site, idleUntil);
      JsonNode gauge = lastBefore(events, "gauge", site, idleUntil);
      JsonNode earlierCounters = lastOrNull(events, "counters", site, idleUntil - STRADDLE_MILLIS);
      JsonNode earlierGauge = lastOrNull(events, "gauge", site, idleUntil - STRADDLE_MILLIS);
      if (!holds(truth, counterKeys, counters, gauge)
          && holds(truth, counterKeys, earlierCounters, earlierGauge)) {
        counters = earlierCounters;
        gauge = earlierGauge;
      }
      for (Map.Entry<String, Long> e : truth.entrySet()) {
        String key = e.getKey();
        JsonNode line2 = counterKeys.contains(key) ? counters : gauge;
        assertEquals(
            e.getValue().longValue(),
            line2.get(key).asLong(),
            phase + " " + map + " " + key + ": " + line2);
      }
      checked.add(counters);
    }
    return checked;
  }

  /** The site whose first allocation frame starts with {@code frame}. */
  static int siteOf(List<JsonNode> sites, String frame) {
    return sites.stream()
        .filter(s -> s.get("allocationSite").get(0).asText().startsWith(frame))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no site of " + frame + " in " + sites))
        .get("site")
        .asInt();
  }

  /**
   * Whether {@code counters} and {@code gauge} (either may be null) hold every key of the truth.
   */
  private static boolean holds(
      Map<String, Long> truth, List<String> counterKeys, JsonNode counters, JsonNode gauge) {
    for (Map.Entry<String, Long> e : truth.entrySet()) {
      JsonNode line = counterKeys.contains(e.getKey()) ? counters : gauge;
      if (line == null || line.get(e.getKey()).asLong() != e.getValue()) {
        return false;
      }
    }
    return true;
  }

  static JsonNode lastBefore(List<JsonNode> events, String type, int site, long t) {
    JsonNode last = lastOrNull(events, type, site, t);
    if (last == null) {
      throw new AssertionError("no " + type + " line of site " + site + " before " + t);
    }
    return last;
  }

  private static JsonNode lastOrNull(List<JsonNode> events, String type, int site, long t) {
    JsonNode last = null;
    for (JsonNode e : events) {
      if (e.get("type").asText().equals(type)
          && e.get("site").asInt() == site
          && e.get("t").asLong() <= t) {
        last = e;
      }
    }
    return last;
  }
}
