package io.tombscope.benchmarks.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tombscope.format.CompactDecoder;
import io.tombscope.format.Segments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The event lines of a recording, enough for the benchmarks to check that the agent really recorded
 * and to read its own health line ({@code docs/recording-format.md}).
 */
final class RecordingEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> events;

  private RecordingEvents(List<JsonNode> events) {
    this.events = events;
  }

  /**
   * Reads {@code recording/events.jsonl}, or the segments of a format 2 recording one after
   * another, compact {@code counters}, {@code gauge} and {@code deleteSite} lines decoded (their
   * numbers only, under {@code site}: enough for the benchmarks). A last line that does not parse
   * is a tail cut short by the writer and is left out, as the format allows; a bad line before it
   * is an error.
   *
   * @throws UncheckedIOException naming the file if it cannot be read
   * @throws IllegalStateException naming file and line for a bad line that is not the last
   */
  static RecordingEvents read(Path recording) {
    Path plain = recording.resolve("events.jsonl");
    List<Path> files;
    try {
      files =
          Files.exists(plain) || !Files.isDirectory(recording)
              ? List.of(plain)
              : Segments.list(recording, Segments.EVENTS);
      if (files.isEmpty()) {
        files = List.of(plain);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + recording + ": " + e.getMessage(), e);
    }
    List<JsonNode> events = new ArrayList<>();
    for (Path file : files) {
      List<String> lines;
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(Segments.open(file), StandardCharsets.UTF_8))) {
        lines = in.lines().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      } catch (UncheckedIOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e.getCause());
      }
      CompactDecoder compact = new CompactDecoder(1 << 14);
      for (int i = 0; i < lines.size(); i++) {
        try {
          if (CompactDecoder.isCompact(lines.get(i))) {
            CompactDecoder.Line c = compact.decode(lines.get(i));
            ObjectNode node = JSON.createObjectNode().put("type", c.type()).put("site", c.site());
            for (int k = 0; k < c.keys().size(); k++) {
              node.put(c.keys().get(k), c.values()[k]);
            }
            events.add(node);
            continue;
          }
          JsonNode node = JSON.readTree(lines.get(i));
          if (node.path("type").asText().equals("columns")) {
            List<String> keys = new ArrayList<>();
            node.path("keys").forEach(k -> keys.add(k.asText()));
            compact.columns(node.path("id").asLong(), keys);
          } else {
            events.add(node);
          }
        } catch (JsonProcessingException | IllegalArgumentException e) {
          if (i == lines.size() - 1) {
            break;
          }
          throw new IllegalStateException(
              file + ":" + (i + 1) + ": not a line of the format: " + e.getMessage());
        }
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
