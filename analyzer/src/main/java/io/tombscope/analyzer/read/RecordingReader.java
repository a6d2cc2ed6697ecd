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
  private RecordingLayout layout;
  private long totalBytes;
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

  private Recording readAll() throws RecordingException {
    Meta meta = readMeta(dir.resolve("meta.json"), problems);
    maxT =
        Math.max(
            0,
            Math.min(
                NumberRules.MAX,
                System.currentTimeMillis() + CLOCK_SLACK_MS - meta.startEpochMs()));
    layout = RecordingLayout.of(dir, meta.format());
    totalBytes = layout.bytes() + RecordingLayout.size(dir.resolve("sites.jsonl"));
    readSites(dir.resolve("sites.jsonl"));
    points = ReportPoints.forSites(sites.size());
    Events events = new Events();
    List<Path> eventFiles = layout.events();
    for (int i = 0; i < eventFiles.size(); i++) {
      readEvents(eventFiles.get(i), events, i == eventFiles.size() - 1);
    }
    finishEvents(eventFiles.get(eventFiles.size() - 1), events);
    for (SiteRecord s : sites.values()) {
      s.fillTo(points.size());
    }
    HistogramLog histograms = new HistogramLog(sites, maxT, problems);
    long usableUntilT = events.ended ? Long.MAX_VALUE : events.lastIntervalT;
    for (Path file : layout.histograms()) {
      if (!Files.exists(file)) {
        throw new RecordingException(file, 0, "missing");
      }
      long before = bytesDone;
      try (InputStream in = Segments.open(file)) {
        histograms.read(
            file,
            new LineReader(in),
            usableUntilT,
            layout.segmented(),
            read -> listener.progress(before + read, totalBytes));
      } catch (IOException e) {
        if (!layout.segmented()) {
          throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
        }
        corruptSegment(file, 0, e.getMessage());
      }
      bytesDone = before + RecordingLayout.size(file);
    }
    Map<String, Histogram> totals = histograms.totals();
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
        problems.skippedLines(),
        points.deleteRate());
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
    final List<Pending> pending = new ArrayList<>();

    final Set<SiteRecord> touched = new LinkedHashSet<>();
    long growEvents;
    boolean ended;
    long lastT;

    /** {@code t} of the last complete interval; -1 before the first. */
    long lastIntervalT = -1;

    long lines;
  }

  /**
   * A site's line of the interval in progress: a JSON object ({@code node}), or the numbers of a
   * compact {@code counters} or {@code gauge} line ({@code keys} and {@code values}, whose {@code
   * t} is that of the interval).
   */
  private record Pending(
      Path file, long line, String type, JsonNode node, String[] keys, long[] values) {}

  /**
   * Reads one events file (a segment, or format 1's only file) into {@code ev}. A segment that is
   * corrupt part way costs the rest of that segment, with one warning; in format 1, or in the last
   * segment, a corrupt last line is a truncated tail.
   */
  private void readEvents(Path file, Events ev, boolean lastFile) throws RecordingException {
    CompactDecoder compact = layout.segmented() ? new CompactDecoder(MAX_SITES) : null;
    Map<Integer, JsonNode> stacks = new HashMap<>();
    forEachLine(
        file,
        compact != null,
        (line, text) -> {
          ev.lines++;
          if (compact != null && CompactDecoder.isCompact(text)) {
            compactLine(file, line, ev, compact.decode(text), stacks);
            return;
          }
          JsonNode node = json(text);
          JsonNode typeNode = node.get("type");
          String problem = NumberRules.problem(node, maxT);
          if (problem == null && (typeNode == null || !typeNode.isTextual())) {
            problem = "an event without \"type\"";
          }
          if (problem == null && compact != null && "columns".equals(typeNode.asText())) {
            problem = columns(compact, node);
            if (problem == null) {
              return;
            }
          }
          if (problem == null && compact != null && "stack".equals(typeNode.asText())) {
            problem = stack(stacks, node);
            if (problem == null) {
              return;
            }
          }
          if (problem == null && !node.path("t").isIntegralNumber()) {
            problem = "\"t\" is missing";
          }
          if (problem != null) {
            problems.skip(file, line, problem);
            return;
          }
          event(file, line, ev, typeNode.asText(), node);
        });
    if (compact != null && !lastFile && !ev.pending.isEmpty()) {
      unfinished(ev);
    }
  }

  /**
   * A compact line as a pending one: {@code t} (its interval's, set at commit), site, columns; a
   * {@code deleteSite} line as the JSON object of its stack with its numbers.
   */
  private void compactLine(
      Path file, long line, Events ev, CompactDecoder.Line c, Map<Integer, JsonNode> stacks)
      throws RecordingException {
    if (c.type().equals("deleteSite")) {
      JsonNode stack = stacks.get(c.site());
      if (stack == null) {
        throw new IllegalArgumentException(
            "delete call stack " + c.site() + " was not declared in this segment");
      }
      com.fasterxml.jackson.databind.node.ObjectNode node =
          ((com.fasterxml.jackson.databind.node.ObjectNode) stack).deepCopy();
      node.put("type", "deleteSite");
      node.remove("id");
      for (int i = 0; i < c.keys().size(); i++) {
        String problem = NumberRules.check(c.keys().get(i), c.values()[i], maxT);
        if (problem != null) {
          problems.skip(file, line, problem);
          return;
        }
        node.put(c.keys().get(i), c.values()[i]);
      }
      pend(file, line, ev, new Pending(file, line, "deleteSite", node, null, null));
      return;
    }
    int n = c.keys().size();
    String[] keys = new String[n + 2];
    long[] values = new long[n + 2];
    keys[0] = "t";
    keys[1] = "site";
    values[1] = c.site();
    for (int i = 0; i < n; i++) {
      keys[i + 2] = c.keys().get(i);
      values[i + 2] = c.values()[i];
      String problem = NumberRules.check(keys[i + 2], values[i + 2], maxT);
      if (problem != null) {
        problems.skip(file, line, problem);
        return;
      }
    }
    pend(file, line, ev, new Pending(file, line, c.type(), null, keys, values));
  }

  /** Declares the delete call stack of a {@code stack} line; returns why it is not one, or null. */
  static String stack(Map<Integer, JsonNode> stacks, JsonNode node) {
    JsonNode id = node.get("id");
    if (id == null || !id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= MAX_DELETE_STACKS) {
      return "\"id\" of a stack is not a whole number from 0 to " + (MAX_DELETE_STACKS - 1);
    }
    if (!node.path("site").isIntegralNumber()) {
      return "\"site\" is missing";
    }
    if (!stacks.containsKey(id.asInt()) && stacks.size() >= MAX_DELETE_STACKS) {
      return "more than " + MAX_DELETE_STACKS + " delete call stacks in one segment";
    }
    stacks.put(id.asInt(), node);
    return null;
  }

  /** Declares the columns of a {@code columns} line; returns why it is not one, or null. */
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
    if (ev.lines == 0) {
      throw new RecordingException(lastFile, 0, "empty: the recording holds no events");
    }
    if (!ev.pending.isEmpty()) {
      unfinished(ev);
    }
  }

  private void unfinished(Events ev) {
    Pending first = ev.pending.get(0);
    problems.skipped(ev.pending.size());
    problems.warn(
        first.file()
            + ":"
            + first.line()
            + ": "
            + ev.pending.size()
            + " line(s) from here on are an interval the agent did not finish writing (it"
            + " stopped mid-flush): not used");
    ev.pending.clear();
    ev.touched.clear();
  }

  private void pend(Path file, long line, Events ev, Pending p) throws RecordingException {
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
    ev.pending.add(p);
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
        pend(file, line, ev, new Pending(file, line, type, node, null, null));
      }
      case "agent" -> {
        if (t < ev.lastIntervalT) {
          problems.skip(
              file, line, "\"t\" is " + t + ", before the last interval's " + ev.lastIntervalT);
          return;
        }
        commit(ev, t);
        int point = points.add(t, sites.values());
        long deleted = 0;
        for (SiteRecord s : ev.touched) {
          deleted += s.record(point, points.lastIntervalMillis());
        }
        points.deleted(point, deleted);
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
        commit(ev, Math.max(t, ev.lastIntervalT));
        ev.touched.clear();
        ev.ended = true;
        ev.lastT = Math.max(ev.lastT, t);
      }
      default -> {
        // A newer agent's event type: ignored by contract.
      }
    }
  }

  /** Applies the interval's lines, now that it is complete; it ended at {@code t}. */
  private void commit(Events ev, long t) throws RecordingException {
    for (Pending p : ev.pending) {
      apply(p, ev, t);
    }
    ev.pending.clear();
  }

  private void apply(Pending p, Events ev, long intervalT) throws RecordingException {
    Path file = p.file();
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
    int siteId = node != null ? node.get("site").asInt() : (int) p.values()[1];
    SiteRecord s = site(file, p.line(), siteId);
    long t = node != null && node.has("t") ? node.get("t").asLong() : intervalT;
    switch (p.type()) {
      case "counters" -> {
        String back = node != null ? goesBack(s.counters, node) : goesBack(s.counters, p);
        if (back != null) {
          problems.skip(file, p.line(), back);
          return;
        }
        copyNumbers(node, p, t, s.counters);
        ev.touched.add(s);
      }
      case "gauge" -> {
        copyNumbers(node, p, t, s.gauge);
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

  /** {@code site} and {@code t} first, then the columns: the numbers of a compact line. */
  private static String goesBack(Map<String, Long> last, Pending p) {
    for (int i = 2; i < p.keys().length; i++) {
      Long before = last.get(p.keys()[i]);
      if (before != null && p.values()[i] < before) {
        return "\""
            + p.keys()[i]
            + "\" goes back from "
            + before
            + " to "
            + p.values()[i]
            + ", but counters only grow";
      }
    }
    return null;
  }

  /** The numbers of a JSON line, or of a compact one with the interval's {@code t}. */
  private static void copyNumbers(JsonNode node, Pending p, long t, Map<String, Long> into) {
    if (node != null) {
      copyNumbers(node, into);
      return;
    }
    into.put("t", t);
    for (int i = 1; i < p.keys().length; i++) {
      into.put(p.keys()[i], p.values()[i]);
    }
  }

  @FunctionalInterface
  private interface LineHandler {
    void accept(long line, JsonNode node) throws RecordingException;
  }

  @FunctionalInterface
  private interface TextHandler {
    /** Handles one line; {@link IllegalArgumentException} if it does not parse. */
    void accept(long line, String text) throws RecordingException;
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
    forEachLine(file, false, (line, text) -> handler.accept(line, json(text)));
  }

  /**
   * Hands each non-blank line of {@code file} to {@code handler}. A last line that does not parse
   * is a truncated tail; one in the middle is an error, or with {@code segment} the end of what is
   * used of the file (a corrupt segment costs the rest of that segment, with one warning).
   */
  private void forEachLine(Path file, boolean segment, TextHandler handler)
      throws RecordingException {
    if (!Files.exists(file)) {
      throw new RecordingException(file, 0, "missing");
    }
    long before = bytesDone;
    InputStream stream;
    try {
      stream = Segments.open(file);
    } catch (IOException e) {
      if (!segment) {
        throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
      }
      corruptSegment(file, 0, e.getMessage());
      bytesDone = before + RecordingLayout.size(file);
      return;
    }
    try (LineReader in = new LineReader(stream)) {
      try {
        for (String text; (text = in.next()) != null; ) {
          long line = in.lineNumber();
          if ((line & 1023) == 0) {
            listener.progress(before + in.bytesRead(), totalBytes);
          }
          if (in.tooLong()) {
            problems.skip(file, line, "longer than 1 MiB, no line of the format is");
            continue;
          }
          if (text.isBlank()) {
            continue;
          }
          try {
            if (!in.utf8()) {
              throw new IllegalArgumentException("not UTF-8");
            }
            handler.accept(line, text);
          } catch (IllegalArgumentException e) {
            if (!in.terminated() || in.next() == null) {
              problems.truncated(file, line);
              break;
            }
            if (segment) {
              corruptSegment(file, line, e.getMessage());
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
        corruptSegment(file, in.lineNumber() + 1, e.getMessage());
      }
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
    bytesDone = before + RecordingLayout.size(file);
    listener.progress(bytesDone, totalBytes);
  }

  private void corruptSegment(Path file, long line, String why) {
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
