package io.tombscope.benchmarks.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code events.jsonl} lines of a recording, enough for the benchmarks to check that the agent
 * really recorded and to read its own health line ({@code docs/recording-format.md}).
 */
final class RecordingEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> events;

  private RecordingEvents(List<JsonNode> events) {
    this.events = events;
  }

  /**
   * Reads {@code recording/events.jsonl}. A last line that does not parse is a tail cut short by
   * the writer and is left out, as the format allows; a bad line before it is an error.
   *
   * @throws UncheckedIOException naming the file if it cannot be read
   * @throws IllegalStateException naming file and line for a bad line that is not the last
   */
  static RecordingEvents read(Path recording) {
    Path file = recording.resolve("events.jsonl");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<JsonNode> events = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      try {
        events.add(JSON.readTree(lines.get(i)));
      } catch (JsonProcessingException e) {
        if (i == lines.size() - 1) {
          break;
        }
        throw new IllegalStateException(
            file + ":" + (i + 1) + ": not a JSON object: " + e.getOriginalMessage());
      }
    }
    return new RecordingEvents(events);
  }

  /** Every event of {@code type}, in file order. */
  List<JsonNode> ofType(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode e : events) {
      if (type.equals(e.path("type").asText())) {
        out.add(e);
      }
    }
    return out;
  }

  /** The last event of {@code type}, or null if there is none. */
  JsonNode last(String type) {
    List<JsonNode> all = ofType(type);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** The exact number of delete hits over all sites: the last cumulative counters of each. */
  long deleteHits() {
    java.util.Map<Integer, Long> bySite = new java.util.HashMap<>();
    for (JsonNode c : ofType("counters")) {
      bySite.put(c.path("site").asInt(), c.path("deleteHits").asLong());
    }
    return bySite.values().stream().mapToLong(Long::longValue).sum();
  }
}
