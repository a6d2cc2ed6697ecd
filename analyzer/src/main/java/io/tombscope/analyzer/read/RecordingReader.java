package io.tombscope.analyzer.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Reads a recording directory in one streaming pass per file, trusting no number in it.
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
  private final long totalBytes;
  private long bytesDone;
  private final Problems problems;
  private final Map<Integer, SiteRecord> sites = new LinkedHashMap<>();
  private ReportPoints points;
  private int deleteStacks;

  /** The latest {@code t} this recording can hold: its start may not be after now. */
  private long maxT = NumberRules.MAX;

  private RecordingReader(Path dir, ReadListener listener) {
    this.dir = dir;
    this.listener = listener;
    this.problems = new Problems(listener);
    this.totalBytes =
        size(dir.resolve("events.jsonl"))
            + size(dir.resolve("histograms.hlog"))
            + size(dir.resolve("sites.jsonl"));
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
    return new RecordingReader(dir, listener).readAll();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private Recording readAll() throws RecordingException {
    Meta meta = readMeta(dir.resolve("meta.json"), problems);
    maxT =
        Math.max(
            0,
            Math.min(
                NumberRules.MAX,
                System.currentTimeMillis() + CLOCK_SLACK_MS - meta.startEpochMs()));
    readSites(dir.resolve("sites.jsonl"));
    points = ReportPoints.forSites(sites.size());
    Events events = readEvents(dir.resolve("events.jsonl"));
    for (SiteRecord s : sites.values()) {
      s.fillTo(points.size());
    }
    long hlogStart = bytesDone;
    Map<String, Histogram> totals =
        new HistogramLog(
                sites, maxT, problems, read -> listener.progress(hlogStart + read, totalBytes))
            .read(
                dir.resolve("histograms.hlog"),
                events.ended ? Long.MAX_VALUE : events.lastIntervalT);
    return new Recording(
        dir,
        meta,
        points.times(),
        sites,
        totals,
        List.copyOf(events.releases),
        events.agent,
        events.untracked,
        events.growEvents,
        events.ended,
        events.lastT,
        problems.finish(),
        points.intervals(),
        problems.skippedLines());
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
    if (!format.canConvertToInt() || format.asInt() > 1) {
      throw new RecordingException(
          file, 1, "format " + format.asText() + " is newer than this analyzer (it reads 1)");
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

  /** What {@code events.jsonl} adds beyond the per-site state. */
  private static final class Events {
    final List<Release> releases = new ArrayList<>();
    final Map<String, Long> agent = new HashMap<>();
    final Map<String, Map<String, Long>> untracked = new TreeMap<>();

    /** Lines of the interval in progress: used when its {@code agent} line comes. */
    final List<Pending> pending = new ArrayList<>();

    final Set<SiteRecord> touched = new LinkedHashSet<>();
    long growEvents;
    boolean ended;
    long lastT;

    /** {@code t} of the last complete interval; -1 before the first. */
    long lastIntervalT = -1;

    long lines;
  }

  /** A site's line of the interval in progress. */
  private record Pending(long line, String type, JsonNode node) {}

  private Events readEvents(Path file) throws RecordingException {
    Events ev = new Events();
    forEachJsonLine(
        file,
        (line, node) -> {
          ev.lines++;
          JsonNode typeNode = node.get("type");
          String problem = NumberRules.problem(node, maxT);
          if (problem == null && (typeNode == null || !typeNode.isTextual())) {
            problem = "an event without \"type\"";
          }
          if (problem == null && !node.path("t").isIntegralNumber()) {
            problem = "\"t\" is missing";
          }
          if (problem != null) {
            problems.skip(file, line, problem);
            return;
          }
          String type = typeNode.asText();
          long t = node.get("t").asLong();
          switch (type) {
            case "counters", "gauge", "grow", "deleteSite", UNTRACKED -> {
              if (!type.equals(UNTRACKED) && !node.path("site").isIntegralNumber()) {
                problems.skip(file, line, "\"site\" is missing");
                return;
              }
              if (ev.pending.size() >= MAX_INTERVAL_LINES) {
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
              ev.pending.add(new Pending(line, type, node));
            }
            case "agent" -> {
              if (t < ev.lastIntervalT) {
                problems.skip(
                    file,
                    line,
                    "\"t\" is " + t + ", before the last interval's " + ev.lastIntervalT);
                return;
              }
              commit(file, ev);
              int point = points.add(t, sites.values());
              for (SiteRecord s : ev.touched) {
                s.record(point);
              }
              ev.touched.clear();
              copyNumbers(node, ev.agent);
              ev.lastIntervalT = t;
              ev.lastT = Math.max(ev.lastT, t);
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
              ev.releases.add(release(node, t));
              ev.lastT = Math.max(ev.lastT, t);
            }
            case "end" -> {
              // A normal shutdown wrote everything before it: the last lines are complete too.
              commit(file, ev);
              ev.touched.clear();
              ev.ended = true;
              ev.lastT = Math.max(ev.lastT, t);
            }
            default -> {
              // A newer agent's event type: ignored by contract.
            }
          }
        });
    if (ev.lines == 0) {
      throw new RecordingException(file, 0, "empty: the recording holds no events");
    }
    if (!ev.pending.isEmpty()) {
      problems.skipped(ev.pending.size());
      problems.warn(
          file
              + ":"
              + ev.pending.get(0).line()
              + ": "
              + ev.pending.size()
              + " line(s) from here on are an interval the agent did not finish writing (it"
              + " stopped mid-flush): not used");
    }
    return ev;
  }

  /** Applies the interval's lines, now that it is complete. */
  private void commit(Path file, Events ev) throws RecordingException {
    for (Pending p : ev.pending) {
      apply(file, p, ev);
    }
    ev.pending.clear();
  }

  private void apply(Path file, Pending p, Events ev) throws RecordingException {
    JsonNode node = p.node();
    if (p.type().equals(UNTRACKED)) {
      String family = Objects.requireNonNullElse(text(node.path("family")), "other");
      if (!ev.untracked.containsKey(family) && ev.untracked.size() >= MAX_FAMILIES) {
        throw new RecordingException(
            file,
            p.line(),
            "more than "
                + MAX_FAMILIES
                + " map families in untracked lines, the most this analyzer holds (the agent"
                + " writes 5): narrow the input to the lines of fewer families");
      }
      copyNumbers(node, ev.untracked.computeIfAbsent(family, f -> new HashMap<>()));
      return;
    }
    SiteRecord s = site(file, p.line(), node.get("site").asInt());
    long t = node.get("t").asLong();
    switch (p.type()) {
      case "counters" -> {
        String back = goesBack(s.counters, node);
        if (back != null) {
          problems.skip(file, p.line(), back);
          return;
        }
        copyNumbers(node, s.counters);
        ev.touched.add(s);
      }
      case "gauge" -> {
        copyNumbers(node, s.gauge);
        s.peakSize = Math.max(s.peakSize, s.gauge("size"));
        if (s.gauge("maps") > 0) {
          s.lastLiveSize = s.gauge("size");
        }
        s.peakSlots = Math.max(s.peakSlots, s.gauge("slots"));
        s.peakTombstones =
            Math.max(s.peakTombstones, Math.max(s.gauge("tombstones"), s.gauge("tombstonesPeak")));
        s.peakEstimatedBytes = Math.max(s.peakEstimatedBytes, s.gauge("estimatedBytes"));
        s.peakDeadSlots = Math.max(s.peakDeadSlots, s.gauge("deadSlots"));
        // One map's exact peak: the site held at least that much at once.
        s.peakSize = Math.max(s.peakSize, s.gauge("mapSizePeak"));
        ev.touched.add(s);
      }
      case "grow" -> {
        ev.growEvents++;
        s.growEvents++;
        if ("overflow".equals(node.path("cause").asText())) {
          s.growEventsOverflow++;
        }
        s.growNanos =
            capped(s.growNanos, node.path("durationNanos").asLong(), file, p, "grow time");
        String cause = Printable.clean(node.path("cause").asText());
        if (s.growNanosByCause.size() < MAX_FAMILIES || s.growNanosByCause.containsKey(cause)) {
          s.growNanosByCause.put(
              cause,
              capped(
                  s.growNanosByCause.getOrDefault(cause, 0L),
                  node.path("durationNanos").asLong(),
                  file,
                  p,
                  "grow time"));
        }
        s.growTombstonesReclaimed =
            capped(
                s.growTombstonesReclaimed,
                node.path("tombstonesReclaimed").asLong(),
                file,
                p,
                "tombstones reclaimed by grows");
        s.growHelpers = capped(s.growHelpers, node.path("helpers").asLong(), file, p, "helpers");
        // Every entry a grow moved was in the map when the grow started: a load and drain
        // inside one interval, which no gauge sees, still shows its peak here.
        s.peakSize = Math.max(s.peakSize, node.path("entriesMoved").asLong());
      }
      case "deleteSite" -> {
        List<String> stack = new ArrayList<>();
        stack.add(Printable.clean(node.path("frame").asText("(unknown)")));
        for (JsonNode c : node.path("callers")) {
          if (stack.size() <= MAX_FRAMES) {
            stack.add(Printable.clean(c.asText()));
          }
        }
        List<String> key = List.copyOf(stack);
        if (!s.deleteSites.containsKey(key) && ++deleteStacks > MAX_DELETE_STACKS) {
          throw new RecordingException(
              file,
              p.line(),
              String.format(
                  Locale.ROOT,
                  "more than %,d delete call stacks, the most this analyzer holds (the agent"
                      + " writes at most 20,000): narrow the input to the lines of fewer sites",
                  MAX_DELETE_STACKS));
        }
        s.deleteSites.put(
            key,
            new long[] {
              node.path("deletes").asLong(),
              node.path("deleteMisses").asLong(),
              node.path("silentDeletes").asLong()
            });
        String appFrame = text(node.path("appFrame"));
        if (appFrame != null) {
          s.deleteSiteAppFrames.put(key, appFrame);
        }
      }
      default -> throw new IllegalStateException(p.type());
    }
    ev.lastT = Math.max(ev.lastT, t);
  }

  /** A phrase naming a cumulative counter of {@code line} lower than it was, or null. */
  private static String goesBack(Map<String, Long> last, JsonNode line) {
    for (var it = line.fields(); it.hasNext(); ) {
      var f = it.next();
      Long before = last.get(f.getKey());
      if (before != null
          && f.getValue().isNumber()
          && f.getValue().asLong() < before
          && !f.getKey().equals("site")) {
        return "\""
            + f.getKey()
            + "\" goes back from "
            + before
            + " to "
            + f.getValue().asLong()
            + ", but counters only grow";
      }
    }
    return null;
  }

  /** {@code sum + value}, stopped at 2^48 with a warning (both are at most 2^48 already). */
  private long capped(long sum, long value, Path file, Pending p, String what) {
    long total = sum + value;
    if (total > NumberRules.MAX) {
      problems.warn(file + ":" + p.line() + ": the " + what + " of a site pass 2^48; kept at 2^48");
      return NumberRules.MAX;
    }
    return total;
  }

  private SiteRecord site(Path file, long line, int id) throws RecordingException {
    SiteRecord s = sites.get(id);
    if (s == null) {
      if (sites.size() >= MAX_SITES) {
        throw tooManySites(file, line);
      }
      // sites.jsonl is flushed with the events; a site missing there was cut off with it.
      s = new SiteRecord(id, "unknown", List.of());
      sites.put(id, s);
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

  @FunctionalInterface
  private interface LineHandler {
    void accept(long line, JsonNode node) throws RecordingException;
  }

  private void forEachJsonLine(Path file, LineHandler handler) throws RecordingException {
    if (!Files.exists(file)) {
      throw new RecordingException(file, 0, "missing");
    }
    try (LineReader in = new LineReader(file)) {
      for (String text; (text = in.next()) != null; ) {
        long line = in.lineNumber();
        if ((line & 1023) == 0) {
          report(in);
        }
        if (in.tooLong()) {
          problems.skip(file, line, "longer than 1 MiB, no line of the format is");
          continue;
        }
        if (text.isBlank()) {
          continue;
        }
        JsonNode node = jsonLine(in, file, text, line, problems);
        if (node == null) {
          break;
        }
        handler.accept(line, node);
      }
      bytesDone += in.bytesRead();
      listener.progress(bytesDone, totalBytes);
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
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

  private void report(LineReader in) {
    listener.progress(bytesDone + in.bytesRead(), totalBytes);
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
