package io.tombscope.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tombscope.format.CompactDecoder;
import io.tombscope.format.Segments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording's events and histograms as tests read them, whatever the format: every event line as
 * one JSON object with absolute values and its {@code t} (format 2's compact lines decoded), and
 * the histogram log as one plain file, the way {@code docs/recording-format.md} says to give it to
 * HdrHistogram's own tools.
 */
final class RecordingLines {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordingLines() {}

  /** Every event of the recording in {@code rec}, in order. */
  static List<JsonNode> events(Path rec) throws IOException {
    Path plain = rec.resolve("events.jsonl");
    if (Files.exists(plain)) {
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : Files.readAllLines(plain)) {
        nodes.add(JSON.readTree(line));
      }
      return nodes;
    }
    List<JsonNode> nodes = new ArrayList<>();
    for (Path segment : Segments.list(rec, Segments.EVENTS)) {
      CompactDecoder compact = new CompactDecoder(1 << 14);
      // Compact lines carry the t of their interval: the agent line that ends it.
      List<ObjectNode> waiting = new ArrayList<>();
      java.util.Map<Integer, JsonNode> stacks = new java.util.HashMap<>();
      for (String line : lines(segment)) {
        if (CompactDecoder.isCompact(line)) {
          CompactDecoder.Line c = compact.decode(line);
          ObjectNode node = JSON.createObjectNode().put("type", c.type()).put("t", -1);
          if (c.type().equals("deleteSite")) {
            stacks.get(c.site()).fields().forEachRemaining(f -> node.set(f.getKey(), f.getValue()));
            node.put("type", "deleteSite").put("t", -1).remove("id");
          } else {
            node.put("site", c.site());
          }
          for (int i = 0; i < c.keys().size(); i++) {
            node.put(c.keys().get(i), c.values()[i]);
          }
          waiting.add(node);
          nodes.add(node);
          continue;
        }
        JsonNode node = JSON.readTree(line);
        String type = node.path("type").asText();
        if (type.equals("columns")) {
          List<String> keys = new ArrayList<>();
          node.path("keys").forEach(k -> keys.add(k.asText()));
          compact.columns(node.path("id").asLong(), keys);
          continue;
        }
        if (type.equals("stack")) {
          stacks.put(node.path("id").asInt(), node);
          continue;
        }
        if (type.equals("agent") || type.equals("end")) {
          waiting.forEach(w -> w.put("t", node.path("t").asLong()));
          waiting.clear();
        }
        nodes.add(node);
      }
    }
    return nodes;
  }

  /** The event lines of the recording in {@code rec} as written, compact ones included. */
  static List<String> texts(Path rec) throws IOException {
    Path plain = rec.resolve("events.jsonl");
    if (Files.exists(plain)) {
      return Files.readAllLines(plain);
    }
    List<String> all = new ArrayList<>();
    for (Path segment : Segments.list(rec, Segments.EVENTS)) {
      all.addAll(lines(segment));
    }
    return all;
  }

  /** The first events file of the recording in {@code rec}, whatever the format. */
  static Path firstEventsFile(Path rec) {
    Path plain = rec.resolve("events.jsonl");
    return Files.exists(plain) ? plain : rec.resolve(Segments.name(Segments.EVENTS, 0));
  }

  /** The lines of {@code file}, decompressed as far as they go. */
  static List<String> lines(Path file) throws IOException {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(Segments.open(file), StandardCharsets.UTF_8))) {
      return in.lines().toList();
    }
  }

  /**
   * The histogram log as one plain file: {@code histograms.hlog}, or format 2's segments
   * decompressed one after another into {@code into} ({@code gzip -dc histograms-*.hlog.gz}).
   */
  static Path histogramLog(Path rec, Path into) throws IOException {
    Path plain = rec.resolve("histograms.hlog");
    if (Files.exists(plain)) {
      return plain;
    }
    try (OutputStream out = Files.newOutputStream(into)) {
      for (Path segment : Segments.list(rec, Segments.HISTOGRAMS)) {
        try (InputStream in = Segments.open(segment)) {
          in.transferTo(out);
        }
      }
    }
    return into;
  }
}
