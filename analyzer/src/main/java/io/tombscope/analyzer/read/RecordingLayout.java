package io.tombscope.analyzer.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.format.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a recording's events and histograms are, by format: format 1 has one {@code events.jsonl}
 * and one {@code histograms.hlog}; format 2 has segments ({@link Segments}), each read on its own.
 * Both read through {@link Segments#open}, as plain lines.
 */
public final class RecordingLayout {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Path> events;
  private final List<Path> histograms;
  private final boolean segmented;

  private RecordingLayout(List<Path> events, List<Path> histograms, boolean segmented) {
    this.events = events;
    this.histograms = histograms;
    this.segmented = segmented;
  }

  /** The files of the recording in {@code dir} of format {@code format} (1 or 2). */
  public static RecordingLayout of(Path dir, int format) throws RecordingException {
    if (format < 2) {
      return new RecordingLayout(
          List.of(dir.resolve("events.jsonl")), List.of(dir.resolve("histograms.hlog")), false);
    }
    try {
      List<Path> events = Segments.list(dir, Segments.EVENTS);
      if (events.isEmpty()) {
        throw new RecordingException(
            dir.resolve(Segments.name(Segments.EVENTS, 0)),
            0,
            "missing: the recording has no segment");
      }
      return new RecordingLayout(events, Segments.list(dir, Segments.HISTOGRAMS), true);
    } catch (IOException e) {
      throw new RecordingException(dir, 0, "cannot list: " + e.getMessage());
    }
  }

  /**
   * The files that hold the intervals ending in ({@code fromMs}, {@code toMs}] and the state the
   * first of them starts from: of format 2, the segments from the last one whose first interval
   * ends no later than {@code fromMs} (every segment restates the counters, gauges and call sites
   * in its first interval) up to the last one whose first interval ends no later than {@code toMs};
   * a segment whose first interval cannot be read is kept. Format 1's one file is all of it.
   */
  public RecordingLayout within(long fromMs, long toMs) {
    if (!segmented || (fromMs <= 0 && toMs == Long.MAX_VALUE)) {
      return this;
    }
    int first = 0;
    int last = events.size() - 1;
    for (int i = 0; i < events.size(); i++) {
      long t = firstIntervalT(events.get(i));
      if (t >= 0 && t <= fromMs) {
        first = i;
      }
      if (t > toMs && i > 0) {
        last = i - 1;
        break;
      }
    }
    List<Path> ev = events.subList(first, last + 1);
    List<Path> hist = new ArrayList<>();
    for (Path h : histograms) {
      for (Path e : ev) {
        if (number(h) == number(e)) {
          hist.add(h);
        }
      }
    }
    return new RecordingLayout(List.copyOf(ev), List.copyOf(hist), true);
  }

  /** The segment number in a segment file's name. */
  private static long number(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
  }

  /**
   * The {@code t} of the first {@code agent} line of an events segment (its first interval's end),
   * or -1 if it has none that reads.
   */
  static long firstIntervalT(Path file) {
    try (LineReader in = new LineReader(Segments.open(file))) {
      for (String text; (text = in.next()) != null; ) {
        if (text.startsWith("{") && text.contains("\"agent\"")) {
          JsonNode node = JSON.readTree(text);
          if (node != null
              && "agent".equals(node.path("type").asText())
              && node.path("t").canConvertToLong()) {
            return node.path("t").asLong();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable: the segment is kept, and its reader says what is wrong with it.
    }
    return -1;
  }

  /** Whether an events file holds the {@code end} line, without reading anything else of it. */
  static boolean endsWithEnd(Path file) {
    try (LineReader in = new LineReader(Segments.open(file))) {
      while (in.nextRaw()) {
        byte[] b = in.bytes();
        // Only a JSON line that names "end" is parsed.
        if (in.to() > in.from()
            && in.to() - in.from() < 200
            && b[in.from()] == '{'
            && in.text().contains("\"end\"")) {
          JsonNode node = JSON.readTree(in.text());
          if (node != null && "end".equals(node.path("type").asText())) {
            return true;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable: no end line that counts.
    }
    return false;
  }

  /** The events files, in order (segment 0 first). */
  public List<Path> events() {
    return events;
  }

  /** The histogram logs, in order. */
  public List<Path> histograms() {
    return histograms;
  }

  /** Whether the files are segments: compressed, and each read on its own. */
  public boolean segmented() {
    return segmented;
  }

  /** The bytes on disk of every events and histogram file. */
  public long bytes() {
    long sum = 0;
    for (Path p : events) {
      sum += size(p);
    }
    for (Path p : histograms) {
      sum += size(p);
    }
    return sum;
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
