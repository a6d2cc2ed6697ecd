package io.tombscope.analyzer.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Reads a recording directory in one streaming pass per file.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Keys and event types it does not know are ignored, so recordings from newer agents read.
 *   <li>A last line cut off before its {@code \n}, or one that does not parse, is a truncated tail
 *       (the agent was killed mid-write): one warning, and everything before it is used.
 *   <li>Anything else that is wrong (a missing file, a corrupt line in the middle, a histogram that
 *       does not decode, an empty recording) is a {@link RecordingException} naming file and line.
 *   <li>A site line without {@code family} is a {@code BucketHashMap} site ({@code bucket}); one
 *       without a usable {@code trackedOneIn} tracks every map (1).
 *   <li>Memory grows with sites × intervals (six longs each) and sites × series (one histogram
 *       each), never with the number of lines.
 * </ol>
 */
public final class RecordingReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final ReadListener listener;
  private final long totalBytes;
  private long bytesDone;
  private final List<String> warnings = new ArrayList<>();

  private RecordingReader(Path dir, ReadListener listener) {
    this.dir = dir;
    this.listener = listener;
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
    Meta meta = readMeta(dir.resolve("meta.json"));
    Map<Integer, SiteRecord> sites = readSites(dir.resolve("sites.jsonl"));
    Events events = readEvents(dir.resolve("events.jsonl"), sites);
    Map<String, Histogram> totals = readHistograms(dir.resolve("histograms.hlog"), sites);
    return new Recording(
        dir,
        meta,
        events.times.stream().mapToLong(Long::longValue).toArray(),
        sites,
        totals,
        List.copyOf(events.releases),
        events.agent,
        events.untracked,
        events.growEvents,
        events.ended,
        events.lastT,
        List.copyOf(warnings));
  }

  private Meta readMeta(Path file) throws RecordingException {
    JsonNode m;
    try {
      String text = Files.readString(file);
      if (text.isBlank()) {
        throw new RecordingException(file, 0, "empty: the agent did not start recording");
      }
      m = JSON.readTree(text);
    } catch (NoSuchFileException e) {
      throw new RecordingException(file, 0, "missing: is this a Tombscope recording directory?");
    } catch (JsonProcessingException e) {
      throw new RecordingException(
          file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), oneLine(e));
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
    int format = requireLong(m, "format", file, 1).intValue();
    if (format != 1) {
      throw new RecordingException(file, 1, "format " + format + " is newer than this analyzer");
    }
    JsonNode jvm = m.path("jvm");
    List<String> args = new ArrayList<>();
    jvm.path("inputArguments").forEach(a -> args.add(a.asText()));
    Map<String, String> options = new LinkedHashMap<>();
    m.path("options")
        .fields()
        .forEachRemaining(f -> options.put(f.getKey(), f.getValue().asText()));
    return new Meta(
        format,
        m.path("agentVersion").asText("unknown"),
        m.path("pid").asLong(-1),
        requireLong(m, "startEpochMs", file, 1),
        m.path("intervalMs").asLong(1000),
        jvm.path("version").asText("unknown"),
        jvm.path("vendor").asText("unknown"),
        jvm.path("vmName").asText("unknown"),
        jvm.path("mainCommand").asText(""),
        args,
        options);
  }

  private Map<Integer, SiteRecord> readSites(Path file) throws RecordingException {
    Map<Integer, SiteRecord> sites = new LinkedHashMap<>();
    forEachJsonLine(
        file,
        (line, node) -> {
          int id = requireLong(node, "site", file, line).intValue();
          List<String> frames = new ArrayList<>();
          node.path("allocationSite").forEach(f -> frames.add(f.asText()));
          SiteRecord site =
              new SiteRecord(
                  id,
                  node.path("mapClass").asText("unknown"),
                  frames,
                  family(node.path("family")),
                  trackedOneIn(node.path("trackedOneIn")));
          site.appFrame = text(node.path("appFrame"));
          site.grown = "grown".equals(node.path("tracking").asText());
          site.grownToSlots = node.path("grownToSlots").asLong();
          sites.put(id, site);
        });
    return sites;
  }

  /** A non-blank string value, else null. */
  private static String text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
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
    final List<Long> times = new ArrayList<>();
    final List<Release> releases = new ArrayList<>();
    final Map<String, Long> agent = new HashMap<>();
    final Map<String, Map<String, Long>> untracked = new TreeMap<>();
    long growEvents;
    boolean ended;
    long lastT;
    long lines;
  }

  private Events readEvents(Path file, Map<Integer, SiteRecord> sites) throws RecordingException {
    Events ev = new Events();
    forEachJsonLine(
        file,
        (line, node) -> {
          ev.lines++;
          String type = node.path("type").asText(null);
          if (type == null) {
            throw new RecordingException(file, line, "an event without \"type\"");
          }
          long t = requireLong(node, "t", file, line);
          ev.lastT = Math.max(ev.lastT, t);
          switch (type) {
            case "counters" -> copyNumbers(node, site(sites, node, file, line).counters);
            case "gauge" -> {
              SiteRecord s = site(sites, node, file, line);
              copyNumbers(node, s.gauge);
              s.peakSize = Math.max(s.peakSize, s.gauge("size"));
              if (s.gauge("maps") > 0) {
                s.lastLiveSize = s.gauge("size");
              }
              s.peakSlots = Math.max(s.peakSlots, s.gauge("slots"));
              s.peakTombstones =
                  Math.max(
                      s.peakTombstones, Math.max(s.gauge("tombstones"), s.gauge("tombstonesPeak")));
              s.peakEstimatedBytes = Math.max(s.peakEstimatedBytes, s.gauge("estimatedBytes"));
              s.peakDeadSlots = Math.max(s.peakDeadSlots, s.gauge("deadSlots"));
              // One map's exact peak: the site held at least that much at once.
              s.peakSize = Math.max(s.peakSize, s.gauge("mapSizePeak"));
            }
            case "grow" -> {
              SiteRecord s = site(sites, node, file, line);
              ev.growEvents++;
              s.growEvents++;
              if ("overflow".equals(node.path("cause").asText())) {
                s.growEventsOverflow++;
              }
              s.growNanos += node.path("durationNanos").asLong();
              s.growTombstonesReclaimed += node.path("tombstonesReclaimed").asLong();
              s.growHelpers += node.path("helpers").asLong();
              // Every entry a grow moved was in the map when the grow started: a load and drain
              // inside one interval, which no gauge sees, still shows its peak here.
              s.peakSize = Math.max(s.peakSize, node.path("entriesMoved").asLong());
            }
            case "deleteSite" -> {
              SiteRecord s = site(sites, node, file, line);
              List<String> stack = new ArrayList<>();
              stack.add(node.path("frame").asText("(unknown)"));
              node.path("callers").forEach(c -> stack.add(c.asText()));
              List<String> key = List.copyOf(stack);
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
            case "release" -> ev.releases.add(release(node, t));
            case "agent" -> {
              copyNumbers(node, ev.agent);
              int interval = ev.times.size();
              ev.times.add(t);
              for (SiteRecord s : sites.values()) {
                s.closeInterval(interval);
              }
            }
            case "untracked" ->
                copyNumbers(
                    node,
                    ev.untracked.computeIfAbsent(
                        node.path("family").asText("other"), f -> new HashMap<>()));
            case "end" -> ev.ended = true;
            default -> {
              // A newer agent's event type: ignored by contract.
            }
          }
        });
    if (ev.lines == 0) {
      throw new RecordingException(file, 0, "empty: the recording holds no events");
    }
    return ev;
  }

  private static SiteRecord site(
      Map<Integer, SiteRecord> sites, JsonNode node, Path file, long line)
      throws RecordingException {
    int id = requireLong(node, "site", file, line).intValue();
    SiteRecord s = sites.get(id);
    if (s == null) {
      // sites.jsonl is flushed with the events; a site missing there was cut off with it.
      s = new SiteRecord(id, "unknown", List.of());
      sites.put(id, s);
    }
    return s;
  }

  private static Release release(JsonNode n, long t) {
    return new Release(
        t,
        n.path("trigger").asText("unknown"),
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

  private Map<String, Histogram> readHistograms(Path file, Map<Integer, SiteRecord> sites)
      throws RecordingException {
    Map<String, Histogram> totals = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      throw new RecordingException(file, 0, "missing");
    }
    try (LineReader in = new LineReader(file)) {
      for (String text; (text = in.next()) != null; ) {
        long line = in.lineNumber();
        report(in);
        if (text.isEmpty() || text.startsWith("#") || text.startsWith("\"StartTimestamp\"")) {
          continue;
        }
        Histogram h;
        String tag;
        try {
          tag = null;
          String rest = text;
          if (rest.startsWith("Tag=")) {
            int comma = rest.indexOf(',');
            tag = rest.substring(4, comma);
            rest = rest.substring(comma + 1);
          }
          String[] fields = rest.split(",", 4);
          if (fields.length < 4) {
            throw new IllegalArgumentException("expected start, length, max and histogram");
          }
          ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(fields[3].trim()));
          h = Histogram.decodeFromCompressedByteBuffer(bytes, 0);
        } catch (RuntimeException | DataFormatException e) {
          if (!in.terminated() || in.next() == null) {
            truncated(file, line);
            break;
          }
          throw new RecordingException(file, line, "not a valid histogram line: " + oneLine(e));
        }
        if (tag == null) {
          continue;
        }
        int slash = tag.lastIndexOf('/');
        String series = slash < 0 ? tag : tag.substring(0, slash);
        add(totals, series, h);
        if (slash >= 0) {
          try {
            SiteRecord s = sites.get(Integer.parseInt(tag.substring(slash + 1)));
            if (s != null) {
              add(s.histograms, series, h);
            }
          } catch (NumberFormatException e) {
            // A tag of another tool: counted in the totals only.
          }
        }
      }
      bytesDone += in.bytesRead();
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
    return totals;
  }

  private static void add(Map<String, Histogram> into, String series, Histogram h) {
    Histogram sum = into.get(series);
    if (sum == null) {
      sum = new Histogram(2);
      sum.setAutoResize(true);
      into.put(series, sum);
    }
    sum.add(h);
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
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(text);
          if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
          }
        } catch (JsonProcessingException | IllegalArgumentException e) {
          if (!in.terminated() || in.next() == null) {
            truncated(file, line);
            break;
          }
          throw new RecordingException(file, line, oneLine(e));
        }
        if (!in.terminated()) {
          // A whole JSON object without its newline: the writer was stopped right after it.
          warnings.add(file + ":" + line + ": last line has no newline; used it");
          listener.warning(warnings.get(warnings.size() - 1));
        }
        handler.accept(line, node);
      }
      bytesDone += in.bytesRead();
      listener.progress(bytesDone, totalBytes);
    } catch (IOException e) {
      throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  private void report(LineReader in) {
    listener.progress(bytesDone + in.bytesRead(), totalBytes);
  }

  private void truncated(Path file, long line) {
    String w = file + ":" + line + ": truncated last line ignored; everything before it is used";
    warnings.add(w);
    listener.warning(w);
  }

  private static Long requireLong(JsonNode node, String key, Path file, long line)
      throws RecordingException {
    JsonNode v = node.get(key);
    if (v == null || !v.canConvertToLong()) {
      throw new RecordingException(file, line, "\"" + key + "\" is missing or not a number");
    }
    return v.asLong();
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
