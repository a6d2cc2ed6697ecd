package io.tombscope.agent.recording;

import io.tombscope.agent.bootstrap.CallSites;
import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.EclipseProbes;
import io.tombscope.agent.bootstrap.Family;
import io.tombscope.agent.bootstrap.FastutilProbes;
import io.tombscope.agent.bootstrap.GrowEvent;
import io.tombscope.agent.bootstrap.JctoolsProbes;
import io.tombscope.agent.bootstrap.JdkProbes;
import io.tombscope.agent.bootstrap.LogHistogram;
import io.tombscope.agent.bootstrap.ProbeLengths;
import io.tombscope.agent.bootstrap.RehashEvent;
import io.tombscope.agent.bootstrap.Site;
import io.tombscope.agent.bootstrap.Sites;
import io.tombscope.agent.bootstrap.TroveProbes;
import io.tombscope.agent.bootstrap.Untracked;
import io.tombscope.format.CompactLines;
import io.tombscope.format.NumberLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes the recording described in {@code docs/recording-format.md} (format 2): {@code meta.json}
 * once, then every interval the new sites, each site's cumulative counters and gauges where they
 * changed ({@link CompactLines}), call sites and finished grows, and the agent's health; the
 * histograms every histogram period; {@code end} at shutdown. The events and histograms go to
 * compressed segment files ({@link Segment}), a new pair every segment period.
 *
 * <p>All of it runs on one daemon thread ({@code tombscope-flusher}), plus the final flush in the
 * shutdown hook. Each interval ends with a flush of whole lines, so a crash loses at most the
 * interval in progress, of the histograms too: between two histogram writes, the period's
 * histograms so far go to the {@link HistogramTail} every interval. The interval's {@code agent}
 * line is written last: readers use an interval only once that line is there, so a kill mid-flush
 * never mixes two intervals' lines. Any I/O failure stops the recording with one warning line; the
 * app never sees it.
 */
public final class RecordingWriter {
  /** Histograms track 1 ns to 1 hour with 2 significant digits. */
  static final long HIGHEST_TRACKABLE = 3_600_000_000_000L;

  private final Path dir;
  private final long startEpochMs;
  private final long intervalMs;
  private final long histogramMs;
  private final long segmentMs;
  private final Consumer<String> warn;
  // By site id (ids are small and dense).
  private SiteState[] states = new SiteState[64];
  // Reused every interval by the flusher alone, so that an idle site allocates nothing: one
  // histogram (36 KiB, blank between uses), the probe lengths of the site being written, and the
  // line it writes.
  private Histogram scratch;
  private final NumberLine scratchLine = new NumberLine(CompactLines.COUNTERS, 0);
  private final ProbeLengths scratchHits = new ProbeLengths();
  private final ProbeLengths scratchMisses = new ProbeLengths();
  private final Counts scratchSum = new Counts();
  private final MapStats scratchGauge = new MapStats();
  // The untracked totals last written, per family: hits, misses, resizes, stale expunged.
  private final long[][] untrackedWritten = new long[Family.NAMES.size()][4];
  private final CompactLines compact = new CompactLines();
  private Map<String, String> options = Map.of();
  // The JVM's input arguments for meta.json; null: read from the RuntimeMXBean when it is written.
  private List<String> jvmArguments;
  private Segment segment;
  // The open histogram period so far; null when every interval writes the histograms anyway.
  private HistogramTail tail;
  private Writer sites;
  private int sitesWritten;
  private long lastHistogramEpochMs;
  private long nextHistogramT;
  private boolean failed;
  private boolean closed;
  private Thread thread;
  private RecordingFiles.Directory created;
  private volatile IntervalListener listener = IntervalListener.NONE;

  private RecordingWriter(
      Path dir,
      long startEpochMs,
      long intervalMs,
      long histogramMs,
      long segmentMs,
      Consumer<String> warn) {
    this.dir = dir;
    this.startEpochMs = startEpochMs;
    this.intervalMs = intervalMs;
    this.histogramMs = Math.max(intervalMs, histogramMs);
    this.segmentMs = Math.max(intervalMs, segmentMs);
    this.warn = warn;
    this.lastHistogramEpochMs = startEpochMs;
    this.nextHistogramT = this.histogramMs;
  }

  /**
   * Creates the recording directory ({@link RecordingFiles}: never a directory or file that exists,
   * never through a link); its files and {@code meta.json} follow on the flusher thread as it
   * starts, before its first interval, so that the program's {@code main} does not wait for them
   * (formatting the histogram log's header and reading the JVM's arguments load much of the JDK).
   * On failure, warns once and returns a writer that records nothing. A null {@code dir} writes no
   * files but flushes every interval all the same, for {@linkplain #listen listeners} only (and its
   * histograms every interval).
   *
   * @param histogramMs how often the histograms are written, at least every {@code intervalMs}
   * @param segmentMs the time one segment's files cover
   * @param jvmArguments the JVM's input arguments for {@code meta.json}; null: the {@code
   *     RuntimeMXBean}'s
   */
  public static RecordingWriter open(
      Path dir,
      long intervalMs,
      long histogramMs,
      long segmentMs,
      Map<String, String> options,
      List<String> jvmArguments,
      Consumer<String> warn) {
    long start = System.currentTimeMillis();
    if (dir == null) {
      RecordingWriter w = new RecordingWriter(null, start, intervalMs, intervalMs, segmentMs, warn);
      w.options = options;
      return w;
    }
    Path requested = dir.toAbsolutePath().normalize();
    RecordingFiles.Directory created;
    try {
      created = RecordingFiles.createDirectory(requested);
    } catch (IOException | RuntimeException e) {
      RecordingWriter w =
          new RecordingWriter(requested, start, intervalMs, histogramMs, segmentMs, warn);
      w.fail(e);
      return w;
    }
    RecordingWriter w =
        new RecordingWriter(created.path(), start, intervalMs, histogramMs, segmentMs, warn);
    w.created = created;
    w.options = options;
    w.jvmArguments = jvmArguments;
    return w;
  }

  /**
   * Creates the files and writes {@code meta.json} and the histogram log's header, once: the
   * flusher does it as it starts, or whichever comes first of an event, a flush or the close.
   */
  private void openFiles() throws IOException {
    if (segment != null) {
      return;
    }
    scratch = new Histogram(HIGHEST_TRACKABLE, 2);
    if (dir == null) {
      segment = Segment.none();
      sites = Writer.nullWriter();
      return;
    }
    try (Writer out = newFile("meta.json", dir)) {
      out.write(meta(startEpochMs, this, options, jvmArguments) + "\n");
    }
    sites = newFile("sites.jsonl", dir);
    segment = Segment.create(dir, 0, startEpochMs);
    segment.flush();
    if (histogramMs > intervalMs) {
      tail = HistogramTail.create(dir, startEpochMs);
    }
  }

  private static Writer newFile(String name, Path dir) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(
            RecordingFiles.createFile(dir.resolve(name)), StandardCharsets.UTF_8));
  }

  private static String meta(
      long start, RecordingWriter w, Map<String, String> options, List<String> jvmArguments) {
    List<String> arguments =
        jvmArguments != null
            ? jvmArguments
            : ManagementFactory.getRuntimeMXBean().getInputArguments();
    Json jvm =
        Json.object()
            .put("version", System.getProperty("java.version"))
            .put("vendor", System.getProperty("java.vendor"))
            .put("vmName", System.getProperty("java.vm.name"))
            .put("inputArguments", Secrets.jvmArguments(arguments))
            .put("mainCommand", Secrets.mainCommand(System.getProperty("sun.java.command", "")));
    String version = RecordingWriter.class.getPackage().getImplementationVersion();
    return Json.object()
        .put("format", 2)
        .put("agentVersion", version == null ? "dev" : version)
        .put("pid", ProcessHandle.current().pid())
        .put("startEpochMs", start)
        .put("intervalMs", w.intervalMs)
        .put("histogramMs", w.histogramMs)
        .put("segmentMs", w.segmentMs)
        .put("jvm", jvm)
        .put("options", new java.util.TreeMap<>(options))
        .toString();
  }

  /** The recording directory (absolute), or null when nothing is written to disk. */
  public Path directory() {
    return dir;
  }

  /**
   * The agent's start line, without its {@code tombscope: } prefix: {@code recording to DIR}, and
   * why when the recording went beside the directory asked for ({@code (DIR is not empty)}).
   */
  public String startLine() {
    String line = "recording to " + dir;
    if (created != null && created.movedBecause() != null) {
      line += " (" + created.requested() + " " + created.movedBecause() + ")";
    }
    return line;
  }

  /** False once the recording stopped (or never started) for an I/O failure. */
  public synchronized boolean isRecording() {
    return !failed;
  }

  /** Shows every interval from now on to {@code l} as well. */
  public synchronized void listen(IntervalListener l) {
    listener = IntervalListener.both(listener, l);
  }

  /** Starts the flusher thread. */
  public synchronized void start() {
    if (failed || thread != null) {
      return;
    }
    thread = new Thread(this::loop, "tombscope-flusher");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      synchronized (this) {
        if (!failed && !closed) {
          try {
            openFiles();
          } catch (IOException | RuntimeException e) {
            fail(e);
          }
        }
      }
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(intervalMs);
        flush();
        if (isDone()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      synchronized (this) {
        fail(t);
      }
    }
  }

  private synchronized boolean isDone() {
    return failed || closed;
  }

  /** Writes one interval: everything that changed since the last one. */
  public synchronized void flush() {
    if (failed || closed) {
      return;
    }
    try {
      openFiles();
      writeInterval(System.currentTimeMillis(), false);
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /** Appends one discrete event (a release) and flushes it at once. */
  public synchronized void appendEvent(Json event) {
    if (failed || closed) {
      return;
    }
    try {
      openFiles();
      segment.events.write(event.toString());
      segment.events.write('\n');
      segment.events.flush();
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /** Milliseconds since the recording's origin. */
  public long sinceStart() {
    return System.currentTimeMillis() - startEpochMs;
  }

  /** The last flush and the {@code end} line; the files are closed. */
  public synchronized void close() {
    if (thread != null) {
      thread.interrupt();
    }
    if (failed || closed) {
      return;
    }
    try {
      openFiles();
      long now = System.currentTimeMillis();
      writeInterval(now, true);
      segment.events.write(Json.object().put("type", "end").put("t", now - startEpochMs) + "\n");
      sites.close();
      segment.close();
      if (tail != null) {
        tail.delete();
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
    closed = true;
  }

  private void fail(Throwable e) {
    if (!failed) {
      failed = true;
      warn.accept("recording to " + dir + " stopped, the application runs on: " + reason(e));
    }
  }

  /**
   * In words: the JDK's file exceptions carry the file as their message, the cause in their type.
   */
  static String reason(Throwable e) {
    if (!(e instanceof FileSystemException f)) {
      return String.valueOf(e);
    }
    String why =
        f instanceof NoSuchFileException
            ? "no such file or directory"
            : f instanceof AccessDeniedException
                ? "permission denied"
                : f instanceof FileAlreadyExistsException
                    ? f.getReason() != null ? f.getReason() : "exists already"
                    : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
    return f.getFile() != null ? f.getFile() + ": " + why : why;
  }

  /**
   * Writes the interval that ends {@code now}, with the histograms if their period is over, this is
   * the segment's last interval or the recording's ({@code last}); then starts the next segment if
   * this one's time is over.
   */
  private void writeInterval(long now, boolean last) throws IOException {
    long t = now - startEpochMs;
    boolean segmentOver = dir != null && t >= (segment.index + 1L) * segmentMs;
    boolean histograms = last || segmentOver || t >= nextHistogramT;
    Writer events = segment.events;
    Sites.reap();
    liveProbeBytes = 0;
    List<Site> all = Sites.all();
    for (; sitesWritten < all.size(); sitesWritten++) {
      Site s = all.get(sitesWritten);
      Json line = Json.object().put("site", s.id).put("mapClass", s.mapClass);
      if (s.family != null) {
        line.put("family", s.family)
            .put("trackedOneIn", s.trackedOneIn)
            .put("tracking", s.tracking);
        if (Site.GROWN.equals(s.tracking)) {
          line.put("grownToSlots", JdkProbes.growSlots());
        }
      }
      line.put("allocationSite", s.frames);
      if (s.appFrame != null) {
        line.put("appFrame", s.appFrame);
      }
      sites.write(line.put("t", Math.max(0, s.firstSeenEpochMs - startEpochMs)) + "\n");
    }
    for (Site site : all) {
      writeSite(site, t, now, histograms);
    }
    writeUntracked(t);
    for (GrowEvent g; (g = Sites.pollGrow()) != null; ) {
      Json line =
          growLine(
              g.endEpochMs(),
              g.site(),
              g.cause(),
              g.fromB(),
              g.toB(),
              g.durationNanos(),
              g.evacuatedBuckets(),
              g.entriesMoved(),
              g.tombstonesReclaimed());
      if (g.cause().equals(GrowEvent.RESIZE)) {
        line.put("helpers", g.helpers());
      }
      events.write(line + "\n");
    }
    writeRehashes(events);
    writeSkipped(events, t);
    events.write(
        Json.object()
                .put("type", "agent")
                .put("t", t)
                .put("sitesTracked", all.size())
                .put("mapsTracked", Sites.liveMaps())
                .put("droppedEvents", Sites.droppedEvents())
                .put("suppressedErrors", Sites.suppressedErrors())
                .put("jdkMapsUntracked", JdkProbes.untrackedFull())
                .put("jdkMapsGrown", JdkProbes.grown())
                .put(
                    "thirdPartyMapsUntracked",
                    TroveProbes.untrackedFull()
                        + FastutilProbes.untrackedFull()
                        + EclipseProbes.untrackedFull()
                        + JctoolsProbes.untrackedFull())
                .put("heapBytesEstimate", heapEstimate(all))
            + "\n");
    sites.flush();
    if (tail != null && !histograms) {
      tail.flush();
    }
    segment.flush();
    if (histograms) {
      lastHistogramEpochMs = now;
      nextHistogramT = (t / histogramMs + 1) * histogramMs;
      if (tail != null && !last) {
        tail.restart();
        for (SiteState state : states) {
          if (state != null) {
            state.tailCounts = null;
          }
        }
      }
    }
    listener.intervalEnd(now);
    if (segmentOver && !last) {
      nextSegment((int) Math.min(Integer.MAX_VALUE - 1, t / segmentMs));
    }
  }

  /**
   * Closes the segment (its gzip streams end) and opens segment {@code index}, where every site's
   * counters, gauges and call sites are written whole again, so that each segment reads alone.
   */
  private void nextSegment(int index) throws IOException {
    segment.close();
    segment = Segment.create(dir, Math.max(index, segment.index + 1), startEpochMs);
    segment.flush();
    compact.newSegment();
    for (SiteState state : states) {
      if (state != null && state.stackIds != null) {
        state.stackIds.clear();
      }
    }
    for (long[] written : untrackedWritten) {
      java.util.Arrays.fill(written, 0);
    }
  }

  /** Third-party maps' rehashes: {@code grow} lines with capacities as well as log2 sizes. */
  private void writeRehashes(Writer events) throws IOException {
    for (RehashEvent g; (g = Sites.pollRehash()) != null; ) {
      events.write(
          growLine(
                      g.endEpochMs(),
                      g.site(),
                      g.cause(),
                      log2(g.fromCapacity()),
                      log2(g.toCapacity()),
                      g.durationNanos(),
                      0,
                      g.entriesMoved(),
                      g.tombstonesReclaimed())
                  .put("fromCapacity", g.fromCapacity())
                  .put("toCapacity", g.toCapacity())
              + "\n");
    }
  }

  private Json growLine(
      long endEpochMs,
      int site,
      String cause,
      int fromB,
      int toB,
      long durationNanos,
      long evacuatedBuckets,
      long entriesMoved,
      long tombstonesReclaimed) {
    return Json.object()
        .put("type", "grow")
        .put("t", Math.max(0, endEpochMs - startEpochMs))
        .put("site", site)
        .put("cause", cause)
        .put("fromB", fromB)
        .put("toB", toB)
        .put("durationNanos", durationNanos)
        .put("evacuatedBuckets", evacuatedBuckets)
        .put("entriesMoved", entriesMoved)
        .put("tombstonesReclaimed", tombstonesReclaimed);
  }

  private static int log2(long capacity) {
    return 63 - Long.numberOfLeadingZeros(Math.max(1, capacity));
  }

  /** Classes the agent left alone because their layout was not the one its advice needs. */
  private void writeSkipped(Writer events, long t) throws IOException {
    for (SkippedClasses.Skipped s; (s = SkippedClasses.poll()) != null; ) {
      events.write(
          Json.object()
                  .put("type", "skipped")
                  .put("t", t)
                  .put("family", s.family())
                  .put("class", s.className())
                  .put("reason", s.reason())
              + "\n");
    }
  }

  private void writeSite(Site site, long t, long now, boolean histograms) throws IOException {
    Writer events = segment.events;
    SiteState state = state(site.id);
    Counts sum = scratchSum;
    ProbeLengths hits = scratchHits;
    ProbeLengths misses = scratchMisses;
    MapStats gauge = scratchGauge;
    sum.clear();
    hits.clear();
    misses.clear();
    gauge.clear();
    // The most tombstones one map held at any moment: a peak that a trim, clear or grow took back
    // before this gauge would otherwise never be seen.
    long oneMapPeak;
    synchronized (Sites.foldLock()) {
      if (site.folded != null) {
        sum.add(site.folded);
      }
      hits.add(site.foldedHitProbes);
      misses.add(site.foldedMissProbes);
      oneMapPeak = site.foldedTombstonesPeak;
      if (site.family != null) {
        gauge.addPeaks(
            site.foldedSizePeakSum,
            site.foldedMapSizePeak,
            site.foldedDrainedBytesPeak,
            site.foldedDrainedByteMillis);
      }
      for (Site.MapRef ref = site.firstLive(); ref != null; ref = ref.nextLive()) {
        if (ref.folded()) {
          continue; // died before it was added: never counted
        }
        long counted = sum.tombstonesReused;
        sum.add(ref.recorder);
        counted = sum.tombstonesReused - counted;
        oneMapPeak = Math.max(oneMapPeak, ref.recorder.tombstonesPeak);
        hits.add(ref.recorder.hitProbes);
        misses.add(ref.recorder.missProbes);
        liveProbeBytes +=
            heapBytes(ref.recorder.hitProbes)
                + heapBytes(ref.recorder.missProbes)
                + ref.recorder.laneBytes();
        Object map = ref.get();
        long tombstones = gauge.tombstones;
        long slots = gauge.slots;
        if (map != null && MapStats.thirdParty(site.family)) {
          gauge.add(map, site.family, ref.recorder);
          long reused = gauge.lastReused();
          if (reused > counted) {
            // Eclipse Collections: inserts into sentinels its map's thread has not counted yet
            sum.tombstonesReused += reused - counted;
            ref.recorder.reusedReported = reused;
          }
        } else if (map != null && site.family != null) {
          gauge.addJdk(map, site.family, ref.recorder, now);
        } else if (map != null && gauge.add(map, site.family)) {
          listener.map(site, ref.recorder, gauge.tombstones - tombstones, gauge.slots - slots);
        }
      }
    }
    listener.site(site, sum, gauge);
    // The line is built every interval and written only if it changed: the compact lines keep
    // each site's last line anyway, and a copy of its counts here would cost every site 200 bytes.
    boolean thirdParty = MapStats.thirdParty(site.family);
    NumberLine counters =
        counters(scratchLine, site.id, site.mapsCreated(), sum, site.family != null && !thirdParty);
    if (thirdParty) {
      counters.put("autoCompactions", sum.autoCompactions).put("shrinks", sum.shrinks);
    } else if (site.family != null) {
      counters
          .put("silentDeletes", sum.silentDeletes)
          .put("resizeHelpers", sum.resizeHelpers)
          .put("staleExpunged", sum.staleExpunged)
          .put("expunges", sum.expunges);
    }
    events.write(compact.encode(counters));
    long drainedPeak = Math.max(gauge.drainedBytes, gauge.mapDrainedBytesPeak);
    if (gauge.maps > 0
        || state.gaugeHadMaps
        || oneMapPeak > state.tombstonesPeak
        || gauge.sizePeakSum != state.sizePeakSum
        || drainedPeak > state.drainedBytesPeak) {
      // A JCTools gauge read while a put has claimed a key's slot but not yet set its value sees
      // one dead key too many: its peak comes from the maps' recorders only.
      long gauged = JctoolsProbes.FAMILY.equals(site.family) ? 0 : gauge.tombstones;
      state.tombstonesPeak = Math.max(state.tombstonesPeak, Math.max(gauged, oneMapPeak));
      state.drainedBytesPeak = Math.max(state.drainedBytesPeak, drainedPeak);
      state.sizePeakSum = gauge.sizePeakSum;
      NumberLine line =
          scratchLine
              .reset(CompactLines.GAUGE, site.id)
              .put("maps", gauge.maps)
              .put("size", gauge.size)
              .put("slots", gauge.slots)
              .put("buckets", gauge.buckets)
              .put("overflowBuckets", gauge.overflowBuckets)
              .put("tombstones", gauge.tombstones)
              .put("tombstonesPeak", state.tombstonesPeak)
              .put("growing", gauge.growing)
              .put("estimatedBytes", gauge.estimatedBytes);
      if (MapStats.thirdParty(site.family)) {
        line.put("deadSlots", gauge.deadSlots).put("trimmedBytes", gauge.trimmedBytes);
        if (JctoolsProbes.FAMILY.equals(site.family)) {
          line.put("estimate", 1);
        }
      } else if (site.family != null) {
        line.put("deadSlots", gauge.deadSlots)
            .put("sizePeak", gauge.sizePeakSum)
            .put("mapSizePeak", gauge.mapSizePeak)
            .put("drainedMaps", gauge.drainedMaps)
            .put("drainedSlots", gauge.drainedSlots)
            .put("drainedBytes", gauge.drainedBytes)
            .put("drainedBytesPeak", state.drainedBytesPeak)
            .put("drainedByteSeconds", gauge.drainedByteMillis / 1000);
      } else {
        line.put("trimmedBytes", gauge.trimmedBytes);
      }
      events.write(compact.encode(line));
      state.gaugeHadMaps = gauge.maps > 0;
    }
    if (histograms) {
      state.hitProbes = writeProbes("deleteProbe.hit", site.id, hits, state.hitProbes, now);
      state.missProbes = writeProbes("deleteProbe.miss", site.id, misses, state.missProbes, now);
    }
    boolean live = listener != IntervalListener.NONE;
    if (histograms || live) {
      for (int series = 0; series < Site.SERIES_NAMES.size(); series++) {
        LogHistogram h = site.histogramIfPresent(series);
        if (h != null) {
          writeLog(series, site, h, state, histograms, now);
        }
      }
    }
    if (tail != null && !histograms) {
      appendTail(site, state, hits, misses, now);
    }
    Map<String, AtomicLongArray> callSites = site.callSites.frames();
    if (callSites.isEmpty()) {
      return;
    }
    if (state.stackIds == null) {
      state.stackIds = new HashMap<>(2); // most sites are deleted from by one stack or two
    }
    for (Map.Entry<String, AtomicLongArray> e : callSites.entrySet()) {
      AtomicLongArray counts = e.getValue();
      long silent = counts.length() > CallSites.SILENT ? counts.get(CallSites.SILENT) : 0;
      Integer id = state.stackIds.get(e.getKey());
      StringBuilder declared = null;
      if (id == null) {
        declared = new StringBuilder();
        id = compact.newStack(stackLine(site, e.getKey()), declared);
        state.stackIds.put(e.getKey(), id);
      }
      // The compact lines keep the values written last: an unchanged stack writes nothing.
      NumberLine line =
          scratchLine
              .reset(CompactLines.DELETE_SITE, id)
              .put("deletes", counts.get(CallSites.DELETES))
              .put("deleteMisses", counts.get(CallSites.MISSES));
      if (silent > 0) {
        line.put("silentDeletes", silent);
      }
      String encoded = compact.encode(line);
      if (declared != null) {
        events.write(declared.append(encoded).toString());
      } else if (!encoded.isEmpty()) {
        events.write(encoded);
      }
    }
  }

  /** The {@code stack} line's fields of a delete call stack: its site, frame, callers. */
  private static String stackLine(Site site, String callSite) {
    List<String> stack = List.of(callSite.split(CallSites.SEPARATOR));
    Json line = Json.object().put("site", site.id).put("frame", stack.get(0));
    if (stack.size() > 1) {
      line.put("callers", stack.subList(1, stack.size()));
    }
    String appFrame = site.callSites.appFrameOf(callSite);
    if (appFrame != null) {
      line.put("appFrame", appFrame);
    }
    return line.toString();
  }

  /** One {@code untracked} line per JDK map family whose totals changed since the last. */
  private void writeUntracked(long t) throws IOException {
    Writer events = segment.events;
    for (int f = 0; f < Family.NAMES.size(); f++) {
      long hits = Untracked.total(f, Untracked.HITS);
      long misses = Untracked.total(f, Untracked.MISSES);
      long resizes = Untracked.total(f, Untracked.RESIZES);
      long stale = Untracked.total(f, Untracked.STALE_EXPUNGED);
      long[] now = {hits, misses, resizes, stale};
      if (java.util.Arrays.equals(now, untrackedWritten[f])) {
        continue;
      }
      untrackedWritten[f] = now;
      Json line =
          Json.object()
              .put("type", "untracked")
              .put("t", t)
              .put("family", Family.NAMES.get(f))
              .put("deletes", hits + misses);
      if (f != Family.THREADLOCAL) {
        line.put("deleteMisses", misses);
      }
      line.put("resizes", resizes);
      if (f == Family.WEAK) {
        line.put("staleExpunged", stale);
      }
      events.write(line + "\n");
    }
  }

  /**
   * {@code line} made a {@code counters} line; JDK maps ({@code jdk}) create no tombstones when
   * they delete.
   */
  static NumberLine counters(NumberLine line, int site, long mapsCreated, Counts c, boolean jdk) {
    return line.reset(CompactLines.COUNTERS, site)
        .put("mapsCreated", mapsCreated)
        .put("deleteHits", c.deleteHits)
        .put("deleteMisses", c.deleteMisses)
        .put("tombstonesCreated", jdk ? 0 : c.deleteHits)
        .put("tombstonesCollapsed", c.tombstonesCollapsed)
        .put("tombstonesReused", c.tombstonesReused)
        .put("tombstonesReclaimedByEvacuation", c.reclaimedByEvacuation)
        .put("tombstonesReclaimedByTrim", c.reclaimedByTrim)
        .put("tombstonesReclaimedByClear", c.reclaimedByClear)
        .put("growsLoad", c.growsLoad)
        .put("growsOverflow", c.growsOverflow)
        .put("growsFinished", c.growsFinished)
        .put("evacuatedBuckets", c.evacuatedBuckets)
        .put("entriesMoved", c.entriesMoved)
        .put("clears", c.clears)
        .put("trims", c.trims)
        .put("compactions", c.compactions);
  }

  /**
   * Writes the probe lengths recorded since {@code last} (null before the first) as one interval
   * histogram, if there are any, and returns what was written last: {@code last} itself, brought up
   * to {@code now} (a scratch that the next site reuses).
   */
  private LastProbeLengths writeProbes(
      String series, int site, ProbeLengths now, LastProbeLengths last, long nowMs) {
    if (last != null && last.sameAs(now)) {
      return last;
    }
    recordProbesSince(now, last);
    outputScratch(series, site, nowMs, segment.hlog);
    LastProbeLengths written = last == null ? new LastProbeLengths() : last;
    written.copyOf(now);
    return written;
  }

  /** Records into the scratch histogram the probe lengths of {@code now} since {@code last}. */
  private void recordProbesSince(ProbeLengths now, LastProbeLengths last) {
    for (int len = 0; len < now.exactLengths(); len++) {
      long delta = now.count(len) - (last == null ? 0 : last.count(len));
      if (delta > 0) {
        scratch.recordValueWithCount(len, delta);
      }
    }
    int longest = ProbeLengths.MAX_EXACT + 1;
    long longDelta = now.count(longest) - (last == null ? 0 : last.count(longest));
    if (longDelta > 0) {
      long slots = now.longProbeSlots - (last == null ? 0 : last.longProbeSlots());
      scratch.recordValueWithCount(Math.max(longest, slots / longDelta), longDelta);
    }
  }

  /** How many probes {@code now} holds beyond {@code last}. */
  private static long probesSince(ProbeLengths now, LastProbeLengths last) {
    int longest = ProbeLengths.MAX_EXACT + 1;
    long count = now.count(longest) - (last == null ? 0 : last.count(longest));
    for (int len = 0; len < now.exactLengths(); len++) {
      count += now.count(len) - (last == null ? 0 : last.count(len));
    }
    return count;
  }

  /**
   * Appends to the tail the histograms of {@code site} in the open period so far, of each series
   * whose count changed since its last tail line: probe lengths since the last histogram write, and
   * the counts still waiting in the site's histograms (read, not taken) or in its state.
   */
  private void appendTail(
      Site site, SiteState state, ProbeLengths hits, ProbeLengths misses, long nowMs) {
    int series = Site.SERIES_NAMES.size();
    long hitCount = probesSince(hits, state.hitProbes);
    if (hitCount != tailCount(state, series)) {
      recordProbesSince(hits, state.hitProbes);
      outputScratch("deleteProbe.hit", site.id, nowMs, tail.log);
      tailCounts(state)[series] = hitCount;
    }
    long missCount = probesSince(misses, state.missProbes);
    if (missCount != tailCount(state, series + 1)) {
      recordProbesSince(misses, state.missProbes);
      outputScratch("deleteProbe.miss", site.id, nowMs, tail.log);
      tailCounts(state)[series + 1] = missCount;
    }
    for (int s = 0; s < series; s++) {
      LogHistogram h = site.histogramIfPresent(s);
      if (h == null) {
        continue;
      }
      int[] waiting = state.waiting == null ? null : state.waiting[s];
      long count = 0;
      for (int i = 0; i < LogHistogram.BUCKETS; i++) {
        count += h.count(i) + (waiting == null ? 0 : waiting[i]);
      }
      if (count == tailCount(state, s)) {
        continue;
      }
      for (int i = 0; i < LogHistogram.BUCKETS; i++) {
        long c = h.count(i) + (waiting == null ? 0 : waiting[i]);
        if (c > 0) {
          scratch.recordValueWithCount(Math.min(HIGHEST_TRACKABLE, LogHistogram.valueOf(i)), c);
        }
      }
      outputScratch(Site.SERIES_NAMES.get(s), site.id, nowMs, tail.log);
      tailCounts(state)[s] = count;
    }
  }

  private static long tailCount(SiteState state, int series) {
    return state.tailCounts == null ? 0 : state.tailCounts[series];
  }

  private static long[] tailCounts(SiteState state) {
    if (state.tailCounts == null) {
      state.tailCounts = new long[Site.SERIES_NAMES.size() + 2];
    }
    return state.tailCounts;
  }

  /**
   * Takes the interval's counts of one series: to the listener every interval, to the histogram log
   * when {@code write}. Between two writes the counts the listener saw wait in the site's state
   * (only while a listener is live; otherwise they wait in the site's own histogram, untaken).
   */
  private void writeLog(
      int series, Site site, LogHistogram log, SiteState state, boolean write, long nowMs) {
    int[] waiting = state.waiting == null ? null : state.waiting[series];
    for (int i = 0; i < LogHistogram.BUCKETS; i++) {
      long count = log.take(i);
      if (count > 0) {
        listener.latency(series, site, i, (int) count);
      }
      if (waiting != null) {
        count += waiting[i];
        waiting[i] = 0;
      }
      if (count <= 0) {
        continue;
      }
      if (write) {
        scratch.recordValueWithCount(Math.min(HIGHEST_TRACKABLE, LogHistogram.valueOf(i)), count);
      } else {
        if (waiting == null) {
          if (state.waiting == null) {
            state.waiting = new int[Site.SERIES_NAMES.size()][];
          }
          waiting = state.waiting[series] = new int[LogHistogram.BUCKETS];
        }
        waiting[i] = (int) Math.min(Integer.MAX_VALUE, count);
      }
    }
    if (write) {
      outputScratch(Site.SERIES_NAMES.get(series), site.id, nowMs, segment.hlog);
    }
  }

  /**
   * Writes the scratch histogram to {@code log} if anything was recorded in it, covering the
   * histogram period so far, and blanks it for the next.
   */
  private void outputScratch(String series, int site, long nowMs, HistogramLogWriter log) {
    Histogram h = scratch;
    if (h.getTotalCount() == 0) {
      return;
    }
    h.setStartTimeStamp(lastHistogramEpochMs);
    h.setEndTimeStamp(nowMs);
    h.setTag(series + "/" + site);
    log.outputIntervalHistogram(h);
    h.reset();
  }

  /**
   * What the agent holds whatever it records, measured with {@code jmap -histo:live} at one
   * allocation site on Java 17, against the same program without the agent: byte-buddy's classes
   * and the reflection data it reads, the class loader's entries for them, the recording's buffers;
   * and with the JDK's maps instrumented, their table of tracked maps and the JDK classes
   * retransformed.
   */
  private static final long FIXED_BYTES = 3_200_000;

  private static final long JDK_FIXED_BYTES = 600_000;

  /**
   * A site without its frames, call stacks, histograms and maps: the site and its tables, its key,
   * the flusher's state and the compact lines' last values (a {@code jmap -histo:live} difference
   * at 1 and 1,000 sites).
   */
  private static final long SITE_BYTES = 900;

  /** A site's reference to one of its frames, with a share of the frame's one string. */
  private static final long FRAME_BYTES = 40;

  /**
   * A delete call stack of a site: its counts, its id and last values in the compact lines, with a
   * share of the stack's one string.
   */
  private static final long CALL_STACK_BYTES = 220;

  /** A live map: its recorder and the weak reference to it that links it to its site. */
  private static final long MAP_BYTES = 424 + 48;

  // The live maps' probe counters and ConcurrentHashMap lanes, summed by writeSite over this
  // interval's sites.
  private long liveProbeBytes;

  private long heapEstimate(List<Site> all) {
    long bytes = FIXED_BYTES + ("false".equals(options.get("jdk")) ? 0 : JDK_FIXED_BYTES);
    for (Site s : all) {
      bytes +=
          SITE_BYTES
              + FRAME_BYTES * s.frames.size()
              + CALL_STACK_BYTES * s.callSites.frames().size();
      for (int i = 0; i < Site.SERIES_NAMES.size(); i++) {
        LogHistogram h = s.histogramIfPresent(i);
        if (h != null) {
          bytes += h.heapBytes();
        }
      }
      // Hit and miss probe counters: as last written, and those folded from dead maps.
      SiteState state = s.id < states.length ? states[s.id] : null;
      if (state != null) {
        bytes += state.hitProbes == null ? 0 : state.hitProbes.heapBytes();
        bytes += state.missProbes == null ? 0 : state.missProbes.heapBytes();
      }
      if (state != null && state.tailCounts != null) {
        bytes += 16 + 8L * state.tailCounts.length;
      }
      bytes += heapBytes(s.foldedHitProbes) + heapBytes(s.foldedMissProbes);
    }
    return bytes + MAP_BYTES * Sites.liveMaps() + liveProbeBytes;
  }

  private static long heapBytes(ProbeLengths p) {
    return p == null ? 0 : p.heapBytes();
  }

  private SiteState state(int site) {
    if (site >= states.length) {
      states = java.util.Arrays.copyOf(states, Math.max(site + 1, states.length * 2));
    }
    SiteState state = states[site];
    if (state == null) {
      state = states[site] = new SiteState();
    }
    return state;
  }

  /** What was last written for one site, to write only what changed. */
  private static final class SiteState {
    boolean gaugeHadMaps;
    long tombstonesPeak;
    long sizePeakSum;
    long drainedBytesPeak;
    LastProbeLengths hitProbes;
    LastProbeLengths missProbes;
    // Per series, latency counts taken for a live listener and not yet written (1.5 KiB a series).
    int[][] waiting;
    // Per series, then hit and miss probes: the count of the last tail line of this period; null
    // until one.
    long[] tailCounts;
    // Each delete call stack's id in the segment's compact lines; null until one.
    Map<String, Integer> stackIds;
  }
}
