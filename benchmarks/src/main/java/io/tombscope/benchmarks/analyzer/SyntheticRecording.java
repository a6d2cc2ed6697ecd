package io.tombscope.benchmarks.analyzer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tombscope.benchmarks.Arguments;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
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

    long histogramLines = 0;
    long eventLines = 0;
    long grows = 0;
    Histogram hit = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    Histogram miss = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    Histogram latency = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    Histogram step = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    Histogram entries = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    Histogram growDuration = new Histogram(HIGHEST_TRACKABLE_NANOS, 2);
    try (OutputStream hlogOut = new FileOutputStream(dir.resolve("histograms.hlog").toFile());
        PrintStream hlogStream =
            new PrintStream(
                new BufferedOutputStream(hlogOut, 1 << 16), false, StandardCharsets.UTF_8);
        Writer events = Files.newBufferedWriter(dir.resolve("events.jsonl"))) {
      HistogramLogWriter hlog = new HistogramLogWriter(hlogStream);
      hlog.outputLogFormatVersion();
      hlog.outputStartTime(startEpochMs);
      hlog.setBaseTime(startEpochMs);
      hlog.outputBaseTime(startEpochMs);
      hlog.outputLegend();
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

          histogramLines +=
              probeHistogram(hlog, hit, "deleteProbe.hit", s, hits, 1, startMs, endMs);
          histogramLines +=
              probeHistogram(hlog, miss, "deleteProbe.miss", s, misses, 8, startMs, endMs);
          histogramLines += latencyHistogram(hlog, latency, s, hits + misses, startMs, endMs);

          if ((interval + s.id) % GROW_EVERY_INTERVALS == 0 && s.tombstones > 0) {
            grows++;
            eventLines += grow(events, hlog, step, entries, growDuration, s, startMs, endMs, t);
            histogramLines += 3;
          }
          if (everyInterval || interval == intervals) {
            writeCounters(events, s, t);
            writeGauge(events, s, t);
            writeDeleteSite(events, s, t);
            eventLines += 3;
          }
        }
        if (everyInterval || interval == intervals) {
          writeAgent(events, t);
          eventLines++;
        }
      }
      writeLine(
          events,
          g -> {
            g.writeStringField("type", "end");
            g.writeNumberField("t", (long) intervals * intervalMillis + 5);
          });
      eventLines++;
      hlogStream.flush();
      if (hlogStream.checkError()) {
        throw new IOException("cannot write " + dir.resolve("histograms.hlog"));
      }
    }
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
    for (String f : FILES) {
      bytes += Files.size(dir.resolve(f));
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

  /** The files of a recording, as this class writes them. */
  static final List<String> FILES =
      List.of("meta.json", "sites.jsonl", "events.jsonl", "histograms.hlog");

  /**
   * Deletes a recording this class wrote: its files, then the directory if that is left empty.
   * Anything else in the directory stays, and so does the directory.
   */
  public static void delete(Path dir) throws IOException {
    for (String f : FILES) {
      Files.deleteIfExists(dir.resolve(f));
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
  private int probeHistogram(
      HistogramLogWriter hlog,
      Histogram h,
      String series,
      SiteState s,
      long count,
      int base,
      long startMs,
      long endMs) {
    if (count == 0) {
      return 0;
    }
    h.reset();
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
    output(hlog, h, series, s, startMs, endMs);
    return 1;
  }

  /** Delete latencies of one in 64 of {@code deletes}, at least one. */
  private int latencyHistogram(
      HistogramLogWriter hlog, Histogram h, SiteState s, long deletes, long startMs, long endMs) {
    long sampled = Math.max(1, deletes / 64);
    h.reset();
    for (long i = 0; i < sampled; i++) {
      h.recordValue(20 + (long) (random.nextDouble() * random.nextDouble() * 5_000));
    }
    output(hlog, h, "deleteLatency", s, startMs, endMs);
    return 1;
  }

  private int grow(
      Writer events,
      HistogramLogWriter hlog,
      Histogram step,
      Histogram entries,
      Histogram growDuration,
      SiteState s,
      long startMs,
      long endMs,
      long t)
      throws IOException {
    long buckets = s.buckets() + s.overflowBuckets;
    long reclaimed = s.tombstones;
    step.reset();
    entries.reset();
    long perBucket = s.size / buckets;
    for (long i = 0; i < buckets; i++) {
      step.recordValue(100 + random.nextInt(2_000));
      entries.recordValue(Math.max(1, perBucket + random.nextInt(3)));
    }
    long duration = 50_000 + buckets * 300L;
    growDuration.reset();
    growDuration.recordValue(duration);
    output(hlog, step, "evacuationStep", s, startMs, endMs);
    output(hlog, entries, "evacuationEntries", s, startMs, endMs);
    output(hlog, growDuration, "growDuration", s, startMs, endMs);
    s.growsOverflow++;
    s.evacuatedBuckets += buckets;
    s.entriesMoved += s.size;
    s.reclaimedByEvacuation += reclaimed;
    s.tombstones = 0;
    s.overflowBuckets = 0;
    writeLine(
        events,
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
    return 1;
  }

  private static void output(
      HistogramLogWriter hlog, Histogram h, String series, SiteState s, long startMs, long endMs) {
    h.setStartTimeStamp(startMs);
    h.setEndTimeStamp(endMs);
    h.setTag(series + "/" + s.id);
    hlog.outputIntervalHistogram(h);
  }

  private void writeMeta(Path dir, long startEpochMs) throws IOException {
    try (Writer w = Files.newBufferedWriter(dir.resolve("meta.json"))) {
      writeLine(
          w,
          g -> {
            g.writeNumberField("format", 1);
            g.writeStringField("agentVersion", "0.1.0-SNAPSHOT");
            g.writeNumberField("pid", 4242);
            g.writeNumberField("startEpochMs", startEpochMs);
            g.writeNumberField("intervalMs", intervalMillis);
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

  private void writeCounters(Writer w, SiteState s, long t) throws IOException {
    writeLine(
        w,
        g -> {
          g.writeStringField("type", "counters");
          g.writeNumberField("t", t);
          g.writeNumberField("site", s.id);
          g.writeNumberField("mapsCreated", 1);
          g.writeNumberField("deleteHits", s.deleteHits);
          g.writeNumberField("deleteMisses", s.deleteMisses);
          g.writeNumberField("tombstonesCreated", s.deleteHits);
          g.writeNumberField("tombstonesCollapsed", s.tombstonesCollapsed);
          g.writeNumberField("tombstonesReused", s.tombstonesReused);
          g.writeNumberField("tombstonesReclaimedByEvacuation", s.reclaimedByEvacuation);
          g.writeNumberField("tombstonesReclaimedByTrim", 0);
          g.writeNumberField("tombstonesReclaimedByClear", 0);
          g.writeNumberField("growsLoad", 0);
          g.writeNumberField("growsOverflow", s.growsOverflow);
          g.writeNumberField("growsFinished", s.growsOverflow);
          g.writeNumberField("evacuatedBuckets", s.evacuatedBuckets);
          g.writeNumberField("entriesMoved", s.entriesMoved);
        });
  }

  private void writeGauge(Writer w, SiteState s, long t) throws IOException {
    long buckets = s.buckets();
    writeLine(
        w,
        g -> {
          g.writeStringField("type", "gauge");
          g.writeNumberField("t", t);
          g.writeNumberField("site", s.id);
          g.writeNumberField("maps", 1);
          g.writeNumberField("size", s.size);
          g.writeNumberField("slots", 8 * (buckets + s.overflowBuckets));
          g.writeNumberField("buckets", buckets);
          g.writeNumberField("overflowBuckets", s.overflowBuckets);
          g.writeNumberField("tombstones", s.tombstones);
          g.writeNumberField("tombstonesPeak", s.tombstonesPeak);
          g.writeNumberField("growing", 0);
          // Per bucket: 8 tophash bytes, 8 key and 8 value references, an overflow link.
          g.writeNumberField("estimatedBytes", (buckets + s.overflowBuckets) * (8 + 16 * 4 + 4));
          // A trim keeps as many main buckets (the size does not change) and no overflow ones.
          g.writeNumberField("trimmedBytes", buckets * (8 + 16 * 4 + 4));
        });
  }

  private void writeDeleteSite(Writer w, SiteState s, long t) throws IOException {
    writeLine(
        w,
        g -> {
          g.writeStringField("type", "deleteSite");
          g.writeNumberField("t", t);
          g.writeNumberField("site", s.id);
          g.writeStringField(
              "frame", "com.example.cache.Cache" + s.id + ".evict(Cache" + s.id + ".java:88)");
          g.writeNumberField("deletes", (s.deleteHits + s.deleteMisses) / 1024 * 1024);
          g.writeNumberField("deleteMisses", s.deleteMisses / 1024 * 1024);
        });
  }

  private void writeAgent(Writer w, long t) throws IOException {
    writeLine(
        w,
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

  private void writeLine(Writer w, Fields fields) throws IOException {
    try (JsonGenerator g = json.createGenerator(w)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }
    w.write('\n');
  }

  /** Writes a recording: {@code DIR [SITES [INTERVALS]]}, by default 200 sites for one hour. */
  public static void main(String[] args) throws IOException {
    int sites;
    int intervals;
    try {
      if (args.length < 1 || args.length > 3) {
        throw new IllegalArgumentException("usage: SyntheticRecording DIR [SITES [INTERVALS]]");
      }
      sites = args.length > 1 ? Arguments.positiveInt(args[1], "SITES") : 200;
      intervals = args.length > 2 ? Arguments.positiveInt(args[2], "INTERVALS") : 3_600;
    } catch (IllegalArgumentException e) {
      System.err.println("SyntheticRecording: " + e.getMessage());
      System.exit(2);
      return;
    }
    Totals totals =
        new SyntheticRecording(sites, intervals, 1_000, true, 1).writeTo(Path.of(args[0]));
    System.out.println(totals);
  }
}
