package io.tombscope.analyzer.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fleet.jsonl} of a merged recording ({@code docs/recording-format.md}, "Merged
 * recordings"): each JVM, and what each JVM did at each site. Lines that break the format's number
 * rules are skipped; a recording without the file is no merge ({@link #read} gives null).
 *
 * @param jvms by their number in the merge
 * @param sites per merged site id, per JVM number, that JVM's numbers there
 */
public record FleetFile(List<Jvm> jvms, Map<Integer, Map<Integer, SiteNumbers>> sites) {
  /** The most lines read: sites × JVMs of the merges the analyzer reads. */
  static final int MAX_LINES = 1 << 20;

  /** One JVM of the merge. */
  public record Jvm(int number, String source, long pid, long intervals, boolean ended) {
    /** The last name of its recording directory, for tables. */
    public String name() {
      int slash = source.lastIndexOf('/');
      return slash < 0 || slash == source.length() - 1 ? source : source.substring(slash + 1);
    }
  }

  /** One JVM's last counters and highest gauges at one site. */
  public record SiteNumbers(Map<String, Long> counters, Map<String, Long> gaugeMax) {
    public long counter(String key) {
      return counters.getOrDefault(key, 0L);
    }

    public long gaugeMax(String key) {
      return gaugeMax.getOrDefault(key, 0L);
    }
  }

  /**
   * Reads {@code dir}'s {@code fleet.jsonl}, or gives null when it has none or it is unreadable.
   */
  public static FleetFile read(Path dir) {
    Path file = dir.resolve("fleet.jsonl");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    List<Jvm> jvms = new ArrayList<>();
    Map<Integer, Map<Integer, SiteNumbers>> sites = new LinkedHashMap<>();
    Problems ignored = new Problems(ReadListener.NONE);
    try (LineReader in = new LineReader(file)) {
      int lines = 0;
      for (String text; (text = in.next()) != null && lines++ < MAX_LINES; ) {
        if (text.isBlank() || in.tooLong()) {
          continue;
        }
        JsonNode n;
        try {
          n = RecordingReader.jsonLine(in, file, text, in.lineNumber(), ignored);
        } catch (RecordingException e) {
          continue;
        }
        if (n == null) {
          break;
        }
        if (NumberRules.problem(n.path("counters"), NumberRules.MAX) != null
            || NumberRules.problem(n.path("gaugeMax"), NumberRules.MAX) != null
            || !n.path("jvm").canConvertToInt()
            || n.path("jvm").asInt() < 0) {
          continue;
        }
        int jvm = n.path("jvm").asInt();
        switch (n.path("type").asText()) {
          case "jvm" ->
              jvms.add(
                  new Jvm(
                      jvm,
                      Printable.clean(n.path("source").asText("JVM " + jvm)),
                      Math.max(0, n.path("pid").asLong()),
                      Math.max(0, n.path("intervals").asLong()),
                      n.path("ended").asBoolean()));
          case "site" -> {
            if (n.path("site").canConvertToInt()) {
              sites
                  .computeIfAbsent(n.path("site").asInt(), k -> new HashMap<>())
                  .put(
                      jvm,
                      new SiteNumbers(numbers(n.path("counters")), numbers(n.path("gaugeMax"))));
            }
          }
          default -> {
            // A later merge's line: ignored by contract.
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
    return jvms.isEmpty() ? null : new FleetFile(List.copyOf(jvms), sites);
  }

  private static Map<String, Long> numbers(JsonNode object) {
    Map<String, Long> m = new HashMap<>();
    object
        .fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isIntegralNumber()) {
                m.put(f.getKey(), f.getValue().asLong());
              }
            });
    return m;
  }

  /** The JVM of number {@code n}, or null. */
  public Jvm jvm(int n) {
    for (Jvm j : jvms) {
      if (j.number() == n) {
        return j;
      }
    }
    return null;
  }
}
