package io.tombscope.analyzer.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tombscope.format.CompactDecoder;
import io.tombscope.format.Segments;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a recording one complete interval at a time, for work that goes through a recording in time
 * order without holding it (merging). Each file is read once, front to back; memory is one
 * interval's lines and histograms. Both formats read: format 2's segments one after another, its
 * compact lines as their numbers ({@link Compact}), never made into JSON objects.
 *
 * <p>Assumptions and guarantees, as {@link RecordingReader}'s:
 *
 * <ol>
 *   <li>Every number is checked against {@link NumberRules}; a line that breaks a rule is skipped
 *       with a warning naming file and line.
 *   <li>An interval is returned whole, once its {@code agent} line is read; in a recording without
 *       {@code end}, the lines after the last {@code agent} line (except {@code release} lines) and
 *       the histograms that end after it are not returned, with one warning; so are the lines of a
 *       segment after its last {@code agent} line. The last period's histograms that only format
 *       2's {@code histograms-tail.hlog} holds come after the last interval, in one of their own at
 *       its {@code t}, chosen as {@link RecordingReader} chooses them.
 *   <li>A truncated last line is a warning. A format 2 segment that is corrupt (not gzip, or a line
 *       in its middle that does not read) costs the rest of that segment and one warning naming the
 *       file and line; the other segments are read. Anything else that is wrong is a {@link
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
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A JSON line of the recording with its number, for messages. */
  public record Line(long number, JsonNode node) {}

  /**
   * A delete call stack that a format 2 segment declared.
   *
   * @param declaration its {@code stack} line
   * @param key what names the stack whatever its id ({@link #stackKey})
   */
  public record Stack(JsonNode declaration, int site, String key) {}

  /**
   * A compact {@code counters}, {@code gauge} or {@code deleteSite} line of format 2, decoded: the
   * numbers of the JSON object it stands for, without {@code t} (its interval's).
   *
   * @param site the site; of a {@code deleteSite} line, its stack's
   * @param stack of a {@code deleteSite} line, its stack; else null
   * @param keys its columns' keys, one list shared by every line of those columns in the segment
   * @param values its numbers, in the order of {@code keys}
   */
  public record Compact(
      long number, String type, int site, Stack stack, List<String> keys, long[] values) {}

  /**
   * A histogram of the log, times in ms since the recording's start, as its non-zero counts: by
   * index of the layout the agent writes (lowest trackable value 1, 2 significant digits; {@link
   * #valueAt}), or, of another layout, as {@code other}.
   *
   * @param series the tag before its last {@code /}, or the whole tag
   * @param site the site id after it, or -1 for a tag without one
   * @param indices of the agent's layout, the indexes of its counts; empty for {@code other}
   * @param other a histogram of another layout, or null
   */
  public record TaggedHistogram(
      String series,
      int site,
      long startMs,
      long endMs,
      int[] indices,
      long[] counts,
      SparseHistogram other) {}

  /** The lowest value that index {@code index} of the agent's layout stands for. */
  public static long valueAt(int index) {
    return HistogramCounts.valueAt(index);
  }

  /**
   * One complete interval.
   *
   * @param file the events file its lines are in
   * @param t its end, ms since the recording's start
   * @param agent its {@code agent} line; null for the lines an {@code end} line closed, and for the
   *     {@code release} lines after the last interval
   * @param lines its JSON {@code counters}, {@code gauge}, {@code grow}, {@code deleteSite} and
   *     {@code untracked} lines
   * @param compact its compact lines (format 2)
   * @param releases {@code release} lines written since the previous interval
   * @param histograms its histograms
   */
  public record Interval(
      Path file,
      long t,
      Line agent,
      List<Line> lines,
      List<Compact> compact,
      List<Line> releases,
      List<TaggedHistogram> histograms) {}

  private final Path dir;
  private final Problems problems;
  private final Meta meta;
  private final List<Line> siteLines = new ArrayList<>();
  private final long maxT;
  private final boolean segmented;
  private final LineFiles events;
  private final LineFiles hlog;
  private final long totalBytes;
  private final HistogramCounts.Decoder decoder = new HistogramCounts.Decoder();

  /** Format 2: the current events segment's columns, their keys' ranges, and its stacks. */
  private CompactDecoder compact;

  private long[][] lowest = new long[CompactDecoder.MAX_COLUMN_SETS][];
  private long[][] highest = new long[CompactDecoder.MAX_COLUMN_SETS][];
  private final Map<Integer, Stack> stacks = new HashMap<>();

  private List<Line> pending = new ArrayList<>();
  private List<Compact> pendingCompact = new ArrayList<>();
  private List<Line> releases = new ArrayList<>();

  /** The file of the lines pending: an interval never spans two. */
  private Path pendingFile;

  private long lastIntervalT = -1;
  private boolean ended;
  private boolean eventsDone;
  private boolean tailReturned;

  /** The interval of the releases after the last, when the histogram tail's went before it. */
  private Interval trailing;

  /** The latest end (ms since the start) of a histogram of the log given in an interval. */
  private double lastHistogramEndMs = Double.NEGATIVE_INFINITY;

  private long eventLines;

  /** A histogram read past the interval being assembled, kept for the next one. */
  private TaggedHistogram nextHistogram;

  private boolean hlogEnded;
  private long hlogTail;
  private long firstHlogTailLine;
  private Path firstHlogTailFile;

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
    readSites(dir.resolve("sites.jsonl"));
    RecordingLayout layout = RecordingLayout.of(dir, meta.format());
    this.segmented = layout.segmented();
    this.events = new LineFiles(layout.events());
    this.hlog = new LineFiles(layout.histograms());
    this.totalBytes = layout.bytes();
  }

  /** Opens the recording in {@code dir}: reads {@code meta.json} and {@code sites.jsonl}. */
  public static IntervalReader open(Path dir, ReadListener listener) throws RecordingException {
    if (!Files.isDirectory(dir)) {
      throw new RecordingException(
          dir, 0, Files.exists(dir) ? "not a directory" : "no such recording directory");
    }
    return new IntervalReader(dir, listener);
  }

  /**
   * What names a delete call stack, whatever its id or segment: its frame, its callers and its
   * program frame ({@code deleteSite} and {@code stack} lines alike).
   */
  public static String stackKey(JsonNode line) {
    ArrayNode key = JSON.createArrayNode();
    key.add(line.path("frame").asText("(unknown)"));
    line.path("callers").forEach(key::add);
    key.add(line.path("appFrame").asText(""));
    return key.toString();
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

  /** Bytes of the events and histogram files read so far (of the files as they are on disk). */
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
        if (!events.nextLine()) {
          eventsDone = true;
          break;
        }
        if (events.fileStarted()) {
          newSegment();
        }
        Interval done = line();
        if (done != null) {
          return done;
        }
      }
      return tail();
    } catch (IOException e) {
      throw new RecordingException(events.file(), 0, "cannot read: " + e.getMessage());
    }
  }

  /**
   * Every segment declares its own columns and stacks, and its values start from 0; lines that an
   * {@code agent} line of the segment before did not close are an unfinished interval.
   */
  private void newSegment() {
    if (segmented) {
      dropUnfinished();
      compact = new CompactDecoder(RecordingReader.MAX_SITES);
      Arrays.fill(lowest, null);
      Arrays.fill(highest, null);
    }
    stacks.clear();
  }

  private Interval line() throws IOException, RecordingException {
    LineReader in = events.reader();
    Path file = events.file();
    long number = in.lineNumber();
    if (in.tooLong()) {
      problems.skip(file, number, "longer than 1 MiB, no line of the format is");
      return null;
    }
    if (RecordingReader.blank(in)) {
      return null;
    }
    eventLines++;
    try {
      if (compact != null && CompactDecoder.isCompact(in.bytes(), in.from(), in.to())) {
        compactLine(in, file, number);
        return null;
      }
      return jsonLine(json(in), file, number);
    } catch (IllegalArgumentException e) {
      if (!in.terminated() || in.next() == null) {
        problems.truncated(file, number);
      } else if (segmented) {
        corruptSegment(file, number, e.getMessage());
        dropCut();
      } else {
        throw new RecordingException(file, number, e.getMessage());
      }
      events.skipFile();
      return null;
    }
  }

  private Interval jsonLine(JsonNode node, Path file, long number) throws RecordingException {
    JsonNode typeNode = node.get("type");
    String problem = NumberRules.problem(node, maxT);
    if (problem == null && (typeNode == null || !typeNode.isTextual())) {
      problem = "an event without \"type\"";
    }
    if (problem == null && compact != null && "columns".equals(typeNode.asText())) {
      problem = columns(node);
      if (problem == null) {
        return null;
      }
    }
    if (problem == null && compact != null && "stack".equals(typeNode.asText())) {
      problem = stack(node);
      if (problem == null) {
        return null;
      }
    }
    if (problem == null && !node.path("t").isIntegralNumber()) {
      problem = "\"t\" is missing";
    }
    if (problem != null) {
      problems.skip(file, number, problem);
      return null;
    }
    String type = typeNode.asText();
    long t = node.get("t").asLong();
    switch (type) {
      case "counters", "gauge", "grow", "deleteSite", "untracked" -> {
        if (!type.equals("untracked") && !node.path("site").isIntegralNumber()) {
          problems.skip(file, number, "\"site\" is missing");
          return null;
        }
        checkIntervalLines(file, number);
        pending.add(new Line(number, node));
        return null;
      }
      case "agent" -> {
        if (t < lastIntervalT) {
          problems.skip(
              file, number, "\"t\" is " + t + ", before the last interval's " + lastIntervalT);
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
        return pending.isEmpty() && pendingCompact.isEmpty() && releases.isEmpty()
            ? null
            : interval(Math.max(t, lastIntervalT), null);
      }
      default -> {
        // A newer agent's event type: ignored by contract.
        return null;
      }
    }
  }

  /** Declares the columns of a {@code columns} line and their keys' ranges. */
  private String columns(JsonNode node) {
    String problem = RecordingReader.columns(compact, node);
    if (problem == null) {
      int id = node.get("id").asInt();
      JsonNode keys = node.get("keys");
      lowest[id] = new long[keys.size()];
      highest[id] = new long[keys.size()];
      for (int i = 0; i < keys.size(); i++) {
        lowest[id][i] = NumberRules.lowest(keys.get(i).asText());
        highest[id][i] = NumberRules.highest(keys.get(i).asText(), maxT);
      }
    }
    return problem;
  }

  private String stack(JsonNode node) {
    JsonNode id = node.get("id");
    if (id == null
        || !id.canConvertToInt()
        || id.asInt() < 0
        || id.asInt() >= RecordingReader.MAX_DELETE_STACKS) {
      return "\"id\" of a stack is not a whole number from 0 to "
          + (RecordingReader.MAX_DELETE_STACKS - 1);
    }
    if (!node.path("site").canConvertToInt() || node.path("site").asInt() < 0) {
      return "\"site\" is missing";
    }
    if (!stacks.containsKey(id.asInt()) && stacks.size() >= RecordingReader.MAX_DELETE_STACKS) {
      return "more than "
          + RecordingReader.MAX_DELETE_STACKS
          + " delete call stacks in one segment";
    }
    stacks.put(id.asInt(), new Stack(node, node.get("site").asInt(), stackKey(node)));
    return null;
  }

  /**
   * A compact {@code counters}, {@code gauge} or {@code deleteSite} line, decoded into the interval
   * in progress; one that does not decode throws {@link IllegalArgumentException}.
   */
  private void compactLine(LineReader in, Path file, long number) throws RecordingException {
    CompactDecoder.Decoded c = compact.decode(in.bytes(), in.from(), in.to());
    int n = c.size();
    long[] min = lowest[c.columns()];
    long[] max = highest[c.columns()];
    for (int i = 0; i < n; i++) {
      long v = c.value(i);
      if (v < min[i] || v > max[i]) {
        problems.skip(file, number, NumberRules.check(c.keys().get(i), v, maxT));
        return;
      }
    }
    Stack stack = null;
    int site = c.site();
    if (c.letter() == 'd') {
      stack = stacks.get(c.site());
      if (stack == null) {
        throw new IllegalArgumentException(
            "delete call stack " + c.site() + " was not declared in this segment");
      }
      site = stack.site();
    }
    checkIntervalLines(file, number);
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = c.value(i);
    }
    pendingCompact.add(new Compact(number, c.type(), site, stack, c.keys(), values));
  }

  private void checkIntervalLines(Path file, long number) throws RecordingException {
    int lines = pending.size() + pendingCompact.size();
    if (lines == 0) {
      pendingFile = file;
    }
    if (lines >= RecordingReader.MAX_INTERVAL_LINES) {
      throw new RecordingException(
          file,
          number,
          String.format(
              Locale.ROOT,
              "more than %,d lines in one interval, the most this analyzer holds",
              RecordingReader.MAX_INTERVAL_LINES));
    }
  }

  private Interval interval(long t, Line agent) throws RecordingException {
    List<TaggedHistogram> histograms = histogramsUntil(ended ? Long.MAX_VALUE : t);
    Interval i =
        new Interval(events.file(), t, agent, pending, pendingCompact, releases, histograms);
    pending = new ArrayList<>();
    pendingCompact = new ArrayList<>();
    releases = new ArrayList<>();
    return i;
  }

  /** The lines of an interval that a corrupt segment cut: told by that segment's warning. */
  private void dropCut() {
    problems.skipped(pending.size() + pendingCompact.size());
    pending = new ArrayList<>();
    pendingCompact = new ArrayList<>();
  }

  /** Lines that no {@code agent} line closed: an interval the agent did not finish writing. */
  private void dropUnfinished() {
    int lines = pending.size() + pendingCompact.size();
    if (lines == 0) {
      return;
    }
    long first = Long.MAX_VALUE;
    for (Line l : pending) {
      first = Math.min(first, l.number());
    }
    for (Compact c : pendingCompact) {
      first = Math.min(first, c.number());
    }
    problems.skipped(lines);
    problems.warn(
        pendingFile
            + ":"
            + first
            + ": "
            + lines
            + " line(s) from here on are an interval the agent did not finish writing (it"
            + " stopped mid-flush): not used");
    pending = new ArrayList<>();
    pendingCompact = new ArrayList<>();
  }

  /** After the last line: the releases after the last interval, and the end's warnings. */
  private Interval tail() throws RecordingException {
    if (tailReturned) {
      Interval i = trailing;
      trailing = null;
      return i;
    }
    tailReturned = true;
    if (eventLines == 0) {
      throw new RecordingException(events.file(), 0, "empty: the recording holds no events");
    }
    dropUnfinished();
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
          firstHlogTailFile
              + ":"
              + firstHlogTailLine
              + ": "
              + hlogTail
              + " histogram(s) of an interval the agent did not finish writing: not used");
    }
    List<TaggedHistogram> lastPeriod = histogramTail();
    if (!releases.isEmpty()) {
      long t = 0;
      for (Line r : releases) {
        t = Math.max(t, r.node().get("t").asLong());
      }
      trailing =
          new Interval(
              events.file(),
              Math.max(t, lastIntervalT),
              null,
              List.of(),
              List.of(),
              releases,
              List.of());
      releases = new ArrayList<>();
    }
    if (lastPeriod.isEmpty()) {
      Interval i = trailing;
      trailing = null;
      return i;
    }
    return new Interval(
        events.file(), lastIntervalT, null, List.of(), List.of(), List.of(), lastPeriod);
  }

  /**
   * Format 2: the histograms of the last period that the agent's {@code histograms-tail.hlog} holds
   * and the segments lack, chosen as {@link RecordingReader} chooses them ({@link
   * HistogramLog#readTail}); they go in an interval of their own at the last complete interval's
   * {@code t}.
   */
  private List<TaggedHistogram> histogramTail() throws RecordingException {
    List<TaggedHistogram> out = new ArrayList<>();
    Path file = dir.resolve(Segments.HISTOGRAM_TAIL);
    if (!segmented || lastIntervalT < 0 || !Files.isRegularFile(file)) {
      return out;
    }
    IntervalGate gate = new IntervalGate();
    gate.advance(lastIntervalT);
    if (ended) {
      gate.end();
    }
    gate.done();
    try {
      HistogramLog.readTail(
          file,
          new LineReader(file),
          gate,
          lastHistogramEndMs,
          Double.NEGATIVE_INFINITY,
          Double.POSITIVE_INFINITY,
          maxT,
          decoder,
          problems,
          (line, entry) ->
              out.add(
                  tagged(
                      entry.tag(),
                      entry.startSeconds(),
                      (entry.startSeconds() + entry.lengthSeconds()) * 1000)));
    } catch (IOException e) {
      problems.warn(file + ": cannot read (" + e.getMessage() + "): not used");
    } catch (InterruptedException e) {
      throw new IllegalStateException("the gate is done: nothing waits", e);
    }
    return out;
  }

  private void countHlogTail(long line) {
    if (hlogTail++ == 0) {
      firstHlogTailFile = hlog.file();
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
      given(out, nextHistogram);
      nextHistogram = null;
    }
    try {
      while (!hlogEnded && hlog.nextLine()) {
        LineReader in = hlog.reader();
        long line = in.lineNumber();
        if (in.tooLong()) {
          problems.skip(hlog.file(), line, "longer than 1 MiB, no histogram line is");
          continue;
        }
        String text = in.text();
        if (text.isEmpty() || text.startsWith("#") || text.startsWith("\"StartTimestamp\"")) {
          continue;
        }
        TaggedHistogram h = histogram(in, text, line);
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
        given(out, h);
      }
    } catch (IOException e) {
      throw new RecordingException(hlog.file(), 0, "cannot read: " + e.getMessage());
    }
    return out;
  }

  private void given(List<TaggedHistogram> out, TaggedHistogram h) {
    out.add(h);
    lastHistogramEndMs = Math.max(lastHistogramEndMs, h.endMs());
  }

  /** One histogram line, or null when it is skipped (with a warning) or a truncated tail. */
  private TaggedHistogram histogram(LineReader in, String text, long line)
      throws IOException, RecordingException {
    Path hlogFile = hlog.file();
    String tag;
    double startSeconds;
    double lengthSeconds;
    try {
      HistogramLog.Entry entry = HistogramLog.Entry.parse(text, in.utf8());
      tag = entry.tag();
      startSeconds = entry.startSeconds();
      lengthSeconds = entry.lengthSeconds();
      decoder.decode(entry.encoded());
    } catch (HistogramDecoder.Bad e) {
      if (e.insane) {
        problems.skip(hlogFile, line, e.getMessage());
        return null;
      }
      if (!in.terminated() || in.next() == null) {
        problems.truncated(hlogFile, line);
        if (hlog.lastFile()) {
          hlogEnded = true;
        }
      } else if (segmented) {
        corruptSegment(hlogFile, line, e.getMessage());
      } else {
        throw new RecordingException(hlogFile, line, e.getMessage());
      }
      hlog.skipFile();
      return null;
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
    return tagged(tag, startSeconds, endMs);
  }

  /** The histogram in the decoder, tagged {@code tag}, as a {@link TaggedHistogram}. */
  private TaggedHistogram tagged(String tag, double startSeconds, double endMs) {
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
    long startMs = Math.round(startSeconds * 1000);
    if (decoder.other != null) {
      return new TaggedHistogram(
          series, site, startMs, Math.round(endMs), new int[0], new long[0], decoder.other);
    }
    return new TaggedHistogram(
        series,
        site,
        startMs,
        Math.round(endMs),
        Arrays.copyOf(decoder.indices, decoder.size),
        Arrays.copyOf(decoder.counts, decoder.size),
        null);
  }

  private void readSites(Path file) throws RecordingException {
    if (!Files.exists(file)) {
      throw new RecordingException(file, 0, "missing");
    }
    try (LineReader in = new LineReader(file)) {
      while (in.nextRaw()) {
        long number = in.lineNumber();
        if (in.tooLong()) {
          problems.skip(file, number, "longer than 1 MiB, no line of the format is");
          continue;
        }
        if (RecordingReader.blank(in)) {
          continue;
        }
        JsonNode node;
        try {
          node = json(in);
        } catch (IllegalArgumentException e) {
          if (!in.terminated() || in.next() == null) {
            problems.truncated(file, number);
            break;
          }
          throw new RecordingException(file, number, e.getMessage());
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
   * The current line of {@code in} as a JSON object; {@link IllegalArgumentException} when it is
   * not one. A whole object without its newline is used, with a warning: the writer was stopped
   * right after it.
   */
  private JsonNode json(LineReader in) {
    String text = in.text();
    JsonNode node;
    try {
      if (!in.utf8()) {
        throw new IllegalArgumentException("not UTF-8");
      }
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage() == null ? "not JSON" : e.getOriginalMessage();
      int nl = m.indexOf('\n');
      throw new IllegalArgumentException(nl < 0 ? m : m.substring(0, nl), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return node;
  }

  private void corruptSegment(Path file, long line, String why) {
    problems.warn(
        file
            + (line > 0 ? ":" + line : "")
            + ": corrupt segment ("
            + why
            + "): the rest of this segment is not used, the other segments are");
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The lines of a list of files (format 1's one file, or format 2's segments) one after another,
   * each file opened when the one before it is done. A segment that cannot be opened or read is
   * corrupt: one warning, and the next segment is read.
   */
  private final class LineFiles implements Closeable {
    private final List<Path> files;
    private int index = -1;
    private LineReader in;
    private long bytesBefore;
    private boolean started;

    LineFiles(List<Path> files) throws RecordingException {
      this.files = files;
      for (Path f : files) {
        if (!Files.exists(f)) {
          throw new RecordingException(f, 0, "missing");
        }
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no files");
      }
    }

    /** Moves to the next line ({@link #reader}), or returns false after the last file's last. */
    boolean nextLine() throws RecordingException {
      started = false;
      while (true) {
        if (in != null) {
          try {
            if (in.nextRaw()) {
              return true;
            }
          } catch (IOException e) {
            if (!segmented) {
              throw new RecordingException(
                  file(), in.lineNumber() + 1, "cannot read: " + e.getMessage());
            }
            corruptSegment(file(), in.lineNumber() + 1, e.getMessage());
            if (this == events) {
              dropCut();
            }
          }
          skipFile();
        }
        if (index + 1 >= files.size()) {
          return false;
        }
        index++;
        started = true;
        try {
          in = new LineReader(Segments.open(files.get(index)));
        } catch (IOException e) {
          if (!segmented) {
            throw new RecordingException(files.get(index), 0, "cannot read: " + e.getMessage());
          }
          corruptSegment(files.get(index), 0, e.getMessage());
          bytesBefore += size(files.get(index));
        }
      }
    }

    /** Leaves the rest of the current file unread. */
    void skipFile() throws RecordingException {
      if (in == null) {
        return;
      }
      bytesBefore += size(files.get(index));
      try {
        in.close();
      } catch (IOException e) {
        // Only read from.
      }
      in = null;
    }

    /** Whether the line {@link #nextLine} moved to is the first of its file. */
    boolean fileStarted() {
      return started;
    }

    boolean lastFile() {
      return index == files.size() - 1;
    }

    Path file() {
      return files.get(Math.max(0, index));
    }

    LineReader reader() {
      return in;
    }

    long bytesRead() {
      long current = in == null ? 0 : Math.min(in.bytesRead(), size(files.get(index)));
      return bytesBefore + current;
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
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
    decoder.close();
  }
}
