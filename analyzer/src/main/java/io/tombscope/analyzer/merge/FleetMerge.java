package io.tombscope.analyzer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tombscope.analyzer.read.IntervalReader;
import io.tombscope.analyzer.read.Meta;
import io.tombscope.analyzer.read.ReadListener;
import io.tombscope.analyzer.read.RecordingException;
import io.tombscope.analyzer.read.SparseHistogram;
import io.tombscope.analyzer.write.RecordingWriter;
import io.tombscope.format.CompactLines;
import io.tombscope.format.NumberLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Merges the recordings of many JVMs into one recording of format 2, written as the agent writes
 * its own ({@link RecordingWriter}), which every command reads as it reads one JVM's ({@code
 * docs/recording-format.md}, "Merged recordings").
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Sites are the same site when their map class, family, tracking, allocation frames and
 *       program frame are the same; ids are given in the order of those keys, so the result does
 *       not depend on the order of the inputs (which are taken in the order of their start, pid and
 *       directory).
 *   <li>Time is absolute: the merge starts at the earliest start, and each input's interval falls
 *       in the window of the merge's longest interval that holds its end.
 *   <li>Counters and {@code untracked} totals are the sums of each JVM's last cumulative values;
 *       gauges the sums over the JVMs present in the window ({@code mapSizePeak} the highest, the
 *       cumulative {@code sizePeak} and {@code drainedByteSeconds} over every JVM so far);
 *       histograms are added. Every window's {@code agent} line says how many JVMs it holds ({@code
 *       jvms}), every gauge line how many JVMs' gauges it sums.
 *   <li>Memory is bounded by sites and JVMs, not intervals: each input is read in time order on its
 *       own thread, a few intervals ahead, and each window is written once complete.
 *   <li>A bad input is a {@link RecordingException} naming its file and line; what was written is
 *       then deleted.
 * </ol>
 */
public final class FleetMerge {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the agent writes by default, for inputs that do not say (format 1). */
  private static final long DEFAULT_SEGMENT_MS = 3_600_000;

  private static final long DAY_MS = 86_400_000;

  /** What a merge did. */
  public record Result(
      int jvms, int sites, long windows, long windowMs, long skippedLines, List<String> warnings) {}

  private final List<FleetInput> inputs = new ArrayList<>();
  private final KeyTable keys = new KeyTable();
  private final long origin;
  private final long windowMs;
  private final long histogramMs;
  private final long segmentMs;
  private final ReadListener listener;
  private final List<MergedSite> sites = new ArrayList<>();
  private final List<SiteIds> siteOfInput = new ArrayList<>();
  private final Map<String, MergedSite> sitesByKey = new TreeMap<>();
  private final Map<String, long[][]> untracked = new TreeMap<>();
  private final Map<String, long[]> untrackedSum = new HashMap<>();
  private final Set<String> untrackedTouched = new TreeSet<>();
  private final long[][] agentByInput;
  private long[] agentSum = new long[0];
  private final long[] lastEnd;
  private final boolean[] started;
  private final long[] intervals;
  private boolean[] present;
  private int[] presentWeight;
  private final Map<String, HistogramSum> histograms = new LinkedHashMap<>();
  private final NumberLine numberLine = new NumberLine(CompactLines.COUNTERS, 0);
  private RecordingWriter out;
  private long nextHistogramT;
  private long windowsWritten;
  private long skippedLines;
  private int warnings;
  private long lastT;

  /** A merged site: its line and every input's numbers for it. */
  private static final class MergedSite {
    final String key;
    final ObjectNode line;
    int id = -1;
    final long[][] counters;
    final long[][] gauges;
    final long[][] gaugeMax;
    long[] counterSum = new long[0];
    boolean touched;
    boolean anyCounters;
    boolean anyGauge;

    /** The keys of its gauge lines, of any input: what a gauge line of the merge sums. */
    int[] gaugeKeys = new int[16];

    int gaugeKeyCount;
    final Map<String, DeleteStack> stacks = new TreeMap<>();

    private boolean[] isGaugeKey = new boolean[64];

    void gaugeKey(int key) {
      if (key < isGaugeKey.length && isGaugeKey[key]) {
        return;
      }
      if (key >= isGaugeKey.length) {
        isGaugeKey = Arrays.copyOf(isGaugeKey, Math.max(key + 1, 2 * isGaugeKey.length));
      }
      isGaugeKey[key] = true;
      if (gaugeKeyCount == gaugeKeys.length) {
        gaugeKeys = Arrays.copyOf(gaugeKeys, 2 * gaugeKeyCount);
      }
      gaugeKeys[gaugeKeyCount++] = key;
    }

    MergedSite(String key, ObjectNode line, int inputs) {
      this.key = key;
      this.line = line;
      this.counters = new long[inputs][];
      this.gauges = new long[inputs][];
      this.gaugeMax = new long[inputs][];
    }
  }

  /** A delete call stack of a merged site. */
  private static final class DeleteStack {
    /** Its {@code stack} line's fields: site, frame, callers, program frame. */
    final String declaration;

    /** What names it among every site's stacks in a segment ({@link CompactLines#stack}). */
    final String key;

    final long[][] byInput;
    long[] sum = new long[0];
    boolean touched;

    DeleteStack(String declaration, String key, int inputs) {
      this.declaration = declaration;
      this.key = key;
      this.byInput = new long[inputs][];
    }
  }

  /**
   * A histogram period's sum of one tag's histograms: counts by index of the agent's layout, added
   * as they come (exact, and no value computed per count), and a histogram for any other layout.
   */
  private static final class HistogramSum {
    long[] counts = new long[0];
    int highestIndex = -1;
    Histogram others;
    long startMs = Long.MAX_VALUE;
    long endMs;

    void add(IntervalReader.TaggedHistogram h) {
      SparseHistogram other = h.other();
      if (other != null) {
        if (others == null) {
          others = other.newSum();
        }
        if (other.fits(others)) {
          other.addTo(others);
        } else {
          Histogram converted = other.newSum();
          other.addTo(converted);
          others.add(converted);
        }
        return;
      }
      int[] indices = h.indices();
      long[] add = h.counts();
      if (indices.length > 0 && indices[indices.length - 1] >= counts.length) {
        counts =
            Arrays.copyOf(counts, Math.max(indices[indices.length - 1] + 1, 2 * counts.length));
      }
      for (int i = 0; i < indices.length; i++) {
        counts[indices[i]] += add[i];
        highestIndex = Math.max(highestIndex, indices[i]);
      }
    }

    boolean isEmpty() {
      return highestIndex < 0 && (others == null || others.getTotalCount() == 0);
    }

    /**
     * The sum as one histogram whose highest trackable value holds its values (a histogram that
     * resized itself keeps its first one in its encoding, below its values).
     */
    Histogram histogram() {
      long highest = highestIndex < 0 ? 2 : Math.max(2, IntervalReader.valueAt(highestIndex));
      Histogram h;
      if (others == null) {
        h = new Histogram(1, highest, 2);
      } else {
        long lowest = others.getLowestDiscernibleValue();
        h =
            new Histogram(
                lowest,
                Math.max(2 * lowest, Math.max(highest, others.getMaxValue())),
                others.getNumberOfSignificantValueDigits());
        h.add(others);
      }
      for (int i = 0; i <= highestIndex; i++) {
        if (counts[i] != 0) {
          h.recordValueWithCount(IntervalReader.valueAt(i), counts[i]);
        }
      }
      return h;
    }

    void reset() {
      Arrays.fill(counts, 0, highestIndex + 1, 0);
      highestIndex = -1;
      others = null;
      startMs = Long.MAX_VALUE;
      endMs = 0;
    }
  }

  /** An input's site ids to merged sites: an array for the small ids the agent gives. */
  private static final class SiteIds {
    private static final int DENSE = 1 << 16;
    private MergedSite[] dense = new MergedSite[64];
    private final Map<Integer, MergedSite> sparse = new HashMap<>();

    MergedSite get(int id) {
      if (id >= 0 && id < DENSE) {
        return id < dense.length ? dense[id] : null;
      }
      return sparse.get(id);
    }

    void put(int id, MergedSite s) {
      if (id >= 0 && id < DENSE) {
        if (id >= dense.length) {
          dense = Arrays.copyOf(dense, Math.min(DENSE, Math.max(id + 1, 2 * dense.length)));
        }
        dense[id] = s;
      } else {
        sparse.put(id, s);
      }
    }
  }

  private FleetMerge(List<IntervalReader> readers, ReadListener listener) {
    this.listener = listener;
    readers = new ArrayList<>(readers);
    readers.sort(
        Comparator.comparingLong((IntervalReader r) -> r.meta().startEpochMs())
            .thenComparingLong(r -> r.meta().pid())
            .thenComparing(r -> r.directory().toString()));
    this.origin = readers.stream().mapToLong(r -> r.meta().startEpochMs()).min().orElse(0);
    this.windowMs = readers.stream().mapToLong(r -> r.meta().intervalMs()).max().orElse(1000);
    long histogramMs = windowMs;
    long segmentMs = 0;
    for (IntervalReader r : readers) {
      JsonNode meta = rawMeta(r.directory());
      histogramMs = Math.max(histogramMs, millis(meta, "histogramMs", r.meta().intervalMs()));
      segmentMs = Math.max(segmentMs, millis(meta, "segmentMs", 0));
    }
    this.histogramMs = histogramMs;
    this.segmentMs = Math.max(windowMs, segmentMs > 0 ? segmentMs : DEFAULT_SEGMENT_MS);
    this.nextHistogramT = histogramMs;
    for (IntervalReader r : readers) {
      inputs.add(
          new FleetInput(inputs.size(), r, r.meta().startEpochMs() - origin, windowMs, keys));
    }
    int n = inputs.size();
    agentByInput = new long[n][];
    lastEnd = new long[n];
    started = new boolean[n];
    intervals = new long[n];
    present = new boolean[n];
    presentWeight = new int[n];
  }

  /** An input's {@code meta.json} as it is, for the keys {@link Meta} leaves out; {} if none. */
  private static JsonNode rawMeta(Path dir) {
    try {
      return JSON.readTree(dir.resolve("meta.json").toFile());
    } catch (IOException e) {
      // Read and checked already by its reader: what it lacks, the defaults give.
      return JSON.createObjectNode();
    }
  }

  /** A duration of {@code meta} from 1 ms to a day, or {@code otherwise}. */
  private static long millis(JsonNode meta, String key, long otherwise) {
    JsonNode n = meta.path(key);
    return n.isIntegralNumber() && n.asLong() >= 1 && n.asLong() <= DAY_MS ? n.asLong() : otherwise;
  }

  /**
   * Merges the recordings in {@code inputs} into a new recording in {@code output}, which must not
   * exist or be an empty directory; reports progress and warnings to {@code listener}.
   */
  public static Result merge(List<Path> inputs, Path output, ReadListener listener)
      throws RecordingException, IOException, InterruptedException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no recordings to merge");
    }
    List<IntervalReader> readers = new ArrayList<>();
    try {
      for (Path in : inputs) {
        readers.add(IntervalReader.open(in, listener));
      }
      return new FleetMerge(readers, listener).run(output);
    } finally {
      readers.forEach(IntervalReader::close);
    }
  }

  private Result run(Path output) throws RecordingException, IOException, InterruptedException {
    collectSites();
    out = RecordingWriter.create(output, meta());
    boolean done = false;
    try {
      for (MergedSite s : sites) {
        out.site(s.line);
      }
      inputs.forEach(FleetInput::start);
      mergeWindows();
      writeFleet();
      out.close();
      done = true;
    } finally {
      inputs.forEach(FleetInput::stop);
      if (!done) {
        out.abandon();
      }
    }
    long skipped = skippedLines;
    List<String> warnings = new ArrayList<>();
    for (FleetInput in : inputs) {
      skipped += in.reader.skippedLines();
      warnings.addAll(in.reader.warnings());
    }
    return new Result(inputs.size(), sites.size(), windowsWritten, windowMs, skipped, warnings);
  }

  /** The merge's origin, ms since the epoch: the earliest start. */
  long origin() {
    return origin;
  }

  /** Every input's sites, keyed and numbered in the order of their keys. */
  private void collectSites() throws RecordingException {
    for (FleetInput in : inputs) {
      SiteIds byId = new SiteIds();
      for (IntervalReader.Line l : in.reader.siteLines()) {
        JsonNode n = l.node();
        String key = siteKey(n);
        MergedSite s = sitesByKey.get(key);
        long t = n.path("t").asLong() + in.offsetMs();
        if (s == null) {
          ObjectNode line = n.deepCopy();
          line.put("t", t);
          s = new MergedSite(key, line, inputs.size());
          sitesByKey.put(key, s);
        } else if (t < s.line.path("t").asLong()) {
          s.line.put("t", t);
        }
        byId.put(n.get("site").asInt(), s);
      }
      siteOfInput.add(byId);
    }
    for (MergedSite s : sitesByKey.values()) {
      number(s);
    }
  }

  private void number(MergedSite s) throws RecordingException {
    if (sites.size() >= MAX_SITES) {
      throw new RecordingException(
          inputs.get(0).reader.directory(),
          0,
          "the merge holds more than "
              + MAX_SITES
              + " allocation sites, the most the analyzer reads: merge fewer recordings");
    }
    s.id = sites.size();
    s.line.put("site", s.id);
    sites.add(s);
  }

  /** What the analyzer reads at most, as {@code RecordingReader}. */
  private static final int MAX_SITES = 1 << 14;

  private static String siteKey(JsonNode n) {
    ArrayNode key = JSON.createArrayNode();
    key.add(n.path("mapClass").asText("unknown"));
    key.add(n.path("family").asText("bucket"));
    key.add(n.path("tracking").asText("sampled"));
    key.add(n.path("appFrame").asText(""));
    for (JsonNode f : n.path("allocationSite")) {
      key.add(f.asText());
    }
    return key.toString();
  }

  /** An input's site; one its events name that its {@code sites.jsonl} does not (cut off). */
  private MergedSite site(FleetInput in, int id) throws RecordingException, IOException {
    MergedSite s = siteOfInput.get(in.index).get(id);
    if (s == null) {
      ObjectNode line = JSON.createObjectNode();
      line.put("mapClass", "unknown");
      line.putArray("allocationSite").add("(site " + id + " of " + in.reader.directory() + ")");
      line.put("t", 0);
      s = new MergedSite(siteKey(line), line, inputs.size());
      number(s);
      out.site(line);
      siteOfInput.get(in.index).put(id, s);
    }
    return s;
  }

  private ObjectNode meta() {
    ObjectNode m = JSON.createObjectNode();
    m.put("format", 2);
    m.put("agentVersion", common(Meta::agentVersion));
    m.put("startEpochMs", origin);
    m.put("intervalMs", windowMs);
    m.put("histogramMs", histogramMs);
    m.put("segmentMs", segmentMs);
    ObjectNode jvm = m.putObject("jvm");
    jvm.put("version", common(Meta::jvmVersion));
    jvm.put("vendor", common(Meta::jvmVendor));
    jvm.put("vmName", common(Meta::vmName));
    ArrayNode args = jvm.putArray("inputArguments");
    if (inputs.stream().map(i -> i.meta.inputArguments()).distinct().count() == 1) {
      inputs.get(0).meta.inputArguments().forEach(args::add);
    }
    jvm.put("mainCommand", common(Meta::mainCommand));
    ObjectNode options = m.putObject("options");
    inputs
        .get(0)
        .meta
        .options()
        .forEach(
            (k, v) -> {
              if (inputs.stream().allMatch(i -> v.equals(i.meta.options().get(k)))) {
                options.put(k, v);
              }
            });
    ObjectNode fleet = m.putObject("fleet");
    fleet.put("jvms", inputs.size());
    fleet.put("windowMs", windowMs);
    return m;
  }

  /** The inputs' common value, or "mixed" where they differ. */
  private String common(Function<Meta, String> value) {
    String first = value.apply(inputs.get(0).meta);
    return inputs.stream().allMatch(i -> Objects.equals(first, value.apply(i.meta)))
        ? first
        : "mixed";
  }

  private void mergeWindows() throws RecordingException, IOException, InterruptedException {
    long total = inputs.stream().mapToLong(i -> i.reader.totalBytes()).sum();
    long window = nextWindow();
    while (window != Long.MAX_VALUE) {
      boolean[] contributed = new boolean[inputs.size()];
      int[] weight = new int[inputs.size()];
      long end = 0;
      List<ObjectNode> lines = new ArrayList<>();
      List<ObjectNode> releases = new ArrayList<>();
      for (FleetInput in : inputs) {
        for (FleetInput.Step s; (s = in.peek()) != null && s.window() == window; ) {
          in.take();
          apply(in, s, lines, releases);
          end = Math.max(end, s.end());
          if (s.complete()) {
            contributed[in.index] = true;
            weight[in.index] = Math.max(weight[in.index], s.agentJvms());
          }
        }
      }
      presence(window, contributed, weight);
      window = nextWindow();
      writeWindow(Math.max(end, lastT), lines, releases, window == Long.MAX_VALUE);
      listener.progress(inputs.stream().mapToLong(i -> i.bytesRead.get()).sum(), total);
    }
    if (inputs.stream().allMatch(i -> i.reader.ended())) {
      ObjectNode e = JSON.createObjectNode();
      e.put("type", "end");
      e.put("t", lastT);
      out.end(e);
    }
  }

  /** The earliest window an input's next interval falls in; {@link Long#MAX_VALUE} at the end. */
  private long nextWindow() throws RecordingException, InterruptedException {
    long window = Long.MAX_VALUE;
    for (FleetInput in : inputs) {
      FleetInput.Step s = in.peek();
      if (s != null) {
        window = Math.min(window, s.window());
      }
    }
    return window;
  }

  /**
   * Which inputs the window holds: those with an interval that ends in it, and those in the middle
   * of an interval that spans it (no longer than twice their interval or the window), so that the
   * jitter of flush times does not read as a JVM that left.
   */
  private void presence(long window, boolean[] contributed, int[] weight)
      throws RecordingException, InterruptedException {
    boolean[] now = new boolean[inputs.size()];
    int[] nowWeight = new int[inputs.size()];
    long windowStart = (window - 1) * windowMs;
    for (FleetInput in : inputs) {
      int i = in.index;
      if (contributed[i]) {
        now[i] = true;
        nowWeight[i] = weight[i];
        continue;
      }
      FleetInput.Step next = in.peek();
      if (started[i] && next != null && next.complete() && lastEnd[i] <= windowStart) {
        long span = next.end() - lastEnd[i];
        now[i] = span <= 2 * Math.max(windowMs, in.meta.intervalMs());
        nowWeight[i] = now[i] ? presentWeight[i] : 0;
      }
    }
    if (!Arrays.equals(now, present)) {
      // A JVM came or went: every site's gauge sum changes.
      for (MergedSite s : sites) {
        s.touched |= s.anyGauge;
      }
    }
    present = now;
    presentWeight = nowWeight;
  }

  private void apply(
      FleetInput in, FleetInput.Step s, List<ObjectNode> lines, List<ObjectNode> releases)
      throws RecordingException, IOException {
    int i = in.index;
    for (JsonNode r : s.releases()) {
      ObjectNode line = ((ObjectNode) r).deepCopy();
      line.put("t", r.path("t").asLong() + in.offsetMs());
      line.put("jvm", i);
      releases.add(line);
    }
    StepLines l = s.lines();
    for (int j = 0; j < l.size; j++) {
      switch (l.kind[j]) {
        case StepLines.COUNTERS -> counters(in, s.file(), l, j);
        case StepLines.GAUGE -> gauge(in, l, j);
        case StepLines.DELETE_SITE -> deleteSite(in, l, j);
        default -> untracked(in, l, j);
      }
    }
    for (JsonNode g : s.grows()) {
      ObjectNode line = ((ObjectNode) g).deepCopy();
      line.put("site", site(in, g.path("site").asInt()).id);
      line.put("t", g.path("t").asLong() + in.offsetMs());
      line.put("jvm", i);
      lines.add(line);
    }
    for (IntervalReader.TaggedHistogram h : s.histograms()) {
      String tag = h.site() < 0 ? h.series() : h.series() + "/" + site(in, h.site()).id;
      HistogramSum sum = histograms.computeIfAbsent(tag, k -> new HistogramSum());
      sum.add(h);
      sum.startMs = Math.min(sum.startMs, h.startMs() + in.offsetMs());
      sum.endMs = Math.max(sum.endMs, h.endMs() + in.offsetMs());
    }
    if (s.complete()) {
      agentByInput[i] = put(agentByInput[i], s.agent());
      agentSum = sumOf(agentByInput, agentSum.length);
      started[i] = true;
      lastEnd[i] = s.end();
      intervals[i]++;
    }
  }

  private void counters(FleetInput in, Path file, StepLines l, int line)
      throws RecordingException, IOException {
    MergedSite s = site(in, l.site[line]);
    long[] last = s.counters[in.index];
    int[] k = l.keys[line];
    long[] v = l.values;
    int from = l.from[line];
    if (last != null) {
      for (int j = 0; j < k.length; j++) {
        if (k[j] < last.length && v[from + j] < last[k[j]]) {
          warn(
              file
                  + ":"
                  + l.line[line]
                  + ": \""
                  + keys.name(k[j])
                  + "\" goes back from "
                  + last[k[j]]
                  + " to "
                  + v[from + j]
                  + ", but counters only grow; line skipped");
          skippedLines++;
          return;
        }
      }
    }
    last = grow(last, keys.size());
    long[] sum = grow(s.counterSum, last.length);
    for (int j = 0; j < k.length; j++) {
      long was = Math.max(0, last[k[j]]);
      sum[k[j]] = Math.max(0, sum[k[j]]) + v[from + j] - was;
      last[k[j]] = v[from + j];
    }
    s.counters[in.index] = last;
    s.counterSum = sum;
    s.touched = true;
    s.anyCounters = true;
  }

  private void warn(String message) {
    if (warnings++ < MAX_WARNINGS) {
      listener.warning(message);
    }
  }

  private static final int MAX_WARNINGS = 20;

  private void gauge(FleetInput in, StepLines l, int line) throws RecordingException, IOException {
    MergedSite s = site(in, l.site[line]);
    int[] k = l.keys[line];
    long[] v = l.values;
    int from = l.from[line];
    long[] g = put(s.gauges[in.index], k, v, from);
    s.gauges[in.index] = g;
    long[] max = grow(s.gaugeMax[in.index], g.length);
    // The other keys kept their values, and their highest already.
    for (int j = 0; j < k.length; j++) {
      max[k[j]] = Math.max(max[k[j]], v[from + j]);
      s.gaugeKey(k[j]);
    }
    s.gaugeMax[in.index] = max;
    s.touched = true;
    s.anyGauge = true;
  }

  private void deleteSite(FleetInput in, StepLines l, int line)
      throws RecordingException, IOException {
    MergedSite s = site(in, l.site[line]);
    String stackKey = l.stackKey[line];
    DeleteStack d = s.stacks.get(stackKey);
    if (d == null) {
      JsonNode n = l.node[line];
      ObjectNode declaration = JSON.createObjectNode();
      declaration.put("site", s.id);
      declaration.set("frame", n.path("frame"));
      if (n.has("callers")) {
        declaration.set("callers", n.get("callers"));
      }
      if (n.has("appFrame")) {
        declaration.set("appFrame", n.get("appFrame"));
      }
      d = new DeleteStack(declaration.toString(), s.id + "\n" + stackKey, inputs.size());
      s.stacks.put(stackKey, d);
    }
    long[] last = grow(d.byInput[in.index], keys.size());
    long[] sum = grow(d.sum, last.length);
    int[] k = l.keys[line];
    long[] v = l.values;
    int from = l.from[line];
    for (int j = 0; j < k.length; j++) {
      sum[k[j]] = Math.max(0, sum[k[j]]) + v[from + j] - Math.max(0, last[k[j]]);
      last[k[j]] = v[from + j];
    }
    d.byInput[in.index] = last;
    d.sum = sum;
    d.touched = true;
  }

  private void untracked(FleetInput in, StepLines l, int line) {
    String family = l.node[line].path("family").asText("other");
    long[][] byInput = untracked.computeIfAbsent(family, f -> new long[inputs.size()][]);
    byInput[in.index] = put(byInput[in.index], l.keys[line], l.values, l.from[line]);
    untrackedSum.put(family, sumOf(byInput, 0));
    untrackedTouched.add(family);
  }

  /** {@code into} with {@code n}'s values put at their keys (grown to fit). */
  private static long[] put(long[] into, KeyTable.Numbers n) {
    return put(into, n.keys(), n.values(), 0);
  }

  /** {@code into} with {@code values} from {@code from} put at {@code keys} (grown to fit). */
  private static long[] put(long[] into, int[] keys, long[] values, int from) {
    int size = into == null ? 0 : into.length;
    for (int k : keys) {
      size = Math.max(size, k + 1);
    }
    long[] out = grow(into, size);
    for (int k = 0; k < keys.length; k++) {
      out[keys[k]] = values[from + k];
    }
    return out;
  }

  /** {@code a} at least {@code size} long; new places hold {@link #ABSENT}. */
  private static long[] grow(long[] a, int size) {
    int from = a == null ? 0 : a.length;
    if (a != null && from >= size) {
      return a;
    }
    long[] out = a == null ? new long[size] : Arrays.copyOf(a, size);
    Arrays.fill(out, from, size, ABSENT);
    return out;
  }

  /**
   * A key no line of the row had: every number the format puts at a line's top level is at least 0,
   * so -1 cannot be a value.
   */
  private static final long ABSENT = -1;

  private static long[] sumOf(long[][] rows, int size) {
    for (long[] r : rows) {
      if (r != null) {
        size = Math.max(size, r.length);
      }
    }
    long[] sum = grow(null, size);
    for (long[] r : rows) {
      if (r != null) {
        for (int k = 0; k < r.length; k++) {
          if (r[k] >= 0) {
            sum[k] = Math.max(0, sum[k]) + r[k];
          }
        }
      }
    }
    return sum;
  }

  /**
   * Writes the window that ends at {@code t}: what changed in it, as the agent writes an interval;
   * the histograms when their period is over, the segment ends or this is the {@code last} window.
   */
  private void writeWindow(long t, List<ObjectNode> grows, List<ObjectNode> releases, boolean last)
      throws IOException {
    releases.sort(Comparator.comparingLong((ObjectNode r) -> r.path("t").asLong()));
    for (ObjectNode r : releases) {
      out.event(r);
    }
    int jvms = 0;
    for (int i = 0; i < inputs.size(); i++) {
      jvms += present[i] ? presentWeight[i] : 0;
    }
    for (MergedSite s : sites) {
      if (!s.touched) {
        continue;
      }
      s.touched = false;
      if (s.anyCounters) {
        NumberLine counters = numbers(numberLine.reset(CompactLines.COUNTERS, s.id), s.counterSum);
        // A line of no numbers says nothing: a compact line holds at least one.
        if (counters.size() > 0) {
          out.numbers(counters);
        }
      }
      if (s.anyGauge) {
        out.numbers(gaugeLine(s));
      }
      for (DeleteStack d : s.stacks.values()) {
        if (d.touched) {
          d.touched = false;
          if (Arrays.stream(d.sum).anyMatch(v -> v >= 0)) {
            int stack = out.stack(d.key, () -> d.declaration);
            out.numbers(numbers(numberLine.reset(CompactLines.DELETE_SITE, stack), d.sum));
          }
        }
      }
    }
    for (ObjectNode g : grows) {
      out.event(g);
    }
    for (String family : untrackedTouched) {
      ObjectNode u = JSON.createObjectNode();
      u.put("type", "untracked");
      u.put("t", t);
      u.put("family", family);
      numbers(u, untrackedSum.get(family));
      out.event(u);
    }
    untrackedTouched.clear();
    if (last || out.endsSegment(t) || t >= nextHistogramT) {
      writeHistograms(t);
      nextHistogramT = (t / histogramMs + 1) * histogramMs;
    }
    ObjectNode agent = JSON.createObjectNode();
    agent.put("type", "agent");
    agent.put("t", t);
    numbers(agent, agentSum);
    agent.put("jvms", jvms);
    out.event(agent);
    if (out.endInterval(t)) {
      restate();
    }
    windowsWritten++;
    lastT = t;
  }

  /** A new segment starts whole: every site's counters, gauge and call stacks, every family's. */
  private void restate() {
    for (MergedSite s : sites) {
      s.touched = s.anyCounters || s.anyGauge;
      for (DeleteStack d : s.stacks.values()) {
        d.touched = true;
      }
    }
    untrackedTouched.addAll(untracked.keySet());
  }

  private void writeHistograms(long t) throws IOException {
    for (Map.Entry<String, HistogramSum> e : histograms.entrySet()) {
      HistogramSum h = e.getValue();
      if (h.isEmpty()) {
        continue;
      }
      Histogram written = h.histogram();
      written.setTag(e.getKey());
      written.setStartTimeStamp(origin + Math.min(h.startMs, t));
      written.setEndTimeStamp(origin + Math.min(h.endMs, t));
      out.histogram(written);
      h.reset();
    }
  }

  /** The gauge line of the window: the site's gauges summed over the JVMs present. */
  private NumberLine gaugeLine(MergedSite s) {
    int size = keys.size();
    long[] sum = new long[size];
    boolean[] has = new boolean[size];
    int[] gaugeKeys = s.gaugeKeys;
    int n = s.gaugeKeyCount;
    // A key of the gauge lines of one input only counts for that input.
    int jvms = 0;
    for (FleetInput in : inputs) {
      long[] g = s.gauges[in.index];
      if (g == null) {
        continue;
      }
      boolean here = present[in.index];
      if (here) {
        jvms += presentWeight[in.index];
      }
      for (int j = 0; j < n; j++) {
        int k = gaugeKeys[j];
        if (k >= g.length || g[k] < 0) {
          continue;
        }
        if (keys.gaugeMax(k)) {
          sum[k] = Math.max(sum[k], g[k]);
        } else if (here || keys.gaugeCumulative(k)) {
          sum[k] += g[k];
        }
        has[k] = true;
      }
    }
    NumberLine line = numberLine.reset(CompactLines.GAUGE, s.id);
    for (int k : keys.sortedIndexes()) {
      if (k < size && has[k]) {
        line.put(keys.name(k), Math.min(sum[k], MAX_NUMBER));
      }
    }
    return line.put("jvms", jvms);
  }

  /** The format's largest number: a sum past it is kept at it. */
  private static final long MAX_NUMBER = 1L << 48;

  /** {@code line} with {@code values}' numbers put, in the order of their keys' names. */
  private NumberLine numbers(NumberLine line, long[] values) {
    for (int k : keys.sortedIndexes()) {
      if (k < values.length && values[k] >= 0) {
        line.put(keys.name(k), Math.min(values[k], MAX_NUMBER));
      }
    }
    return line;
  }

  private void numbers(ObjectNode line, long[] values) {
    for (int k : keys.sortedIndexes()) {
      if (k < values.length && values[k] >= 0) {
        line.put(keys.name(k), Math.min(values[k], MAX_NUMBER));
      }
    }
  }

  /** {@code fleet.jsonl}: each JVM, and each JVM's last counters and highest gauges per site. */
  private void writeFleet() throws IOException {
    for (FleetInput in : inputs) {
      ObjectNode j = JSON.createObjectNode();
      j.put("type", "jvm");
      j.put("jvm", in.index);
      j.put("source", in.reader.directory().toString());
      j.put("pid", in.meta.pid());
      j.put("startEpochMs", in.meta.startEpochMs());
      j.put("intervalMs", in.meta.intervalMs());
      j.put("mainCommand", in.meta.mainCommand());
      j.put("jvmVersion", in.meta.jvmVersion());
      j.put("intervals", intervals[in.index]);
      j.put("fromT", in.offsetMs());
      j.put("toT", lastEnd[in.index]);
      j.put("ended", in.reader.ended());
      out.fleet(j);
    }
    for (MergedSite s : sites) {
      for (FleetInput in : inputs) {
        long[] c = s.counters[in.index];
        long[] g = s.gaugeMax[in.index];
        if (c == null && g == null) {
          continue;
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("type", "site");
        line.put("jvm", in.index);
        line.put("site", s.id);
        numbers(line.putObject("counters"), c == null ? new long[0] : c);
        numbers(line.putObject("gaugeMax"), g == null ? new long[0] : g);
        out.fleet(line);
      }
    }
  }
}
