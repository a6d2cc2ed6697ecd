package io.tombscope.benchmarks.analyzer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tombscope.benchmarks.Arguments;
import io.tombscope.format.CompactLines;
import io.tombscope.format.NumberLine;
import io.tombscope.format.Segments;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a synthetic recording exactly as {@code docs/recording-format.md} describes it, as large
 * as asked: {@code sites} allocation sites, each active in every one of {@code intervals} intervals
 * (the worst case for a reader: the format lets idle sites be left out).
 *
 * <p>Each site churns at a constant size: every interval it deletes present and absent keys (with
 * probe-length and sampled latency histograms), inserts reuse most of the tombstones, and the rest
 * pile up until an overflow grow reclaims them, which writes a {@code grow} event and the
 * evacuation histograms. Counters, gauges and histogram counts agree with each other, so a reader's
 * totals can be checked against {@link Totals}. Output is deterministic for a given seed, except
 * for {@code meta.json}'s {@code startEpochMs}, which is the time of writing.
 *
 * <p>Not thread-safe; one instance writes one recording.
 */
public final class SyntheticRecording {
  static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;
  private static final int GROW_EVERY_INTERVALS = 60;
  private static final String MAP_CLASS = "io.tombscope.map.BucketHashMap";

  /** The agent's defaults: histograms every minute, a segment every hour. */
  static final long HISTOGRAM_MS = 60_000;

  static final long SEGMENT_MS = 3_600_000;

  /** What was written: the exact totals a reader of the recording must arrive at. */
  public record Totals(
      int sites,
      int intervals,
      long deleteHits,
      long deleteMisses,
      long grows,
      long evacuatedBuckets,
      long tombstonesReclaimed,
      long histogramLines,
      long eventLines,
      long bytes) {}

  private final int sites;
  private final int intervals;
  private final long intervalMillis;
  private final boolean everyInterval;
  private final SplittableRandom random;
  private final JsonFactory json = new JsonFactory();
  private int format = 1;

  /**
   * @param sites allocation sites, at least 1
   * @param intervals intervals of activity, at least 1
   * @param intervalMillis the flush period the recording claims, at least 1
   * @param everyInterval write {@code counters}, {@code gauge}, {@code deleteSite} and {@code
   *     agent} lines every interval as the agent does; if false, only once at the end, so that the
   *     histogram log is nearly all there is to read
   * @param seed fixes every generated number
   */
  public SyntheticRecording(
      int sites, int intervals, long intervalMillis, boolean everyInterval, long seed) {
    if (sites < 1 || intervals < 1 || intervalMillis < 1) {
      throw new IllegalArgumentException(
          "sites, intervals and intervalMillis must be positive, got "
              + sites
              + ", "
              + intervals
              + ", "
              + intervalMillis);
    }
    this.sites = sites;
    this.intervals = intervals;
    this.intervalMillis = intervalMillis;
    this.everyInterval = everyInterval;
    this.random = new SplittableRandom(seed);
  }

  /**
   * Writes format {@code format} of {@code docs/recording-format.md}: 1 (one {@code events.jsonl}
   * and one {@code histograms.hlog}, the default) or 2 (compressed hourly segments, compact
   * counters and gauges written when they change, histograms per minute), as the agent writes it
   * with its default options.
   */
  public SyntheticRecording format(int format) {
    if (format != 1 && format != 2) {
      throw new IllegalArgumentException("format is 1 or 2, got " + format);
    }
    this.format = format;
    return this;
  }

  /** Per-site state carried from one interval to the next. */
  private static final class SiteState {
    final int id;
    final int size;
    final int b;
    final double missRate;
    long deleteHits;
    long deleteMisses;
    long tombstonesCollapsed;
    long tombstonesReused;
    long reclaimedByEvacuation;
    long growsOverflow;
    long evacuatedBuckets;
    long entriesMoved;
    long tombstones;
    long tombstonesPeak;
    long overflowBuckets;

    SiteState(int id, int size, double missRate) {
      this.id = id;
      this.size = size;
      this.missRate = missRate;
      int buckets = 1;
      int bits = 0;
      while (size > 6.5 * buckets) {
        buckets <<= 1;
        bits++;
      }
      this.b = bits;
    }

    long buckets() {
      return 1L << b;
    }
  }

  /**
   * Writes the recording into {@code dir}, which is created if missing and must not already hold a
   * recording.
   */
  public Totals writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (Files.exists(dir.resolve("meta.json"))) {
      throw new IOException(dir + " already holds a recording (meta.json exists)");
    }
    long startEpochMs = System.currentTimeMillis();
    SiteState[] states = new SiteState[sites];
    for (int i = 0; i < sites; i++) {
      int size = 1_000 * (1 + random.nextInt(50));
      states[i] = new SiteState(i + 1, size, random.nextDouble() * 0.3);
    }
    writeMeta(dir, startEpochMs);
    writeSites(dir, states);

    long grows = 0;
    Sink out =
        format == 1
            ? new PlainSink(dir, startEpochMs)
            : new SegmentSink(dir, startEpochMs, sites, intervalMillis);
    try (out) {
      for (int interval = 1; interval <= intervals; interval++) {
        long startMs = startEpochMs + (interval - 1) * intervalMillis;
        long endMs = startMs + intervalMillis;
        long t = endMs - startEpochMs;
        for (SiteState s : states) {
          long hits = s.size / 20 + random.nextInt(s.size / 10 + 1);
          long misses = Math.round(hits * s.missRate);
          s.deleteHits += hits;
          s.deleteMisses += misses;
          long collapsed = hits / 10;
          long reused = (hits - collapsed) * 3 / 4;
          s.tombstonesCollapsed += collapsed;
          s.tombstonesReused += reused;
          s.tombstones += hits - collapsed - reused;
          s.tombstonesPeak = Math.max(s.tombstonesPeak, s.tombstones);
          s.overflowBuckets = s.tombstones / 8;

          probeHistogram(out, "deleteProbe.hit", s, hits, 1, startMs, endMs);
          probeHistogram(out, "deleteProbe.miss", s, misses, 8, startMs, endMs);
          latencyHistogram(out, s, hits + misses, startMs, endMs);

          if ((interval + s.id) % GROW_EVERY_INTERVALS == 0 && s.tombstones > 0) {
            grows++;
            grow(out, s, startMs, endMs, t);
          }
          if (everyInterval || interval == intervals) {
            out.numbers(counters(s), t);
            out.numbers(gauge(s), t);
            writeDeleteSite(out, s, t);
          }
        }
        if (everyInterval || interval == intervals) {
          writeAgent(out, t);
        }
        out.intervalEnd(t, interval == intervals);
      }
      out.event(
          "end",
          0,
          g -> {
            g.writeStringField("type", "end");
            g.writeNumberField("t", (long) intervals * intervalMillis + 5);
          });
    }
    long histogramLines = out.histogramLines;
    long eventLines = out.eventLines;
    long deleteHits = 0;
    long deleteMisses = 0;
    long evacuatedBuckets = 0;
    long tombstonesReclaimed = 0;
    for (SiteState s : states) {
      deleteHits += s.deleteHits;
      deleteMisses += s.deleteMisses;
      evacuatedBuckets += s.evacuatedBuckets;
      tombstonesReclaimed += s.reclaimedByEvacuation;
    }
    long bytes = 0;
    for (Path f : files(dir)) {
      bytes += Files.size(f);
    }
    return new Totals(
        sites,
        intervals,
        deleteHits,
        deleteMisses,
        grows,
        evacuatedBuckets,
        tombstonesReclaimed,
        histogramLines,
        eventLines,
        bytes);
  }

  /** The files of a recording, as this class writes them, of either format. */
  static List<Path> files(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String f : List.of("meta.json", "sites.jsonl", "events.jsonl", "histograms.hlog")) {
      if (Files.exists(dir.resolve(f))) {
        files.add(dir.resolve(f));
      }
    }
    files.addAll(Segments.list(dir, Segments.EVENTS));
    files.addAll(Segments.list(dir, Segments.HISTOGRAMS));
    return files;
  }

  /**
   * Deletes a recording this class wrote: its files, then the directory if that is left empty.
   * Anything else in the directory stays, and so does the directory.
   */
  public static void delete(Path dir) throws IOException {
    for (Path f : files(dir)) {
      Files.deleteIfExists(f);
    }
    try (var left = Files.list(dir)) {
      if (left.findAny().isEmpty()) {
        Files.delete(dir);
      }
    }
  }

  /**
   * Probe lengths of {@code count} deletes: mostly short, with a tail that grows with the site's
   * tombstones, as on a map that is not compacted.
   */
  private void probeHistogram(
      Sink out, String series, SiteState s, long count, int base, long startMs, long endMs) {
    if (count == 0) {
      return;
    }
    Histogram h = out.open(series, s.id);
    long longest = base + 8 + Math.min(120, s.tombstones / Math.max(1, s.buckets()) * 8);
    long left = count;
    for (long len = base; len < longest && left > 0; len++) {
      long c = Math.max(1, left / 2);
      h.recordValueWithCount(len, c);
      left -= c;
    }
    if (left > 0) {
      h.recordValueWithCount(longest, left);
    }
    out.close(h, series, s.id, startMs, endMs);
  }

  /** Delete latencies of one in 64 of {@code deletes}, at least one. */
  private void latencyHistogram(Sink out, SiteState s, long deletes, long startMs, long endMs) {
    long sampled = Math.max(1, deletes / 64);
    Histogram h = out.open("deleteLatency", s.id);
    for (long i = 0; i < sampled; i++) {
      h.recordValue(20 + (long) (random.nextDouble() * random.nextDouble() * 5_000));
    }
    out.close(h, "deleteLatency", s.id, startMs, endMs);
  }

  private void grow(Sink out, SiteState s, long startMs, long endMs, long t) throws IOException {
    long buckets = s.buckets() + s.overflowBuckets;
    long reclaimed = s.tombstones;
    Histogram step = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    Histogram entries = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    long perBucket = s.size / buckets;
    for (long i = 0; i < buckets; i++) {
      step.recordValue(100 + random.nextInt(2_000));
      entries.recordValue(Math.max(1, perBucket + random.nextInt(3)));
    }
    out.add(step, "evacuationStep", s.id, startMs, endMs);
    out.add(entries, "evacuationEntries", s.id, startMs, endMs);
    long duration = 50_000 + buckets * 300L;
    Histogram growDuration = out.open("growDuration", s.id);
    growDuration.recordValue(duration);
    out.close(growDuration, "growDuration", s.id, startMs, endMs);
    s.growsOverflow++;
    s.evacuatedBuckets += buckets;
    s.entriesMoved += s.size;
    s.reclaimedByEvacuation += reclaimed;
    s.tombstones = 0;
    s.overflowBuckets = 0;
    out.event(
        "grow",
        s.id,
        g -> {
          g.writeStringField("type", "grow");
          g.writeNumberField("t", t - 1);
          g.writeNumberField("site", s.id);
          g.writeStringField("cause", "overflow");
          g.writeNumberField("fromB", s.b);
          g.writeNumberField("toB", s.b);
          g.writeNumberField("durationNanos", duration);
          g.writeNumberField("evacuatedBuckets", buckets);
          g.writeNumberField("entriesMoved", s.size);
          g.writeNumberField("tombstonesReclaimed", reclaimed);
        });
  }

  private void writeMeta(Path dir, long startEpochMs) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve("meta.json"))) {
      writeLine(
          w,
          g -> {
            g.writeNumberField("format", format);
            g.writeStringField("agentVersion", "0.1.0-SNAPSHOT");
            g.writeNumberField("pid", 4242);
            g.writeNumberField("startEpochMs", startEpochMs);
            g.writeNumberField("intervalMs", intervalMillis);
            if (format == 2) {
              g.writeNumberField("histogramMs", HISTOGRAM_MS);
              g.writeNumberField("segmentMs", SEGMENT_MS);
            }
            g.writeObjectFieldStart("jvm");
            g.writeStringField("version", System.getProperty("java.version"));
            g.writeStringField("vendor", System.getProperty("java.vendor"));
            g.writeStringField("vmName", System.getProperty("java.vm.name"));
            g.writeArrayFieldStart("inputArguments");
            g.writeString("-javaagent:tombscope-agent.jar=out=rec");
            g.writeEndArray();
            g.writeStringField("mainCommand", "com.example.SyntheticLoad");
            g.writeEndObject();
            g.writeObjectFieldStart("options");
            g.writeStringField("out", "rec");
            g.writeStringField("interval", intervalMillis + "ms");
            g.writeStringField("sample", "64");
            g.writeStringField("release", "off");
            g.writeStringField("jmx", "true");
            if (format == 2) {
              g.writeStringField("histograms", "1m");
              g.writeStringField("segment", "1h");
            }
            g.writeEndObject();
          });
    }
  }

  private void writeSites(Path dir, SiteState[] states) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve("sites.jsonl"))) {
      for (SiteState s : states) {
        writeLine(
            w,
            g -> {
              g.writeNumberField("site", s.id);
              g.writeStringField("mapClass", MAP_CLASS);
              g.writeArrayFieldStart("allocationSite");
              g.writeString(
                  "com.example.cache.Cache" + s.id + ".<init>(Cache" + s.id + ".java:" + 41 + ")");
              g.writeString("com.example.Main.main(Main.java:" + (10 + s.id) + ")");
              g.writeEndArray();
              g.writeNumberField("t", 0);
            });
      }
    }
  }

  private static NumberLine counters(SiteState s) {
    return new NumberLine(CompactLines.COUNTERS, s.id)
        .put("mapsCreated", 1)
        .put("deleteHits", s.deleteHits)
        .put("deleteMisses", s.deleteMisses)
        .put("tombstonesCreated", s.deleteHits)
        .put("tombstonesCollapsed", s.tombstonesCollapsed)
        .put("tombstonesReused", s.tombstonesReused)
        .put("tombstonesReclaimedByEvacuation", s.reclaimedByEvacuation)
        .put("tombstonesReclaimedByTrim", 0)
        .put("tombstonesReclaimedByClear", 0)
        .put("growsLoad", 0)
        .put("growsOverflow", s.growsOverflow)
        .put("growsFinished", s.growsOverflow)
        .put("evacuatedBuckets", s.evacuatedBuckets)
        .put("entriesMoved", s.entriesMoved);
  }

  private static NumberLine gauge(SiteState s) {
    long buckets = s.buckets();
    return new NumberLine(CompactLines.GAUGE, s.id)
        .put("maps", 1)
        .put("size", s.size)
        .put("slots", 8 * (buckets + s.overflowBuckets))
        .put("buckets", buckets)
        .put("overflowBuckets", s.overflowBuckets)
        .put("tombstones", s.tombstones)
        .put("tombstonesPeak", s.tombstonesPeak)
        .put("growing", 0)
        // Per bucket: 8 tophash bytes, 8 key and 8 value references, an overflow link.
        .put("estimatedBytes", (buckets + s.overflowBuckets) * (8 + 16 * 4 + 4))
        // A trim keeps as many main buckets (the size does not change) and no overflow ones.
        .put("trimmedBytes", buckets * (8 + 16 * 4 + 4));
  }

  private void writeDeleteSite(Sink out, SiteState s, long t) throws IOException {
    long deletes = (s.deleteHits + s.deleteMisses) / 1024 * 1024;
    long misses = s.deleteMisses / 1024 * 1024;
    String frame = "com.example.cache.Cache" + s.id + ".evict(Cache" + s.id + ".java:88)";
    out.deleteSite(s.id, frame, deletes, misses, t);
  }

  private void writeAgent(Sink out, long t) throws IOException {
    out.event(
        "agent",
        0,
        g -> {
          g.writeStringField("type", "agent");
          g.writeNumberField("t", t);
          g.writeNumberField("sitesTracked", sites);
          g.writeNumberField("mapsTracked", sites);
          g.writeNumberField("droppedEvents", 0);
          g.writeNumberField("suppressedErrors", 0);
          g.writeNumberField("heapBytesEstimate", sites * 16_000L);
        });
  }

  /** The fields of one JSON object, written by a generator. */
  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  /** Where the lines go: format 1's two files, or format 2's segments. */
  private abstract class Sink implements java.io.Closeable {
    long histogramLines;
    long eventLines;

    /**
     * The histogram to record this interval's values of {@code series} at {@code site} into; hand
     * it back to {@link #close} when they are recorded.
     */
    abstract Histogram open(String series, int site);

    /** The interval's values of {@code series} at {@code site} are all in {@code h}. */
    abstract void close(Histogram h, String series, int site, long startMs, long endMs);

    /** Adds {@code values} as the interval's values of {@code series} at {@code site}. */
    final void add(Histogram values, String series, int site, long startMs, long endMs) {
      Histogram h = open(series, site);
      h.add(values);
      close(h, series, site, startMs, endMs);
    }

    /** A {@code counters} or {@code gauge} line of the interval that ends at {@code t}. */
    abstract void numbers(NumberLine line, long t) throws IOException;

    /** The {@code deleteSite} line of the site's one delete call stack. */
    abstract void deleteSite(int site, String frame, long deletes, long misses, long t)
        throws IOException;

    /** A JSON event line of {@code type}. */
    abstract void event(String type, int site, Fields fields) throws IOException;

    /** The interval that ends at {@code t} is written; {@code last} if it is the recording's. */
    abstract void intervalEnd(long t, boolean last) throws IOException;
  }

  /** Format 1: every line as it comes, into {@code events.jsonl} and {@code histograms.hlog}. */
  private final class PlainSink extends Sink {
    private final PrintStream hlogStream;
    private final HistogramLogWriter hlog;
    private final Writer events;
    private final Path dir;

    PlainSink(Path dir, long startEpochMs) throws IOException {
      this.dir = dir;
      hlogStream =
          new PrintStream(
              new BufferedOutputStream(
                  new FileOutputStream(dir.resolve("histograms.hlog").toFile()), 1 << 16),
              false,
              StandardCharsets.UTF_8);
      hlog = header(hlogStream, startEpochMs);
      events = Files.newBufferedWriter(dir.resolve("events.jsonl"));
    }

    private final Histogram scratch = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);

    @Override
    Histogram open(String series, int site) {
      scratch.reset();
      return scratch;
    }

    @Override
    void close(Histogram h, String series, int site, long startMs, long endMs) {
      output(hlog, h, series, site, startMs, endMs);
      histogramLines++;
    }

    @Override
    void numbers(NumberLine line, long t) throws IOException {
      event(
          line.type(),
          line.site(),
          g -> {
            g.writeStringField("type", line.type());
            g.writeNumberField("t", t);
            g.writeNumberField("site", line.site());
            for (int i = 0; i < line.size(); i++) {
              g.writeNumberField(line.key(i), line.value(i));
            }
          });
    }

    @Override
    void deleteSite(int site, String frame, long deletes, long misses, long t) throws IOException {
      event(
          "deleteSite",
          site,
          g -> {
            g.writeStringField("type", "deleteSite");
            g.writeNumberField("t", t);
            g.writeNumberField("site", site);
            g.writeStringField("frame", frame);
            g.writeNumberField("deletes", deletes);
            g.writeNumberField("deleteMisses", misses);
          });
    }

    @Override
    void event(String type, int site, Fields fields) throws IOException {
      writeLine(events, fields);
      eventLines++;
    }

    @Override
    void intervalEnd(long t, boolean last) {}

    @Override
    public void close() throws IOException {
      events.close();
      hlogStream.flush();
      boolean failed = hlogStream.checkError();
      hlogStream.close();
      if (failed) {
        throw new IOException("cannot write " + dir.resolve("histograms.hlog"));
      }
    }
  }

  /**
   * Format 2, as the agent writes it with its defaults: a segment an hour, each one gzip stream;
   * counters and gauges as compact lines, only when they changed; {@code deleteSite} lines only
   * when they changed; each site's histograms summed over a minute.
   */
  private final class SegmentSink extends Sink {
    private final Path dir;
    private final long startEpochMs;
    private final long intervalMs;
    private final CompactLines compact = new CompactLines();
    private final Map<String, Histogram> pending = new LinkedHashMap<>();
    private int index;
    private Writer events;
    private PrintStream hlogStream;
    private HistogramLogWriter hlog;
    private long histogramStartMs;
    private long nextHistogramT = HISTOGRAM_MS;

    SegmentSink(Path dir, long startEpochMs, int sites, long intervalMs) throws IOException {
      this.dir = dir;
      this.startEpochMs = startEpochMs;
      this.intervalMs = intervalMs;
      this.histogramStartMs = startEpochMs;
      open(0);
    }

    private void open(int segment) throws IOException {
      index = segment;
      events =
          new BufferedWriter(
              new OutputStreamWriter(
                  gzip(dir.resolve(Segments.name(Segments.EVENTS, segment))),
                  StandardCharsets.UTF_8),
              1 << 16);
      hlogStream =
          new PrintStream(
              new BufferedOutputStream(
                  gzip(dir.resolve(Segments.name(Segments.HISTOGRAMS, segment))), 1 << 16),
              false,
              StandardCharsets.UTF_8);
      hlog = header(hlogStream, startEpochMs);
      compact.newSegment();
    }

    private OutputStream gzip(Path file) throws IOException {
      return new GZIPOutputStream(new FileOutputStream(file.toFile()), 1 << 16, true);
    }

    @Override
    Histogram open(String series, int site) {
      // Recorded straight into the period's sum: adding a whole histogram per interval would cost
      // its every bucket.
      return pending.computeIfAbsent(
          series + "/" + site, k -> new Histogram(HIGHEST_TRACKABLE_NANOS, 2));
    }

    @Override
    void close(Histogram h, String series, int site, long startMs, long endMs) {}

    @Override
    void numbers(NumberLine line, long t) throws IOException {
      String text = compact.encode(line);
      if (!text.isEmpty()) {
        events.write(text);
        eventLines++;
      }
    }

    @Override
    void deleteSite(int site, String frame, long deletes, long misses, long t) throws IOException {
      StringBuilder lines = new StringBuilder();
      int stack =
          compact.stack(
              site + "\n" + frame,
              () -> "{\"site\":" + site + ",\"frame\":\"" + frame + "\"}",
              lines);
      lines.append(
          compact.encode(
              new NumberLine(CompactLines.DELETE_SITE, stack)
                  .put("deletes", deletes)
                  .put("deleteMisses", misses)));
      if (lines.length() > 0) {
        events.write(lines.toString());
        eventLines++;
      }
    }

    @Override
    void event(String type, int site, Fields fields) throws IOException {
      writeLine(events, fields);
      eventLines++;
    }

    @Override
    void intervalEnd(long t, boolean last) throws IOException {
      boolean segmentOver = t >= (index + 1L) * SEGMENT_MS;
      if (last || segmentOver || t >= nextHistogramT) {
        long endMs = startEpochMs + t;
        for (Map.Entry<String, Histogram> e : pending.entrySet()) {
          Histogram h = e.getValue();
          if (h.getTotalCount() > 0) {
            String tag = e.getKey();
            int slash = tag.lastIndexOf('/');
            output(
                hlog,
                h,
                tag.substring(0, slash),
                Integer.parseInt(tag.substring(slash + 1)),
                histogramStartMs,
                endMs);
            histogramLines++;
            h.reset();
          }
        }
        histogramStartMs = endMs;
        nextHistogramT = (t / HISTOGRAM_MS + 1) * HISTOGRAM_MS;
      }
      hlogStream.flush();
      events.flush();
      if (segmentOver && !last) {
        closeSegment();
        open((int) (t / SEGMENT_MS));
      }
    }

    private void closeSegment() throws IOException {
      events.close();
      hlogStream.flush();
      boolean failed = hlogStream.checkError();
      hlogStream.close();
      if (failed) {
        throw new IOException("cannot write " + Segments.name(Segments.HISTOGRAMS, index));
      }
    }

    @Override
    public void close() throws IOException {
      closeSegment();
    }
  }

  private static HistogramLogWriter header(PrintStream hlogStream, long startEpochMs) {
    HistogramLogWriter hlog = new HistogramLogWriter(hlogStream);
    hlog.outputLogFormatVersion();
    hlog.outputStartTime(startEpochMs);
    hlog.setBaseTime(startEpochMs);
    hlog.outputBaseTime(startEpochMs);
    hlog.outputLegend();
    return hlog;
  }

  private static void output(
      HistogramLogWriter hlog, Histogram h, String series, int site, long startMs, long endMs) {
    h.setStartTimeStamp(startMs);
    h.setEndTimeStamp(endMs);
    h.setTag(series + "/" + site);
    hlog.outputIntervalHistogram(h);
  }

  private void writeLine(Writer w, Fields fields) throws IOException {
    try (JsonGenerator g = json.createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      // A flush per line would end a deflate block per line in a compressed segment.
      g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }
    w.write('\n');
  }

  /**
   * Writes a recording: {@code DIR [SITES [INTERVALS [FORMAT]]]}, by default 200 sites for one hour
   * in format 2.
   */
  public static void main(String[] args) throws IOException {
    int sites;
    int intervals;
    int format;
    try {
      if (args.length < 1 || args.length > 4) {
        throw new IllegalArgumentException(
            "usage: SyntheticRecording DIR [SITES [INTERVALS [FORMAT]]]");
      }
      sites = args.length > 1 ? Arguments.positiveInt(args[1], "SITES") : 200;
      intervals = args.length > 2 ? Arguments.positiveInt(args[2], "INTERVALS") : 3_600;
      format = args.length > 3 ? Arguments.positiveInt(args[3], "FORMAT") : 2;
      if (format > 2) {
        throw new IllegalArgumentException("FORMAT is 1 or 2");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("SyntheticRecording: " + e.getMessage());
      System.exit(2);
      return;
    }
    Totals totals =
        new SyntheticRecording(sites, intervals, 1_000, true, 1)
            .format(format)
            .writeTo(Path.of(args[0]));
    System.out.println(totals);
  }
}
