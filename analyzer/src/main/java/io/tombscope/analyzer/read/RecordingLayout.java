package io.tombscope.analyzer.read;

import io.tombscope.format.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a recording's events and histograms are, by format: format 1 has one {@code events.jsonl}
 * and one {@code histograms.hlog}; format 2 has segments ({@link Segments}), each read on its own.
 * Both read through {@link Segments#open}, as plain lines.
 */
public final class RecordingLayout {
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
