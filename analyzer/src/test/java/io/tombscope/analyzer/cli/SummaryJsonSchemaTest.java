package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.fixture.RecordingFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of {@code summary --json} are a public contract, listed in {@code docs/summary-json.md}:
 * added to, never renamed. This test reads the key list from that document (the first cell of each
 * table row, {@code `recording.durationMs`}) and holds every summary of the frozen recordings and
 * the fixtures to it, both ways: a key the summary prints must be documented, and a documented key
 * must still be printed.
 */
class SummaryJsonSchemaTest {
  static final Path DOC = Path.of("../docs/summary-json.md");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

  /** Objects whose keys are data (an option's name, a series, a family), not schema. */
  private static final Map<String, String> DATA_KEYS =
      Map.of(
          "recording.agentOptions", "<option>",
          "latency", "<series>",
          "untracked", "<family>",
          "untracked.<family>", "<count>");

  @TempDir Path tmp;

  @Test
  void everyKeyOfTheSummaryIsDocumentedAndEveryDocumentedKeyIsThere() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher m = ROW.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertTrue(documented.size() > 50, "keys read from " + DOC + ": " + documented);

    Set<String> printed = new TreeSet<>();
    for (Path rec : recordings()) {
      CliRun run = CliRun.of("summary", "--json", rec.toString());
      assertEquals(0, run.exitCode(), run.err());
      paths(new ObjectMapper().readTree(run.out()), "", printed);
    }
    // A range read prints what it read.
    Path ranged = FrozenRecordingsTest.recordings().findFirst().orElseThrow().resolve("rec");
    CliRun range = CliRun.of("summary", "--json", ranged.toString(), "--from", "1s", "--to", "5s");
    assertEquals(0, range.exitCode(), range.err());
    paths(new ObjectMapper().readTree(range.out()), "", printed);

    Set<String> undocumented = new TreeSet<>(printed);
    undocumented.removeAll(documented);
    assertEquals(Set.of(), undocumented, "keys summary --json prints; document them in " + DOC);
    Set<String> gone = new TreeSet<>(documented);
    gone.removeAll(printed);
    assertEquals(
        Set.of(), gone, "keys " + DOC + " promises but no summary printed (never rename a key)");
  }

  private List<Path> recordings() throws IOException {
    List<Path> all = new ArrayList<>();
    FrozenRecordingsTest.recordings().forEach(v -> all.add(v.resolve("rec")));
    all.add(RecordingFixture.threeSites(tmp.resolve("three")).write());
    Path jdk = RecordingFixture.jdkSites(tmp.resolve("jdk")).write();
    // The totals of untracked JDK maps, in the last interval (before the end line).
    Path events = jdk.resolve("events.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(events));
    lines.add(
        lines.size() - 1,
        "{\"type\":\"untracked\",\"t\":5000,\"family\":\"hashmap\",\"deletes\":900,"
            + "\"deleteMisses\":40,\"resizes\":12}");
    Files.write(events, lines, StandardCharsets.UTF_8);
    all.add(jdk);
    return all;
  }

  /** Every key's path: {@code a.b} inside objects, {@code a[]} for the elements of arrays. */
  static void paths(JsonNode node, String prefix, Set<String> into) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f -> {
                String key = DATA_KEYS.getOrDefault(prefix, f.getKey());
                String path = prefix.isEmpty() ? key : prefix + "." + key;
                into.add(path);
                paths(f.getValue(), path, into);
              });
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        paths(element, prefix + "[]", into);
      }
    }
  }
}
