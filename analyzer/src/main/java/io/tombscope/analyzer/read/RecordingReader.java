package io.tombscope.analyzer.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.format.CompactDecoder;
import io.tombscope.format.Segments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Reads a recording directory in one streaming pass per file, trusting no number in it, on three
 * threads: the histograms on one, the events' lines decoded on another and applied in order on the
 * caller's, so that a reading uses the machine's cores.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Keys and event types it does not know are ignored, so recordings from newer agents read.
 *   <li>Every number is checked against {@link NumberRules} (counts from 0 to 2^48, times within
 *       the recording, ids in range), cumulative counters never go back, and a histogram's header
 *       must be one the agent could have written. A line that breaks a rule is skipped with a
 *       warning naming file and line, and counted in {@link Recording#skippedLines()}. Sums that
 *       would pass 2^48 stop there, with a warning.
 *   <li>An interval is used whole or not at all. The agent writes an interval's site lines first
 *       and its {@code agent} line last, so in a recording without {@code end}, the lines after the
 *       last {@code agent} line, and the histograms that end after it, are an interval cut off
 *       mid-write: one warning, they are counted as skipped, and everything before them is used.
 *   <li>A last line cut off before its {@code \n}, or one that does not parse, is a truncated tail
 *       too: one warning, and everything before it is used.
 *   <li>A recording cut short within a histogram period has that period's histograms up to its last
 *       complete interval in {@code histograms-tail.hlog}: they are used, with one warning saying
 *       so ({@link HistogramLog#readTail}); a tail that does not read costs only itself.
 *   <li>Anything else that is wrong (a missing file, a corrupt line in the middle, a histogram that
 *       does not decode, an empty recording, a limit reached) is a {@link RecordingException} of
 *       one line naming file and line.
 *   <li>A site line without {@code family} is a {@code BucketHashMap} site ({@code bucket}); one
 *       without a usable {@code trackedOneIn} tracks every map (1).
 *   <li>Memory is bounded by sites and report points, never by intervals or lines: at most 16,384
 *       sites and releases, 100,000 delete call stacks, 256 histogram series, 65,536 lines in one
 *       interval, and time series of at most 1,024 points ({@link ReportPoints}).
 *   <li>Every string taken from the recording has its control characters replaced ({@link
 *       Printable}), so no output prints a terminal escape that the watched program wrote.
 * </ol>
 */
public final class RecordingReader {
  static final int MAX_SITES = 1 << 14;
  static final int MAX_RELEASES = 1 << 14;
  static final int MAX_INTERVAL_LINES = 1 << 16;
  static final int MAX_DELETE_STACKS = 100_000;
  static final int MAX_FRAMES = 64;
  static final int MAX_FAMILIES = 64;

  /** Per-interval totals of the JDK maps that were not tracked, one line per family. */
  private static final String UNTRACKED = "untracked";

  static final int MAX_META_BYTES = 1 << 20;

  /** Clocks differ between machines: a recording may seem to come from this far in the future. */
  static final long CLOCK_SLACK_MS = 86_400_000L;

  /** The latest interval of {@code intervalMs} that a recording may declare: a day. */
  static final long MAX_INTERVAL_MS = 86_400_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final ReadListener listener;
  private final TimeRange range;

  /** The range read, in ms since the start: intervals that end in (fromMs, toMs]. */
  private long fromMs;

  private long toMs = Long.MAX_VALUE;

  /** An interval within the range was read: the state before it is the baseline. */
  private boolean inRange;

  /** An interval past the range was read: nothing more is. */
  private boolean pastRange;

  /** The untracked lines' numbers where the range starts. */
  private Map<String, Map<String, Long>> untrackedBaseline = Map.of();

  private RecordingLayout layout;
  private long totalBytes;

  /** Bytes of {@code sites.jsonl} and the events files read so far. */
  private final AtomicLong eventBytes = new AtomicLong();

  private final Problems problems;
  private final Map<Integer, SiteRecord> sites = new LinkedHashMap<>();
  private ReportPoints points;
  private int deleteStacks;
  private NumberKeys keys;

  /** Sites by id, for ids below {@link #SITE_CACHE}: most lines name one. */
  private SiteRecord[] siteCache = new SiteRecord[0];

  private static final int SITE_CACHE = 1 << 16;

  /** Where the events are, for the histograms' reader. */
  private final IntervalGate gate = new IntervalGate();

  private final AtomicLong histogramBytes = new AtomicLong();

  /** The latest {@code t} this recording can hold: its start may not be after now. */
  private long maxT = NumberRules.MAX;

  private RecordingReader(Path dir, ReadListener listener, TimeRange range) {
    this.dir = dir;
    this.range = range;
    this.listener = listener;
    this.problems = new Problems(listener);
  }

  /** Reads the recording in {@code dir}. */
  public static Recording read(Path dir) throws RecordingException {
    return read(dir, ReadListener.NONE);
  }

  /** Reads the recording in {@code dir}, reporting progress and warnings to {@code listener}. */
  public static Recording read(Path dir, ReadListener listener) throws RecordingException {
    if (!Files.isDirectory(dir)) {
      throw new RecordingException(
          dir, 0, Files.exists(dir) ? "not a directory" : "no such recording directory");
    }
    return read(dir, listener, TimeRange.ALL);
  }

  /**
   * Reads the part of the recording in {@code dir} that {@code range} names: the intervals that end
   * after its start and no later than its end. Counters and delete call sites count from the state
   * after the last interval before the range (the numbers say what happened within it); gauges,
   * grows, releases and histograms are those of the range (a histogram counts when its period ends
   * within it). In format 2, segments wholly outside the range are not read, but for the one whose
   * first interval is the last to end before the range, which holds the state it starts from.
   */
  public static Recording read(Path dir, ReadListener listener, TimeRange range)
      throws RecordingException {
    if (!Files.isDirectory(dir)) {
      throw new RecordingException(
          dir, 0, Files.exists(dir) ? "not a directory" : "no such recording directory");
    }
    return new RecordingReader(dir, listener, range).readAll();
  }

  private Recording readAll() throws RecordingException {
    Meta meta = readMeta(dir.resolve("meta.json"), problems);
    maxT =
        Math.max(
            0,
            Math.min(
                NumberRules.MAX,
                System.currentTimeMillis() + CLOCK_SLACK_MS - meta.startEpochMs()));
    keys = new NumberKeys(maxT);
    fromMs = range.fromMs(meta.startEpochMs());
    toMs = range.toMs(meta.startEpochMs());
    if (toMs <= 0) {
      throw new RecordingException(
          dir, 0, range + ": the range ends before the recording starts (" + startOf(meta) + ")");
    }
    RecordingLayout whole = RecordingLayout.of(dir, meta.format());
    layout = whole.within(fromMs, toMs);
    totalBytes = layout.bytes() + RecordingLayout.size(dir.resolve("sites.jsonl"));
    readSites(dir.resolve("sites.jsonl"));
    points = ReportPoints.forSites(sites.size());
    for (Path file : layout.histograms()) {
      if (!Files.exists(file)) {
        throw new RecordingException(file, 0, "missing");
      }
    }
    HistogramReading histograms = new HistogramReading();
    histograms.log.range(fromMs, toMs);
    Thread histogramThread = new Thread(histograms, "tombscope-histograms");
    histogramThread.setDaemon(true);
    histogramThread.start();
    Events events = new Events();
    List<Path> eventFiles = layout.events();
    EventDecoding decoding = new EventDecoding(eventFiles);
    Thread eventThread = new Thread(decoding, "tombscope-events");
    eventThread.setDaemon(true);
    eventThread.start();
    try {
      applyEvents(decoding, eventThread, events);
      finishEvents(eventFiles.get(eventFiles.size() - 1), events);
      if (!range.isAll()) {
        finishRange(events);
      }
      Path lastOfAll = whole.events().get(whole.events().size() - 1);
      if (pastRange || !eventFiles.get(eventFiles.size() - 1).equals(lastOfAll)) {
        // Whether the JVM shut down normally is said by the recording's last line, past the range.
        events.ended = RecordingLayout.endsWithEnd(lastOfAll);
      }
    } finally {
      decoding.stop(eventThread);
      gate.done();
    }
    for (SiteRecord s : sites.values()) {
      s.fillTo(points.size());
    }
    try {
      while (histogramThread.isAlive()) {
        histogramThread.join(100);
        progress(eventBytes.get());
      }
    } catch (InterruptedException e) {
      histogramThread.interrupt();
      Thread.currentThread().interrupt();
      throw new RecordingException(dir, 0, "interrupted while reading the histograms");
    }
    histograms.finish();
    return new Recording(
        dir,
        meta,
        points.times(),
        sites,
        histograms.log.totals(),
        List.copyOf(events.releases),
        events.agent,
        events.untracked,
        events.growEvents,
        events.ended,
        events.lastT,
        problems.finish(),
        points.intervals(),
        problems.skippedLines(),
        points.deleteRate(),
        fromMs,
        toMs);
  }

  /** Reports the bytes read of the events and the histograms together. */
  private void progress(long eventBytes) {
    listener.progress(eventBytes + histogramBytes.get(), totalBytes);
  }

  /**
   * The histogram logs, read on a thread of their own while the events are read on the caller's:
   * what they find waits in a {@link HistogramLog} and a {@link Problems} of their own, which
   * {@link #finish} hands over after the events', in the order a reading of one file after the
   * other would have.
   */
  private final class HistogramReading implements Runnable {
    private final Problems own = new Problems(ReadListener.NONE);
    final HistogramLog log = new HistogramLog(maxT, own);
    private RecordingException failure;
    private RuntimeException crash;

    @Override
    public void run() {
      try {
        for (Path file : layout.histograms()) {
          long before = histogramBytes.get();
          try (InputStream in = Segments.open(file)) {
            log.read(
                file,
                new LineReader(in),
                gate,
                layout.segmented(),
                read -> histogramBytes.set(before + read));
          } catch (IOException e) {
            if (!layout.segmented()) {
              throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
            }
            own.warn(
                file
                    + ": corrupt segment ("
                    + e.getMessage()
                    + "): the rest of this segment is not used, the other segments are");
          }
          histogramBytes.set(before + RecordingLayout.size(file));
        }
        Path tail = dir.resolve(Segments.HISTOGRAM_TAIL);
        if (layout.segmented() && Files.isRegularFile(tail)) {
          try {
            log.readTail(tail, new LineReader(tail), gate);
          } catch (IOException e) {
            own.warn(tail + ": cannot read (" + e.getMessage() + "): not used");
          }
        }
      } catch (RecordingException e) {
        failure = e;
      } catch (InterruptedException e) {
        failure = new RecordingException(dir, 0, "interrupted while reading the histograms");
      } catch (RuntimeException e) {
        crash = e;
      } finally {
        log.close();
      }
    }

    /** After the thread ended: its failure, or its warnings after the events'. */
    void finish() throws RecordingException {
      if (crash != null) {
        throw crash;
      }
      if (failure != null) {
        throw failure;
      }
      own.replayInto(problems);
      log.addTo(sites);
    }
  }

  /**
   * Reads and checks {@code meta.json}; a number out of range is read as unknown, with a warning.
   */
  static Meta readMeta(Path file, Problems problems) throws RecordingException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_META_BYTES) {
        throw new RecordingException(file, 0, "larger than 1 MiB: not a Tombscope meta.json");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new RecordingException(file, 0, "missing: is this a Tombscope recording directory?");
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
    String text;
    try {
      text = LineReader.strictUtf8(bytes);
    } catch (CharacterCodingException e) {
      throw new RecordingException(file, 0, "not UTF-8");
    }
    if (text.isBlank()) {
      throw new RecordingException(file, 0, "empty: the agent did not start recording");
    }
    JsonNode m;
    try {
      m = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RecordingException(
          file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), oneLine(e));
    }
    if (m == null || !m.isObject()) {
      throw new RecordingException(file, 1, "not a JSON object");
    }
    JsonNode format = m.get("format");
    if (format == null || !format.isIntegralNumber()) {
      throw new RecordingException(
          file, 1, "\"format\" is missing or not a whole number: not a Tombscope recording");
    }
    if (!format.canConvertToInt() || format.asInt() > 2) {
      throw new RecordingException(
          file, 1, "format " + format.asText() + " is newer than this analyzer (it reads 1 and 2)");
    }
    if (format.asInt() < 1) {
      throw new RecordingException(
          file, 1, "format " + format.asInt() + ": not a Tombscope recording");
    }
    JsonNode start = m.get("startEpochMs");
    long latestStart = System.currentTimeMillis() + CLOCK_SLACK_MS;
    if (start == null
        || !start.isIntegralNumber()
        || !start.canConvertToLong()
        || start.asLong() < 0
        || start.asLong() > latestStart) {
      throw new RecordingException(
          file,
          1,
          "\"startEpochMs\" is "
              + (start == null ? "missing" : start.asText())
              + ", not a time from 1970 to now");
    }
    long pid = metaNumber(problems, file, m, "pid", 1, Integer.MAX_VALUE, 0, "a process id");
    long intervalMs =
        metaNumber(
            problems,
            file,
            m,
            "intervalMs",
            1,
            MAX_INTERVAL_MS,
            1000,
            "an interval of 1 ms to a day");
    JsonNode jvm = m.path("jvm");
    List<String> args = new ArrayList<>();
    jvm.path("inputArguments").forEach(a -> args.add(Printable.clean(a.asText())));
    Map<String, String> options = new LinkedHashMap<>();
    m.path("options")
        .fields()
        .forEachRemaining(
            f -> options.put(Printable.clean(f.getKey()), Printable.clean(f.getValue().asText())));
    return new Meta(
        format.asInt(),
        text(m.path("agentVersion"), "unknown"),
        pid,
        start.asLong(),
        intervalMs,
        text(jvm.path("version"), "unknown"),
        text(jvm.path("vendor"), "unknown"),
        text(jvm.path("vmName"), "unknown"),
        text(jvm.path("mainCommand"), ""),
        args,
        options);
  }

  private static String text(JsonNode n, String otherwise) {
    return Printable.clean(n.isValueNode() && !n.isNull() ? n.asText() : otherwise);
  }

  /** A number of {@code meta.json} that may be missing; out of range, it is read as missing. */
  private static long metaNumber(
      Problems problems,
      Path file,
      JsonNode m,
      String key,
      long min,
      long max,
      long otherwise,
      String what) {
    JsonNode v = m.get(key);
    if (v == null) {
      return otherwise;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= min && v.asLong() <= max) {
      return v.asLong();
    }
    problems.warn(
        file + ": \"" + key + "\" is " + shortText(v) + ", not " + what + "; read as unknown");
    return otherwise;
  }

  private void readSites(Path file) throws RecordingException {
    forEachJsonLine(
        file,
        (line, node) -> {
          String problem = NumberRules.problem(node, maxT);
          if (problem == null && !node.path("site").isIntegralNumber()) {
            problem = "\"site\" is missing";
          }
          if (problem != null) {
            problems.skip(file, line, problem);
            return;
          }
          int id = node.get("site").asInt();
          if (!sites.containsKey(id) && sites.size() >= MAX_SITES) {
            throw tooManySites(file, line);
          }
          List<String> frames = new ArrayList<>();
          for (JsonNode f : node.path("allocationSite")) {
            if (frames.size() < MAX_FRAMES) {
              frames.add(f.asText());
            }
          }
          SiteRecord site =
              new SiteRecord(
                  keys,
                  id,
                  text(node.path("mapClass"), "unknown"),
                  frames,
                  family(node.path("family")),
                  trackedOneIn(node.path("trackedOneIn")));
          site.appFrame = text(node.path("appFrame"));
          site.grown = "grown".equals(node.path("tracking").asText());
          site.trackedAtDelete = "deleting".equals(node.path("tracking").asText());
          site.grownToSlots = node.path("grownToSlots").asLong();
          sites.put(id, site);
        });
  }

  private static RecordingException tooManySites(Path file, long line) {
    return new RecordingException(
        file,
        line,
        String.format(
            Locale.ROOT,
            "more than %,d allocation sites, the most this analyzer holds (the agent writes at"
                + " most 10,001): narrow the input to the lines of fewer sites",
            MAX_SITES));
  }

  /** A non-blank string value, control characters replaced, else null. */
  private static String text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Printable.clean(n.asText()) : null;
  }

  private static String family(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? n.asText() : SiteRecord.BUCKET;
  }

  private static int trackedOneIn(JsonNode n) {
    // A sampling period below 1 means nothing; read it as "every map", the no-sampling case.
    return n.canConvertToInt() && n.asInt() >= 1 ? n.asInt() : 1;
  }

  /** What the events add beyond the per-site state. */
  private static final class Events {
    final List<Release> releases = new ArrayList<>();
    final Map<String, Long> agent = new HashMap<>();
    final Map<String, Map<String, Long>> untracked = new TreeMap<>();

    /** Lines of the interval in progress: used when its {@code agent} line comes. */
    final EventBatch pending = new EventBatch();

    /** Sites whose counters or gauge the interval in progress changed. */
    final List<SiteRecord> touched = new ArrayList<>();

    long growEvents;
    boolean ended;
    long lastT;

    /** {@code t} of the last complete interval; -1 before the first. */
    long lastIntervalT = -1;

    long lines;

    void touch(SiteRecord s) {
      if (!s.touched) {
        s.touched = true;
        touched.add(s);
      }
    }

    void untouch() {
      for (SiteRecord s : touched) {
        s.touched = false;
      }
      touched.clear();
    }
  }

  /** A JSON line of the interval in progress, with its type. */
  private record JsonLine(String type, JsonNode node) {}

  /**
   * A delete call stack declared by a {@code stack} line of a segment: what its compact lines stand
   * for, and once one is applied, the site's entry they update.
   */
  private static final class Stack {
    final int site;
    final List<String> key;
    final String appFrame;
    SiteRecord resolvedSite;
    long[] target;

    Stack(int site, List<String> key, String appFrame) {
      this.site = site;
      this.key = key;
      this.appFrame = appFrame;
    }
  }

  /** Format 2: what the current segment declared, by id. */
  private static final class SegmentDeclarations {
    final CompactDecoder compact = new CompactDecoder(MAX_SITES);
    final int[][] columns = new int[CompactDecoder.MAX_COLUMN_SETS][];
    final Map<Integer, Stack> stacks = new HashMap<>();
  }

  /**
   * The events files, decoded on a thread of their own ahead of the caller, who applies them
   * ({@link #applyEvents}): this thread reads and splits the lines, decodes compact lines to their
   * numbers and the others to JSON objects, keeps each segment's declarations and checks every
   * number; what it finds goes to the caller in order, in batches ({@link EventBatch}), each
   * problem in its place among the lines. A segment that is corrupt part way costs the rest of that
   * segment, with one warning; in format 1, or in the last segment, a corrupt last line is a
   * truncated tail.
   */
  private final class EventDecoding implements Runnable {
    /** Batches in flight: what the decoding may be ahead by. */
    private static final int BATCHES = 8;

    private final List<Path> files;
    private final BlockingQueue<EventBatch> full = new ArrayBlockingQueue<>(BATCHES + 1);
    private final BlockingQueue<EventBatch> free = new ArrayBlockingQueue<>(BATCHES + 1);
    private EventBatch batch = new EventBatch();
    private volatile boolean stopped;

    /** The decoding's problems, each queued in its place among the lines. */
    private final Problems queued =
        new Problems(ReadListener.NONE) {
          @Override
          void warn(String message) {
            problem(new EventBatch.Problem(EventBatch.Problem.WARN, null, 0, message));
          }

          @Override
          void skip(Path file, long line, String why) {
            problem(new EventBatch.Problem(EventBatch.Problem.SKIP, file, line, why));
          }

          @Override
          void truncated(Path file, long line) {
            problem(new EventBatch.Problem(EventBatch.Problem.TRUNCATED, file, line, null));
          }
        };

    EventDecoding(List<Path> files) {
      this.files = files;
      for (int i = 0; i < BATCHES; i++) {
        free.add(new EventBatch());
      }
    }

    @Override
    public void run() {
      try {
        Throwable failure = null;
        try {
          for (int i = 0; i < files.size() && !stopped; i++) {
            decode(files.get(i), i == files.size() - 1);
          }
        } catch (RecordingException | RuntimeException | Error e) {
          // Handed to the caller, who throws it where the events' reading would have.
          failure = e;
        }
        if (failure instanceof Stopped) {
          return;
        }
        if (failure != null) {
          add(EventBatch.FAILURE, null, 0, 0, failure);
        }
        batch.last = true;
        send();
      } catch (Stopped | InterruptedException e) {
        // Stopped by the caller: nothing more is wanted.
      }
    }

    /**
     * The next batch, in order; the caller gives it back with {@link #recycle}. A decoding thread
     * that died without a word (it could not even hand over its failure) is an error.
     */
    EventBatch take(Thread thread) throws RecordingException {
      try {
        while (true) {
          EventBatch b = full.poll(100, TimeUnit.MILLISECONDS);
          if (b != null) {
            return b;
          }
          if (!thread.isAlive() && full.isEmpty()) {
            throw new RecordingException(dir, 0, "the events' reader stopped without a result");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RecordingException(dir, 0, "interrupted while reading the events");
      }
    }

    void recycle(EventBatch b) {
      b.clear();
      free.offer(b);
    }

    /** Ends the decoding, wherever it is. */
    void stop(Thread thread) {
      stopped = true;
      thread.interrupt();
    }

    private void problem(EventBatch.Problem p) {
      add(EventBatch.PROBLEM, null, 0, 0, p);
    }

    private void add(byte kind, Path file, long line, int id, Object ref) {
      if (batch.isFull()) {
        try {
          send();
        } catch (InterruptedException e) {
          throw new Stopped();
        }
      }
      batch.add(kind, file, line, id, ref);
    }

    private void send() throws InterruptedException {
      full.put(batch);
      batch = free.take();
    }

    private void decode(Path file, boolean lastFile) throws RecordingException {
      SegmentDeclarations declared = layout.segmented() ? new SegmentDeclarations() : null;
      long base = eventBytes.get();
      long[] lines = new long[1];
      forEachLine(
          file,
          declared != null,
          queued,
          read -> eventBytes.set(base + read),
          () -> stopped,
          (line, in) -> {
            lines[0]++;
            if (declared != null && CompactDecoder.isCompact(in.bytes(), in.from(), in.to())) {
              compactLine(file, line, declared, in);
              return;
            }
            String text = in.text();
            if (!in.utf8()) {
              throw new IllegalArgumentException("not UTF-8");
            }
            JsonNode node = json(text);
            JsonNode typeNode = node.get("type");
            String problem = NumberRules.problem(node, maxT);
            if (problem == null && (typeNode == null || !typeNode.isTextual())) {
              problem = "an event without \"type\"";
            }
            if (problem == null && declared != null && "columns".equals(typeNode.asText())) {
              problem = columns(declared.compact, node);
              if (problem == null) {
                declareColumns(file, line, declared, node);
                return;
              }
            }
            if (problem == null && declared != null && "stack".equals(typeNode.asText())) {
              problem = stack(declared, node);
              if (problem == null) {
                return;
              }
            }
            if (problem == null && !node.path("t").isIntegralNumber()) {
              problem = "\"t\" is missing";
            }
            if (problem != null) {
              queued.skip(file, line, problem);
              return;
            }
            add(EventBatch.JSON, file, line, 0, new JsonLine(typeNode.asText(), node));
          });
      add(EventBatch.FILE_END, file, 0, lastFile ? 1 : 0, null);
      batch.value(lines[0]);
    }

    /**
     * A compact line, decoded to its numbers (its {@code t} is its interval's, given when the
     * interval is complete) and, for a {@code deleteSite} line, its declared stack.
     */
    private void compactLine(Path file, long line, SegmentDeclarations declared, LineReader in) {
      CompactDecoder.Decoded c = declared.compact.decode(in.bytes(), in.from(), in.to());
      int[] indices = declared.columns[c.columns()];
      int n = c.size();
      for (int i = 0; i < n; i++) {
        if (!keys.inRange(indices[i], c.value(i))) {
          queued.skip(file, line, NumberRules.check(c.keys().get(i), c.value(i), maxT));
          return;
        }
      }
      if (c.letter() == 'd') {
        Stack stack = declared.stacks.get(c.site());
        if (stack == null) {
          throw new IllegalArgumentException(
              "delete call stack " + c.site() + " was not declared in this segment");
        }
        add(EventBatch.DELETE_SITE, file, line, stack.site, stack);
        long deletes = 0;
        long misses = 0;
        long silent = 0;
        for (int i = 0; i < n; i++) {
          switch (indices[i]) {
            case NumberKeys.DELETES -> deletes = c.value(i);
            case NumberKeys.DELETE_MISSES -> misses = c.value(i);
            case NumberKeys.SILENT_DELETES -> silent = c.value(i);
            default -> {
              // Not a number of a delete call site that this analyzer uses.
            }
          }
        }
        batch.value(deletes);
        batch.value(misses);
        batch.value(silent);
        return;
      }
      add(
          c.letter() == 'c' ? EventBatch.COUNTERS : EventBatch.GAUGE,
          file,
          line,
          c.site(),
          indices);
      for (int i = 0; i < n; i++) {
        batch.value(c.value(i));
      }
    }
  }

  /** The caller stopped the decoding while it waited to hand over a batch. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super(null, null, false, false);
    }
  }

  /**
   * Applies the decoded events in order, until the last batch or the end of the range: each line
   * joins the interval in progress, which is applied when its {@code agent} line comes.
   */
  private void applyEvents(EventDecoding decoding, Thread thread, Events ev)
      throws RecordingException {
    while (!pastRange) {
      EventBatch b = decoding.take(thread);
      try {
        for (int i = 0; i < b.size && !pastRange; i++) {
          Path file = b.files[i];
          long line = b.lines[i];
          switch (b.kinds[i]) {
            case EventBatch.COUNTERS, EventBatch.GAUGE, EventBatch.DELETE_SITE -> {
              checkIntervalLines(file, line, ev);
              ev.pending.add(b.kinds[i], file, line, b.ids[i], b.refs[i]);
              for (int k = b.offsets[i]; k < b.offsets[i + 1]; k++) {
                ev.pending.value(b.values[k]);
              }
            }
            case EventBatch.JSON -> {
              JsonLine j = (JsonLine) b.refs[i];
              event(file, line, ev, j.type(), j.node());
            }
            case EventBatch.PROBLEM -> ((EventBatch.Problem) b.refs[i]).replayInto(problems);
            case EventBatch.FILE_END -> {
              ev.lines += b.values[b.offsets[i]];
              if (layout.segmented() && b.ids[i] == 0 && !ev.pending.isEmpty()) {
                unfinished(ev);
              }
            }
            case EventBatch.FAILURE -> {
              if (b.refs[i] instanceof RecordingException e) {
                throw e;
              }
              if (b.refs[i] instanceof Error e) {
                throw e;
              }
              throw (RuntimeException) b.refs[i];
            }
            default -> throw new IllegalStateException("kind " + b.kinds[i]);
          }
        }
        if (b.last) {
          return;
        }
      } finally {
        decoding.recycle(b);
      }
      progress(eventBytes.get());
    }
  }

  /** Maps the keys of columns that {@link #columns} declared to their indices, once. */
  private void declareColumns(Path file, long line, SegmentDeclarations declared, JsonNode node)
      throws RecordingException {
    JsonNode keys = node.get("keys");
    int[] indices = new int[keys.size()];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = keyIndex(file, line, keys.get(i).asText());
    }
    declared.columns[node.get("id").asInt()] = indices;
  }

  private int keyIndex(Path file, long line, String key) throws RecordingException {
    int index = keys.index(key);
    if (index < 0) {
      throw new RecordingException(
          file,
          line,
          String.format(
              Locale.ROOT,
              "more than %,d keys of numbers in counters and gauge lines, the most this analyzer"
                  + " holds (the agent writes about 40): narrow the input to the lines of fewer"
                  + " families",
              NumberKeys.MAX_KEYS));
    }
    return index;
  }

  /** Declares the delete call stack of a {@code stack} line; returns why it is not one, or null. */
  static String stack(Map<Integer, JsonNode> stacks, JsonNode node) {
    String problem = stackProblem(stacks.containsKey(idOf(node)), stacks.size(), node);
    if (problem == null) {
      stacks.put(idOf(node), node);
    }
    return problem;
  }

  private static String stack(SegmentDeclarations declared, JsonNode node) {
    int id = idOf(node);
    String problem = stackProblem(declared.stacks.containsKey(id), declared.stacks.size(), node);
    if (problem == null) {
      List<String> key = stackKey(node);
      declared.stacks.put(
          id, new Stack(node.get("site").asInt(), key, text(node.path("appFrame"))));
    }
    return problem;
  }

  private static int idOf(JsonNode node) {
    JsonNode id = node.get("id");
    return id != null && id.canConvertToInt() ? id.asInt() : -1;
  }

  private static String stackProblem(boolean known, int stacks, JsonNode node) {
    JsonNode id = node.get("id");
    if (id == null || !id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= MAX_DELETE_STACKS) {
      return "\"id\" of a stack is not a whole number from 0 to " + (MAX_DELETE_STACKS - 1);
    }
    if (!node.path("site").isIntegralNumber()) {
      return "\"site\" is missing";
    }
    if (!known && stacks >= MAX_DELETE_STACKS) {
      return "more than " + MAX_DELETE_STACKS + " delete call stacks in one segment";
    }
    return null;
  }

  /** The frame that called delete, then its callers: what names a delete call stack. */
  private static List<String> stackKey(JsonNode node) {
    List<String> stack = new ArrayList<>();
    stack.add(Printable.clean(node.path("frame").asText("(unknown)")));
    for (JsonNode c : node.path("callers")) {
      if (stack.size() <= MAX_FRAMES) {
        stack.add(Printable.clean(c.asText()));
      }
    }
    return List.copyOf(stack);
  }

  /** Declares the columns of a {@code columns} line; returns why they are not, or null. */
  static String columns(CompactDecoder compact, JsonNode node) {
    JsonNode id = node.get("id");
    JsonNode keys = node.get("keys");
    if (id == null || !id.isIntegralNumber() || keys == null || !keys.isArray()) {
      return "columns without a whole \"id\" and a list of \"keys\"";
    }
    List<String> names = new ArrayList<>();
    for (JsonNode k : keys) {
      if (!k.isTextual() || names.size() > CompactDecoder.MAX_KEYS) {
        return "\"keys\" of columns is not a list of at most " + CompactDecoder.MAX_KEYS + " names";
      }
      names.add(k.asText());
    }
    return compact.columns(id.asLong(), names);
  }

  /** After the last events file: the tail of an interval the agent did not finish writing. */
  private void finishEvents(Path lastFile, Events ev) throws RecordingException {
    if (ev.lines == 0 && !pastRange) {
      throw new RecordingException(lastFile, 0, "empty: the recording holds no events");
    }
    if (!ev.pending.isEmpty()) {
      unfinished(ev);
    }
  }

  private void unfinished(Events ev) {
    problems.skipped(ev.pending.size);
    problems.warn(
        ev.pending.files[0]
            + ":"
            + ev.pending.lines[0]
            + ": "
            + ev.pending.size
            + " line(s) from here on are an interval the agent did not finish writing (it"
            + " stopped mid-flush): not used");
    ev.pending.clear();
    ev.untouch();
  }

  private void checkIntervalLines(Path file, long line, Events ev) throws RecordingException {
    if (ev.pending.size >= MAX_INTERVAL_LINES) {
      throw new RecordingException(
          file,
          line,
          String.format(
              Locale.ROOT,
              "more than %,d lines in one interval, the most this analyzer holds (the"
                  + " agent writes at most about 41,000): narrow the input to the lines"
                  + " of fewer sites",
              MAX_INTERVAL_LINES));
    }
  }

  private void event(Path file, long line, Events ev, String type, JsonNode node)
      throws RecordingException {
    long t = node.get("t").asLong();
    switch (type) {
      case "counters", "gauge", "grow", "deleteSite", UNTRACKED -> {
        if (!type.equals(UNTRACKED) && !node.path("site").isIntegralNumber()) {
          problems.skip(file, line, "\"site\" is missing");
          return;
        }
        checkIntervalLines(file, line, ev);
        ev.pending.add(EventBatch.JSON, file, line, 0, new JsonLine(type, node));
      }
      case "agent" -> {
        if (t < ev.lastIntervalT) {
          problems.skip(
              file, line, "\"t\" is " + t + ", before the last interval's " + ev.lastIntervalT);
          return;
        }
        if (t <= fromMs) {
          // Before the range: the state it starts from, nothing to show.
          commit(ev, t);
          ev.untouch();
          ev.lastIntervalT = t;
          gate.advance(t);
          return;
        }
        if (t > toMs) {
          past(ev);
          return;
        }
        enterRange(ev);
        commit(ev, t);
        int point = points.add(t, sites.values());
        long deleted = 0;
        for (SiteRecord s : ev.touched) {
          deleted += s.record(point, points.lastIntervalMillis());
        }
        points.deleted(point, deleted);
        ev.untouch();
        copyNumbers(node, ev.agent);
        ev.lastIntervalT = t;
        ev.lastT = Math.max(ev.lastT, t);
        gate.advance(t);
      }
      case "release" -> {
        if (ev.releases.size() >= MAX_RELEASES) {
          throw new RecordingException(
              file,
              line,
              String.format(
                  Locale.ROOT,
                  "more than %,d releases, the most this analyzer holds: narrow the input"
                      + " to fewer lines",
                  MAX_RELEASES));
        }
        if (t > fromMs && t <= toMs) {
          ev.releases.add(release(node, t));
          ev.lastT = Math.max(ev.lastT, t);
        }
      }
      case "end" -> {
        // A normal shutdown wrote everything before it: the last lines are complete too.
        long last = Math.max(t, ev.lastIntervalT);
        if (last > toMs) {
          past(ev);
          return;
        }
        if (last > fromMs) {
          enterRange(ev);
        }
        commit(ev, last);
        ev.untouch();
        ev.ended = true;
        ev.lastT = Math.max(ev.lastT, t);
        gate.end();
      }
      default -> {
        // A newer agent's event type: ignored by contract.
      }
    }
  }

  /**
   * An interval past the range ended: its lines are not used and nothing after it is read. Every
   * interval of the range was complete, so all histograms up to the range's end are.
   */
  private void past(Events ev) {
    ev.pending.clear();
    ev.untouch();
    pastRange = true;
    gate.advance(toMs);
  }

  /** The first interval of the range: what the sites hold now is what the range starts from. */
  private void enterRange(Events ev) {
    if (inRange || range.isAll()) {
      inRange = true;
      return;
    }
    inRange = true;
    for (SiteRecord s : sites.values()) {
      s.startRange();
    }
    ev.growEvents = 0;
    ev.releases.clear();
    untrackedBaseline = new TreeMap<>();
    ev.untracked.forEach((family, numbers) -> untrackedBaseline.put(family, Map.copyOf(numbers)));
  }

  /** The range's counters, delete call sites and untracked numbers: less what it started from. */
  private void finishRange(Events ev) throws RecordingException {
    if (!inRange) {
      throw new RecordingException(
          dir,
          0,
          range
              + ": no interval of the recording ends within the range (its intervals end from"
              + " the start to "
              + ev.lastIntervalT
              + " ms)");
    }
    for (SiteRecord s : sites.values()) {
      s.finishRange();
    }
    ev.untracked.forEach(
        (family, numbers) -> {
          Map<String, Long> before = untrackedBaseline.getOrDefault(family, Map.of());
          numbers.replaceAll(
              (key, value) -> key.equals("t") ? value : value - before.getOrDefault(key, 0L));
        });
  }

  private static String startOf(Meta meta) {
    return "it starts at " + java.time.Instant.ofEpochMilli(meta.startEpochMs());
  }

  /** Applies the interval's lines, now that it is complete; it ended at {@code t}. */
  private void commit(Events ev, long t) throws RecordingException {
    EventBatch p = ev.pending;
    for (int i = 0; i < p.size; i++) {
      int from = p.offsets[i];
      int to = p.offsets[i + 1];
      switch (p.kinds[i]) {
        case EventBatch.COUNTERS -> counters(p, i, (int[]) p.refs[i], from, to, ev, t);
        case EventBatch.GAUGE -> {
          SiteRecord s = site(p.files[i], p.lines[i], p.ids[i]);
          SiteRecord.Numbers g = s.gauge();
          g.put(NumberKeys.T, t);
          g.put(NumberKeys.SITE, p.ids[i]);
          int[] indices = (int[]) p.refs[i];
          for (int k = from; k < to; k++) {
            g.put(indices[k - from], p.values[k]);
          }
          gaugeApplied(s, ev);
          ev.lastT = Math.max(ev.lastT, t);
        }
        case EventBatch.DELETE_SITE -> {
          Stack stack = (Stack) p.refs[i];
          SiteRecord s = site(p.files[i], p.lines[i], stack.site);
          if (stack.resolvedSite != s) {
            stack.target = deleteSite(p.files[i], p.lines[i], s, stack.key, stack.appFrame);
            stack.resolvedSite = s;
          }
          System.arraycopy(p.values, from, stack.target, 0, 3);
          ev.lastT = Math.max(ev.lastT, t);
        }
        default -> {
          JsonLine j = (JsonLine) p.refs[i];
          apply(p.files[i], p.lines[i], j.type(), j.node(), ev, t);
        }
      }
    }
    p.clear();
  }

  /** A compact {@code counters} line, unless a counter in it goes back. */
  private void counters(EventBatch p, int i, int[] indices, int from, int to, Events ev, long t)
      throws RecordingException {
    SiteRecord s = site(p.files[i], p.lines[i], p.ids[i]);
    SiteRecord.Numbers c = s.counters();
    for (int k = from; k < to; k++) {
      int index = indices[k - from];
      if (c.has(index) && p.values[k] < c.get(index)) {
        problems.skip(
            p.files[i], p.lines[i], goesBack(keys.name(index), c.get(index), p.values[k]));
        return;
      }
    }
    c.put(NumberKeys.T, t);
    c.put(NumberKeys.SITE, p.ids[i]);
    for (int k = from; k < to; k++) {
      c.put(indices[k - from], p.values[k]);
    }
    ev.touch(s);
    ev.lastT = Math.max(ev.lastT, t);
  }

  private static String goesBack(String key, long before, long now) {
    return "\"" + key + "\" goes back from " + before + " to " + now + ", but counters only grow";
  }

  /** The peaks a gauge line may raise. */
  private static void gaugeApplied(SiteRecord s, Events ev) {
    SiteRecord.Numbers g = s.gauge();
    s.peakSize = Math.max(s.peakSize, g.get(NumberKeys.SIZE));
    if (g.get(NumberKeys.MAPS) > 0) {
      s.lastLiveSize = g.get(NumberKeys.SIZE);
    }
    s.peakSlots = Math.max(s.peakSlots, g.get(NumberKeys.SLOTS));
    s.peakTombstones =
        Math.max(
            s.peakTombstones,
            Math.max(g.get(NumberKeys.TOMBSTONES), g.get(NumberKeys.TOMBSTONES_PEAK)));
    s.peakEstimatedBytes = Math.max(s.peakEstimatedBytes, g.get(NumberKeys.ESTIMATED_BYTES));
    s.peakDeadSlots = Math.max(s.peakDeadSlots, g.get(NumberKeys.DEAD_SLOTS));
    // One map's exact peak: the site held at least that much at once.
    s.peakSize = Math.max(s.peakSize, g.get(NumberKeys.MAP_SIZE_PEAK));
    ev.touch(s);
  }

  /**
   * The entry of delete call stack {@code key} in {@code s}, made if new: {deletes, deleteMisses,
   * silentDeletes}.
   */
  private long[] deleteSite(Path file, long line, SiteRecord s, List<String> key, String appFrame)
      throws RecordingException {
    long[] entry = s.deleteSites.get(key);
    if (entry == null) {
      if (++deleteStacks > MAX_DELETE_STACKS) {
        throw new RecordingException(
            file,
            line,
            String.format(
                Locale.ROOT,
                "more than %,d delete call stacks, the most this analyzer holds (the agent"
                    + " writes at most 20,000): narrow the input to the lines of fewer sites",
                MAX_DELETE_STACKS));
      }
      entry = new long[3];
      s.deleteSites.put(key, entry);
    }
    if (appFrame != null) {
      s.deleteSiteAppFrames.put(key, appFrame);
    }
    return entry;
  }

  /** A JSON line of a complete interval that ended at {@code intervalT}. */
  private void apply(Path file, long line, String type, JsonNode node, Events ev, long intervalT)
      throws RecordingException {
    if (type.equals(UNTRACKED)) {
      String family = Objects.requireNonNullElse(text(node.path("family")), "other");
      if (!ev.untracked.containsKey(family) && ev.untracked.size() >= MAX_FAMILIES) {
        throw new RecordingException(
            file,
            line,
            "more than "
                + MAX_FAMILIES
                + " map families in untracked lines, the most this analyzer holds (the agent"
                + " writes 5): narrow the input to the lines of fewer families");
      }
      copyNumbers(node, ev.untracked.computeIfAbsent(family, f -> new HashMap<>()));
      return;
    }
    SiteRecord s = site(file, line, node.get("site").asInt());
    long t = node.has("t") ? node.get("t").asLong() : intervalT;
    switch (type) {
      case "counters" -> {
        SiteRecord.Numbers c = s.counters();
        for (var it = node.fields(); it.hasNext(); ) {
          var f = it.next();
          int index = keys.find(f.getKey());
          if (c.has(index)
              && f.getValue().isNumber()
              && f.getValue().asLong() < c.get(index)
              && !f.getKey().equals("site")) {
            problems.skip(file, line, goesBack(f.getKey(), c.get(index), f.getValue().asLong()));
            return;
          }
        }
        copyNumbers(file, line, node, c);
        ev.touch(s);
      }
      case "gauge" -> {
        copyNumbers(file, line, node, s.gauge());
        gaugeApplied(s, ev);
      }
      case "grow" -> {
        ev.growEvents++;
        s.growEvents++;
        if ("overflow".equals(node.path("cause").asText())) {
          s.growEventsOverflow++;
        }
        s.growNanos =
            capped(s.growNanos, node.path("durationNanos").asLong(), file, line, "grow time");
        String cause = Printable.clean(node.path("cause").asText());
        if (s.growNanosByCause.size() < MAX_FAMILIES || s.growNanosByCause.containsKey(cause)) {
          s.growNanosByCause.put(
              cause,
              capped(
                  s.growNanosByCause.getOrDefault(cause, 0L),
                  node.path("durationNanos").asLong(),
                  file,
                  line,
                  "grow time"));
        }
        s.growTombstonesReclaimed =
            capped(
                s.growTombstonesReclaimed,
                node.path("tombstonesReclaimed").asLong(),
                file,
                line,
                "tombstones reclaimed by grows");
        s.growHelpers = capped(s.growHelpers, node.path("helpers").asLong(), file, line, "helpers");
        // Every entry a grow moved was in the map when the grow started: a load and drain
        // inside one interval, which no gauge sees, still shows its peak here.
        s.peakSize = Math.max(s.peakSize, node.path("entriesMoved").asLong());
      }
      case "deleteSite" -> {
        long[] entry = deleteSite(file, line, s, stackKey(node), text(node.path("appFrame")));
        entry[0] = node.path("deletes").asLong();
        entry[1] = node.path("deleteMisses").asLong();
        entry[2] = node.path("silentDeletes").asLong();
      }
      default -> throw new IllegalStateException(type);
    }
    ev.lastT = Math.max(ev.lastT, t);
  }

  /** {@code sum + value}, stopped at 2^48 with a warning (both are at most 2^48 already). */
  private long capped(long sum, long value, Path file, long line, String what) {
    long total = sum + value;
    if (total > NumberRules.MAX) {
      problems.warn(file + ":" + line + ": the " + what + " of a site pass 2^48; kept at 2^48");
      return NumberRules.MAX;
    }
    return total;
  }

  private SiteRecord site(Path file, long line, int id) throws RecordingException {
    SiteRecord s = id < siteCache.length ? siteCache[id] : null;
    if (s != null) {
      return s;
    }
    s = sites.get(id);
    if (s == null) {
      if (sites.size() >= MAX_SITES) {
        throw tooManySites(file, line);
      }
      // sites.jsonl is flushed with the events; a site missing there was cut off with it.
      s = new SiteRecord(keys, id, "unknown", List.of());
      sites.put(id, s);
    }
    if (id < SITE_CACHE) {
      if (id >= siteCache.length) {
        siteCache = java.util.Arrays.copyOf(siteCache, Math.min(SITE_CACHE, id * 2 + 16));
      }
      siteCache[id] = s;
    }
    return s;
  }

  private static Release release(JsonNode n, long t) {
    return new Release(
        t,
        text(n.path("trigger"), "unknown"),
        memory(n.path("before")),
        memory(n.path("after")),
        memory(n.path("released")),
        n.path("mapsCompacted").asLong(),
        n.path("mapsPending").asLong(),
        n.path("pendingBytes").asLong(),
        n.path("gcCount").asLong(),
        n.path("durationMs").asLong());
  }

  private static Release.Memory memory(JsonNode m) {
    return new Release.Memory(
        m.path("heapUsedBytes").asLong(),
        m.path("heapCommittedBytes").asLong(),
        m.path("rssBytes").asLong(-1),
        m.path("mapBytes").asLong(),
        m.path("tombstones").asLong());
  }

  private static void copyNumbers(JsonNode node, Map<String, Long> into) {
    node.fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNumber()) {
                into.put(f.getKey(), f.getValue().asLong());
              }
            });
  }

  /** The numbers of a JSON line, {@code t} and {@code site} included. */
  private void copyNumbers(Path file, long line, JsonNode node, SiteRecord.Numbers into)
      throws RecordingException {
    for (var it = node.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getValue().isNumber()) {
        into.put(keyIndex(file, line, f.getKey()), f.getValue().asLong());
      }
    }
  }

  @FunctionalInterface
  private interface LineHandler {
    void accept(long line, JsonNode node) throws RecordingException;
  }

  @FunctionalInterface
  private interface RawHandler {
    /**
     * Handles the line {@code in} moved to; {@link IllegalArgumentException} if it does not parse.
     */
    void accept(long line, LineReader in) throws RecordingException;
  }

  private static JsonNode json(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(oneLine(e), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return node;
  }

  private void forEachJsonLine(Path file, LineHandler handler) throws RecordingException {
    forEachLine(
        file,
        false,
        problems,
        eventBytes::set,
        () -> false,
        (line, in) -> {
          String text = in.text();
          if (!in.utf8()) {
            throw new IllegalArgumentException("not UTF-8");
          }
          handler.accept(line, json(text));
        });
  }

  /** Whether the line {@code in} moved to is empty or white space only. */
  static boolean blank(LineReader in) {
    byte[] b = in.bytes();
    for (int i = in.from(); i < in.to(); i++) {
      if (b[i] < 0) {
        return in.text().isBlank();
      }
      if (!Character.isWhitespace(b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Hands each non-blank line of {@code file} to {@code handler}, until {@code stop} says so. A
   * last line that does not parse is a truncated tail; one in the middle is an error, or with
   * {@code segment} the end of what is used of the file (a corrupt segment costs the rest of that
   * segment, with one warning). What it works around goes to {@code problems}; {@code progress} is
   * told the bytes of the file read so far, and its size at the end.
   */
  private static void forEachLine(
      Path file,
      boolean segment,
      Problems problems,
      LongConsumer progress,
      BooleanSupplier stop,
      RawHandler handler)
      throws RecordingException {
    if (!Files.exists(file)) {
      throw new RecordingException(file, 0, "missing");
    }
    InputStream stream;
    try {
      stream = Segments.open(file);
    } catch (IOException e) {
      if (!segment) {
        throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
      }
      corruptSegment(problems, file, 0, e.getMessage());
      progress.accept(RecordingLayout.size(file));
      return;
    }
    try (LineReader in = new LineReader(stream)) {
      try {
        while (!stop.getAsBoolean() && in.nextRaw()) {
          long line = in.lineNumber();
          if ((line & 1023) == 0) {
            progress.accept(in.bytesRead());
          }
          if (in.tooLong()) {
            problems.skip(file, line, "longer than 1 MiB, no line of the format is");
            continue;
          }
          if (blank(in)) {
            continue;
          }
          try {
            handler.accept(line, in);
          } catch (IllegalArgumentException e) {
            if (!in.terminated() || in.next() == null) {
              problems.truncated(file, line);
              break;
            }
            if (segment) {
              corruptSegment(problems, file, line, e.getMessage());
              break;
            }
            throw new RecordingException(file, line, e.getMessage());
          }
          if (!in.terminated()) {
            // A whole line without its newline: the writer was stopped right after it.
            problems.warn(file + ":" + line + ": last line has no newline; used it");
          }
        }
      } catch (IOException e) {
        if (!segment) {
          throw e;
        }
        corruptSegment(problems, file, in.lineNumber() + 1, e.getMessage());
      }
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
    progress.accept(RecordingLayout.size(file));
  }

  private static void corruptSegment(Problems problems, Path file, long line, String why) {
    problems.warn(
        file
            + (line > 0 ? ":" + line : "")
            + ": corrupt segment ("
            + why
            + "): the rest of this segment is not used, the other segments are");
  }

  /**
   * {@code text}, line {@code line} of {@code file}, as a JSON object; null when it is a truncated
   * last line (with a warning). A line that does not parse in the middle of the file is an error.
   */
  static JsonNode jsonLine(LineReader in, Path file, String text, long line, Problems problems)
      throws IOException, RecordingException {
    JsonNode node;
    try {
      if (!in.utf8()) {
        throw new IllegalArgumentException("not UTF-8");
      }
      node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
    } catch (JsonProcessingException | IllegalArgumentException e) {
      if (!in.terminated() || in.next() == null) {
        problems.truncated(file, line);
        return null;
      }
      throw new RecordingException(file, line, oneLine(e));
    }
    if (!in.terminated()) {
      // A whole JSON object without its newline: the writer was stopped right after it.
      problems.warn(file + ":" + line + ": last line has no newline; used it");
    }
    return node;
  }

  private static String shortText(JsonNode value) {
    String s = value.isValueNode() ? value.asText() : value.toString();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  private static String oneLine(Exception e) {
    String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
