package io.tombscope.analyzer.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tombscope.format.CompactDecoder;
import io.tombscope.format.Segments;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a recording one complete interval at a time, for work that goes through a recording in time
 * order without holding it (merging). Each file is read once, front to back; memory is one
 * interval's lines and histograms. Both formats read: format 2's segments one after another, its
 * compact lines decoded into the JSON objects format 1 would hold (with their interval's {@code
 * t}).
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
  private final Problems problems;
  private final Meta meta;
  private final List<Line> siteLines = new ArrayList<>();
  private final long maxT;
  private final LineFiles events;
  private final LineFiles hlog;
  private final boolean segmented;
  private final long totalBytes;

  /** Format 2: the current events segment's columns and delete call stacks. */
  private CompactDecoder compact;

  private final Map<Integer, JsonNode> stacks = new HashMap<>();

  /** Compact lines of the interval being assembled: their {@code t} is that of its end. */
  private final List<ObjectNode> untimed = new ArrayList<>();

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
        String text = events.next();
        if (text == null) {
          eventsDone = true;
          break;
        }
        if (events.fileStarted()) {
          // Every segment declares its own columns and stacks, and its values start from 0.
          compact = segmented ? new CompactDecoder(RecordingReader.MAX_SITES) : null;
          stacks.clear();
        }
        Interval done = line(text);
        if (done != null) {
          return done;
        }
      }
      return tail();
    } catch (IOException e) {
      throw new RecordingException(events.file(), 0, "cannot read: " + e.getMessage());
    }
  }

  private Interval line(String text) throws IOException, RecordingException {
    Path eventsFile = events.file();
    long number = events.lineNumber();
    if (events.tooLong()) {
      problems.skip(eventsFile, number, "longer than 1 MiB, no line of the format is");
      return null;
    }
    if (text.isBlank()) {
      return null;
    }
    eventLines++;
    if (compact != null && CompactDecoder.isCompact(text)) {
      return compactLine(text, eventsFile, number);
    }
    JsonNode node = parse(events.reader(), eventsFile, text, number);
    if (node == null) {
      // A truncated last line: of the recording, or of a segment the next one follows.
      eventsDone = events.lastFile();
      return null;
    }
    JsonNode typeNode = node.get("type");
    String problem = NumberRules.problem(node, maxT);
    if (problem == null && (typeNode == null || !typeNode.isTextual())) {
      problem = "an event without \"type\"";
    }
    if (problem == null && compact != null && "columns".equals(typeNode.asText())) {
      problem = RecordingReader.columns(compact, node);
      if (problem == null) {
        return null;
      }
    }
    if (problem == null && compact != null && "stack".equals(typeNode.asText())) {
      problem = RecordingReader.stack(stacks, node);
      if (problem == null) {
        return null;
      }
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

  /**
   * A compact {@code counters}, {@code gauge} or {@code deleteSite} line as the JSON object of
   * format 1; its {@code t} is set when its interval ends.
   */
  private Interval compactLine(String text, Path file, long number)
      throws IOException, RecordingException {
    CompactDecoder.Line c;
    try {
      c = compact.decode(text);
    } catch (IllegalArgumentException e) {
      if (events.atEnd()) {
        problems.truncated(file, number);
        return null;
      }
      throw new RecordingException(file, number, e.getMessage());
    }
    ObjectNode node;
    if (c.type().equals("deleteSite")) {
      JsonNode stack = stacks.get(c.site());
      if (stack == null) {
        throw new RecordingException(
            file, number, "delete call stack " + c.site() + " was not declared in this segment");
      }
      node = ((ObjectNode) stack).deepCopy();
      node.remove("id");
      node.put("type", "deleteSite");
    } else {
      node = JsonNodeFactory.instance.objectNode();
      node.put("type", c.type());
      node.put("site", c.site());
    }
    for (int i = 0; i < c.keys().size(); i++) {
      String problem = NumberRules.check(c.keys().get(i), c.values()[i], maxT);
      if (problem != null) {
        problems.skip(file, number, problem);
        return null;
      }
      node.put(c.keys().get(i), c.values()[i]);
    }
    if (pending.size() >= RecordingReader.MAX_INTERVAL_LINES) {
      throw new RecordingException(
          file,
          number,
          String.format(
              Locale.ROOT,
              "more than %,d lines in one interval, the most this analyzer holds",
              RecordingReader.MAX_INTERVAL_LINES));
    }
    untimed.add(node);
    pending.add(new Line(number, node));
    return null;
  }

  private Interval interval(long t, Line agent) throws RecordingException {
    for (ObjectNode n : untimed) {
      n.put("t", t);
    }
    untimed.clear();
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
      throw new RecordingException(events.file(), 0, "empty: the recording holds no events");
    }
    if (!pending.isEmpty()) {
      problems.skipped(pending.size());
      untimed.clear();
      problems.warn(
          events.file()
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
          firstHlogTailFile
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
      out.add(nextHistogram);
      nextHistogram = null;
    }
    try {
      for (String text; !hlogEnded && (text = hlog.next()) != null; ) {
        long line = hlog.lineNumber();
        if (hlog.tooLong()) {
          problems.skip(hlog.file(), line, "longer than 1 MiB, no histogram line is");
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
      throw new RecordingException(hlog.file(), 0, "cannot read: " + e.getMessage());
    }
    return out;
  }

  /** One histogram line, or null when it is skipped (with a warning) or a truncated tail. */
  private TaggedHistogram histogram(String text, long line) throws IOException, RecordingException {
    Path hlogFile = hlog.file();
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
      if (hlog.atEnd()) {
        problems.truncated(hlogFile, line);
        if (hlog.lastFile()) {
          hlogEnded = true;
        }
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

  /**
   * The lines of a list of files (format 1's one file, or format 2's segments) one after another,
   * each file opened when the one before it is done.
   */
  private static final class LineFiles implements Closeable {
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

    /** The next line, or null after the last file's last. */
    String next() throws IOException, RecordingException {
      started = false;
      while (true) {
        if (in != null) {
          String text = in.next();
          if (text != null) {
            return text;
          }
          bytesBefore += size(files.get(index));
          in.close();
          in = null;
        }
        if (index + 1 >= files.size()) {
          return null;
        }
        index++;
        started = true;
        InputStream stream;
        try {
          stream = Segments.open(files.get(index));
        } catch (IOException e) {
          throw new RecordingException(files.get(index), 0, "cannot read: " + e.getMessage());
        }
        in = new LineReader(stream);
      }
    }

    /** Whether the line {@link #next} returned is its file's first. */
    boolean fileStarted() {
      return started;
    }

    /** Whether the current line is the last of its file, as a truncated one is. */
    boolean atEnd() throws IOException {
      return !in.terminated() || in.next() == null;
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

    long lineNumber() {
      return in.lineNumber();
    }

    boolean tooLong() {
      return in.tooLong();
    }

    boolean utf8() {
      return in.utf8();
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
  }
}
