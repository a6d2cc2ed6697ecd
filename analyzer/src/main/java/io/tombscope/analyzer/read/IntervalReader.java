package io.tombscope.analyzer.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a recording one complete interval at a time, for work that goes through a recording in time
 * order without holding it (merging). Each file is read once, front to back; memory is one
 * interval's lines and histograms.
 *
 * <p>Assumptions and guarantees, as {@link RecordingReader}'s:
 *
 * <ol>
 *   <li>Every number is checked against {@link NumberRules}; a line that breaks a rule is skipped
 *       with a warning naming file and line.
 *   <li>An interval is returned whole, once its {@code agent} line is read; in a recording without
 *       {@code end}, the lines after the last {@code agent} line (except {@code release} lines) and
 *       the histograms that end after it are not returned, with one warning.
 *   <li>A truncated last line is a warning; anything else that is wrong is a {@link
 *       RecordingException} of one line naming file and line.
 *   <li>Not thread-safe: one thread reads one recording.
 * </ol>
 *
 * <pre>
 * try (IntervalReader in = IntervalReader.open(dir, listener)) {
 *   for (IntervalReader.Interval i; (i = in.next()) != null; ) { ... }
 * }</pre>
 */
public final class IntervalReader implements Closeable {
  /** A line of the recording with its number, for messages. */
  public record Line(long number, JsonNode node) {}

  /**
   * A histogram of the log, times in ms since the recording's start.
   *
   * @param series the tag before its last {@code /}, or the whole tag
   * @param site the site id after it, or -1 for a tag without one
   */
  public record TaggedHistogram(
      String series, int site, long startMs, long endMs, SparseHistogram histogram) {}

  /**
   * One complete interval.
   *
   * @param t its end, ms since the recording's start
   * @param agent its {@code agent} line; null for the lines an {@code end} line closed, and for the
   *     {@code release} lines after the last interval
   * @param lines its {@code counters}, {@code gauge}, {@code grow}, {@code deleteSite} and {@code
   *     untracked} lines
   * @param releases {@code release} lines written since the previous interval
   * @param histograms its histograms
   */
  public record Interval(
      long t,
      Line agent,
      List<Line> lines,
      List<Line> releases,
      List<TaggedHistogram> histograms) {}

  private final Path dir;
  private final Path eventsFile;
  private final Path hlogFile;
  private final Problems problems;
  private final Meta meta;
  private final List<Line> siteLines = new ArrayList<>();
  private final long maxT;
  private final LineReader events;
  private final LineReader hlog;
  private final long totalBytes;

  private List<Line> pending = new ArrayList<>();
  private List<Line> releases = new ArrayList<>();
  private long lastIntervalT = -1;
  private boolean ended;
  private boolean eventsDone;
  private boolean tailReturned;
  private long eventLines;

  /** A histogram read past the interval being assembled, kept for the next one. */
  private TaggedHistogram nextHistogram;

  private boolean hlogEnded;
  private long hlogTail;
  private long firstHlogTailLine;

  private IntervalReader(Path dir, ReadListener listener) throws RecordingException {
    this.dir = dir;
    this.problems = new Problems(listener);
    this.meta = RecordingReader.readMeta(dir.resolve("meta.json"), problems);
    this.maxT =
        Math.max(
            0,
            Math.min(
                NumberRules.MAX,
                System.currentTimeMillis() + RecordingReader.CLOCK_SLACK_MS - meta.startEpochMs()));
    this.eventsFile = dir.resolve("events.jsonl");
    this.hlogFile = dir.resolve("histograms.hlog");
    readSites(dir.resolve("sites.jsonl"));
    this.events = open(eventsFile);
    try {
      this.hlog = open(hlogFile);
    } catch (RecordingException e) {
      closeQuietly(events);
      throw e;
    }
    this.totalBytes = size(eventsFile) + size(hlogFile);
  }

  /** Opens the recording in {@code dir}: reads {@code meta.json} and {@code sites.jsonl}. */
  public static IntervalReader open(Path dir, ReadListener listener) throws RecordingException {
    if (!Files.isDirectory(dir)) {
      throw new RecordingException(
          dir, 0, Files.exists(dir) ? "not a directory" : "no such recording directory");
    }
    return new IntervalReader(dir, listener);
  }

  public Path directory() {
    return dir;
  }

  public Meta meta() {
    return meta;
  }

  /** The lines of {@code sites.jsonl} that passed the checks, each with a {@code site} id. */
  public List<Line> siteLines() {
    return siteLines;
  }

  /** Whether the recording's {@code end} line was read (so far). */
  public boolean ended() {
    return ended;
  }

  /** Bytes of {@code events.jsonl} and {@code histograms.hlog} read so far. */
  public long bytesRead() {
    return events.bytesRead() + hlog.bytesRead();
  }

  public long totalBytes() {
    return totalBytes;
  }

  public long skippedLines() {
    return problems.skippedLines();
  }

  /** The warnings, once the reading is done. */
  public List<String> warnings() {
    return problems.finish();
  }

  /** The next complete interval, or null after the last. */
  public Interval next() throws RecordingException {
    try {
      while (!eventsDone) {
        String text = events.next();
        if (text == null) {
          eventsDone = true;
          break;
        }
        Interval done = line(text);
        if (done != null) {
          return done;
        }
      }
      return tail();
    } catch (IOException e) {
      throw new RecordingException(eventsFile, 0, "cannot read: " + e.getMessage());
    }
  }

  private Interval line(String text) throws IOException, RecordingException {
    long number = events.lineNumber();
    if (events.tooLong()) {
      problems.skip(eventsFile, number, "longer than 1 MiB, no line of the format is");
      return null;
    }
    if (text.isBlank()) {
      return null;
    }
    eventLines++;
    JsonNode node = parse(events, eventsFile, text, number);
    if (node == null) {
      eventsDone = true;
      return null;
    }
    JsonNode typeNode = node.get("type");
    String problem = NumberRules.problem(node, maxT);
    if (problem == null && (typeNode == null || !typeNode.isTextual())) {
      problem = "an event without \"type\"";
    }
    if (problem == null && !node.path("t").isIntegralNumber()) {
      problem = "\"t\" is missing";
    }
    if (problem != null) {
      problems.skip(eventsFile, number, problem);
      return null;
    }
    String type = typeNode.asText();
    long t = node.get("t").asLong();
    switch (type) {
      case "counters", "gauge", "grow", "deleteSite", "untracked" -> {
        if (!type.equals("untracked") && !node.path("site").isIntegralNumber()) {
          problems.skip(eventsFile, number, "\"site\" is missing");
          return null;
        }
        if (pending.size() >= RecordingReader.MAX_INTERVAL_LINES) {
          throw new RecordingException(
              eventsFile,
              number,
              String.format(
                  Locale.ROOT,
                  "more than %,d lines in one interval, the most this analyzer holds",
                  RecordingReader.MAX_INTERVAL_LINES));
        }
        pending.add(new Line(number, node));
        return null;
      }
      case "agent" -> {
        if (t < lastIntervalT) {
          problems.skip(
              eventsFile,
              number,
              "\"t\" is " + t + ", before the last interval's " + lastIntervalT);
          return null;
        }
        lastIntervalT = t;
        return interval(t, new Line(number, node));
      }
      case "release" -> {
        releases.add(new Line(number, node));
        return null;
      }
      case "end" -> {
        ended = true;
        eventsDone = true;
        return pending.isEmpty() && releases.isEmpty()
            ? null
            : interval(Math.max(t, lastIntervalT), null);
      }
      default -> {
        // A newer agent's event type: ignored by contract.
        return null;
      }
    }
  }

  private Interval interval(long t, Line agent) throws RecordingException {
    List<TaggedHistogram> histograms = histogramsUntil(ended ? Long.MAX_VALUE : t);
    Interval i = new Interval(t, agent, pending, releases, histograms);
    pending = new ArrayList<>();
    releases = new ArrayList<>();
    return i;
  }

  /** After the last line: the releases after the last interval, and the end's warnings. */
  private Interval tail() throws RecordingException {
    if (tailReturned) {
      return null;
    }
    tailReturned = true;
    if (eventLines == 0) {
      throw new RecordingException(eventsFile, 0, "empty: the recording holds no events");
    }
    if (!pending.isEmpty()) {
      problems.skipped(pending.size());
      problems.warn(
          eventsFile
              + ":"
              + pending.get(0).number()
              + ": "
              + pending.size()
              + " line(s) from here on are an interval the agent did not finish writing (it"
              + " stopped mid-flush): not used");
      pending = new ArrayList<>();
    }
    if (!ended) {
      // Histograms after the last complete interval belong to the one cut off.
      if (nextHistogram != null) {
        countHlogTail(0);
        nextHistogram = null;
      }
      histogramsUntil(-1);
    }
    if (hlogTail > 0) {
      problems.skipped(hlogTail);
      problems.warn(
          hlogFile
              + ":"
              + firstHlogTailLine
              + ": "
              + hlogTail
              + " histogram(s) of an interval the agent did not finish writing: not used");
    }
    if (releases.isEmpty()) {
      return null;
    }
    long t = 0;
    for (Line r : releases) {
      t = Math.max(t, r.node().get("t").asLong());
    }
    Interval i = new Interval(Math.max(t, lastIntervalT), null, List.of(), releases, List.of());
    releases = new ArrayList<>();
    return i;
  }

  private void countHlogTail(long line) {
    if (hlogTail++ == 0) {
      firstHlogTailLine = line;
    }
  }

  /**
   * The histograms that end by {@code untilT} (ms since start; written with millisecond precision,
   * so start and length may each round half a ms). With {@code untilT} negative, the rest of the
   * log is read and counted as an unfinished interval's.
   */
  private List<TaggedHistogram> histogramsUntil(long untilT) throws RecordingException {
    List<TaggedHistogram> out = new ArrayList<>();
    if (nextHistogram != null) {
      if (nextHistogram.endMs() > untilT + 1.5) {
        return out;
      }
      out.add(nextHistogram);
      nextHistogram = null;
    }
    try {
      for (String text; !hlogEnded && (text = hlog.next()) != null; ) {
        long line = hlog.lineNumber();
        if (hlog.tooLong()) {
          problems.skip(hlogFile, line, "longer than 1 MiB, no histogram line is");
          continue;
        }
        if (text.isEmpty() || text.startsWith("#") || text.startsWith("\"StartTimestamp\"")) {
          continue;
        }
        TaggedHistogram h = histogram(text, line);
        if (h == null) {
          continue;
        }
        if (untilT < 0) {
          countHlogTail(line);
          continue;
        }
        if (h.endMs() > untilT + 1.5) {
          nextHistogram = h;
          break;
        }
        out.add(h);
      }
    } catch (IOException e) {
      throw new RecordingException(hlogFile, 0, "cannot read: " + e.getMessage());
    }
    return out;
  }

  /** One histogram line, or null when it is skipped (with a warning) or a truncated tail. */
  private TaggedHistogram histogram(String text, long line) throws IOException, RecordingException {
    String tag;
    double startSeconds;
    double lengthSeconds;
    SparseHistogram h;
    try {
      HistogramLog.Entry entry = HistogramLog.Entry.parse(text, hlog.utf8());
      tag = entry.tag();
      startSeconds = entry.startSeconds();
      lengthSeconds = entry.lengthSeconds();
      h = HistogramDecoder.decodeSparse(entry.encoded());
    } catch (HistogramDecoder.Bad e) {
      if (e.insane) {
        problems.skip(hlogFile, line, e.getMessage());
        return null;
      }
      if (!hlog.terminated() || hlog.next() == null) {
        problems.truncated(hlogFile, line);
        hlogEnded = true;
        return null;
      }
      throw new RecordingException(hlogFile, line, e.getMessage());
    }
    double endMs = (startSeconds + lengthSeconds) * 1000;
    if (!(startSeconds >= 0 && lengthSeconds >= 0 && endMs <= maxT)) {
      problems.skip(
          hlogFile,
          line,
          String.format(
              Locale.ROOT,
              "interval from %.3f s lasting %.3f s is not within the recording",
              startSeconds,
              lengthSeconds));
      return null;
    }
    String series = tag == null ? "" : tag;
    int site = -1;
    int slash = series.lastIndexOf('/');
    if (slash >= 0) {
      try {
        site = Integer.parseInt(series.substring(slash + 1));
        series = series.substring(0, slash);
      } catch (NumberFormatException e) {
        // A tag of another tool: kept whole, without a site.
      }
    }
    return new TaggedHistogram(series, site, Math.round(startSeconds * 1000), Math.round(endMs), h);
  }

  private void readSites(Path file) throws RecordingException {
    try (LineReader in = open(file)) {
      for (String text; (text = in.next()) != null; ) {
        long number = in.lineNumber();
        if (in.tooLong()) {
          problems.skip(file, number, "longer than 1 MiB, no line of the format is");
          continue;
        }
        if (text.isBlank()) {
          continue;
        }
        JsonNode node = parse(in, file, text, number);
        if (node == null) {
          break;
        }
        String problem = NumberRules.problem(node, maxT);
        if (problem == null && !node.path("site").isIntegralNumber()) {
          problem = "\"site\" is missing";
        }
        if (problem != null) {
          problems.skip(file, number, problem);
          continue;
        }
        if (siteLines.size() >= RecordingReader.MAX_SITES) {
          throw new RecordingException(
              file,
              number,
              String.format(
                  Locale.ROOT,
                  "more than %,d allocation sites, the most this analyzer holds",
                  RecordingReader.MAX_SITES));
        }
        siteLines.add(new Line(number, node));
      }
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  /**
   * {@code text} as a JSON object, or null when it is a truncated last line (with a warning); a
   * line that does not parse in the middle of the file is an error.
   */
  private JsonNode parse(LineReader in, Path file, String text, long number)
      throws IOException, RecordingException {
    return RecordingReader.jsonLine(in, file, text, number, problems);
  }

  private static LineReader open(Path file) throws RecordingException {
    if (!Files.exists(file)) {
      throw new RecordingException(file, 0, "missing");
    }
    try {
      return new LineReader(file);
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Nothing was written through it.
    }
  }

  @Override
  public void close() {
    closeQuietly(events);
    closeQuietly(hlog);
  }
}
