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
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Merges the recordings of many JVMs into one recording of the same format, which every command
 * reads as it reads one JVM's ({@code docs/recording-format.md}, "Merged recordings").
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

  /** Gauge keys that are a maximum over the JVMs, not a sum. */
  private static final java.util.Set<String> GAUGE_MAX = java.util.Set.of("mapSizePeak");

  /** Gauge keys that are cumulative: a JVM that left still counts. */
  private static final java.util.Set<String> GAUGE_CUMULATIVE =
      java.util.Set.of("sizePeak", "drainedByteSeconds");

  /** What a merge did. */
  public record Result(
      int jvms, int sites, long windows, long windowMs, long skippedLines, List<String> warnings) {}

  private final List<FleetInput> inputs = new ArrayList<>();
  private final KeyTable keys = new KeyTable();
  private final long origin;
  private final long windowMs;
  private final ReadListener listener;
  private final List<MergedSite> sites = new ArrayList<>();
  private final List<Map<Integer, MergedSite>> siteOfInput = new ArrayList<>();
  private final Map<String, MergedSite> sitesByKey = new TreeMap<>();
  private final Map<String, long[][]> untracked = new TreeMap<>();
  private final Map<String, long[]> untrackedSum = new HashMap<>();
  private final java.util.Set<String> untrackedTouched = new java.util.TreeSet<>();
  private final long[][] agentByInput;
  private long[] agentSum = new long[0];
  private final long[] lastEnd;
  private final boolean[] started;
  private final long[] intervals;
  private boolean[] present;
  private int[] presentWeight;
  private final Map<String, HistogramSum> histograms = new LinkedHashMap<>();
  private RecordingWriter out;
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
    final Map<String, DeleteStack> stacks = new TreeMap<>();

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
    final ObjectNode line;
    final long[][] byInput;
    long[] sum = new long[0];
    boolean touched;

    DeleteStack(ObjectNode line, int inputs) {
      this.line = line;
      this.byInput = new long[inputs][];
    }
  }

  /** A window's sum of one tag's histograms. */
  private static final class HistogramSum {
    Histogram sum;
    long startMs = Long.MAX_VALUE;
    long endMs;
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
      Map<Integer, MergedSite> byId = new HashMap<>();
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

  /** A site an input's events name that its {@code sites.jsonl} does not (cut off with it). */
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
    m.put("format", 1);
    m.put("agentVersion", common(Meta::agentVersion));
    m.put("startEpochMs", origin);
    m.put("intervalMs", windowMs);
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
    while (true) {
      long window = Long.MAX_VALUE;
      for (FleetInput in : inputs) {
        FleetInput.Step s = in.peek();
        if (s != null) {
          window = Math.min(window, s.window());
        }
      }
      if (window == Long.MAX_VALUE) {
        break;
      }
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
      writeWindow(Math.max(end, lastT), lines, releases);
      listener.progress(inputs.stream().mapToLong(i -> i.bytesRead.get()).sum(), total);
    }
    if (inputs.stream().allMatch(i -> i.reader.ended())) {
      ObjectNode e = JSON.createObjectNode();
      e.put("type", "end");
      e.put("t", lastT);
      out.event(e);
    }
    out.endInterval();
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
    for (FleetInput.Entry e : s.entries()) {
      switch (e.type()) {
        case "counters" -> counters(in, e);
        case "gauge" -> gauge(in, e);
        case "deleteSite" -> deleteSite(in, e);
        case "untracked" -> untracked(in, e);
        case "grow" -> {
          ObjectNode line = ((ObjectNode) e.node()).deepCopy();
          line.put("site", site(in, e.site()).id);
          line.put("t", e.node().path("t").asLong() + in.offsetMs());
          line.put("jvm", i);
          lines.add(line);
        }
        default -> throw new IllegalStateException(e.type());
      }
    }
    for (IntervalReader.TaggedHistogram h : s.histograms()) {
      String tag = h.site() < 0 ? h.series() : h.series() + "/" + site(in, h.site()).id;
      HistogramSum sum = histograms.computeIfAbsent(tag, k -> new HistogramSum());
      SparseHistogram sparse = h.histogram();
      if (sum.sum == null) {
        sum.sum = sparse.newSum();
      }
      if (sparse.fits(sum.sum)) {
        sparse.addTo(sum.sum);
      } else {
        Histogram other = sparse.newSum();
        sparse.addTo(other);
        sum.sum.add(other);
      }
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

  private void counters(FleetInput in, FleetInput.Entry e) throws RecordingException, IOException {
    MergedSite s = site(in, e.site());
    long[] last = s.counters[in.index];
    KeyTable.Numbers n = e.numbers();
    if (last != null) {
      for (int k = 0; k < n.keys().length; k++) {
        int key = n.keys()[k];
        if (key < last.length && n.values()[k] < last[key]) {
          warn(
              in.reader.directory().resolve("events.jsonl")
                  + ":"
                  + e.line()
                  + ": \""
                  + keys.name(key)
                  + "\" goes back from "
                  + last[key]
                  + " to "
                  + n.values()[k]
                  + ", but counters only grow; line skipped");
          skippedLines++;
          return;
        }
      }
    }
    long[] before = last == null ? new long[0] : last.clone();
    s.counters[in.index] = put(last, n);
    s.counterSum = addChange(s.counterSum, before, s.counters[in.index]);
    s.touched = true;
    s.anyCounters = true;
  }

  private void warn(String message) {
    if (warnings++ < MAX_WARNINGS) {
      listener.warning(message);
    }
  }

  private static final int MAX_WARNINGS = 20;

  private void gauge(FleetInput in, FleetInput.Entry e) throws RecordingException, IOException {
    MergedSite s = site(in, e.site());
    s.gauges[in.index] = put(s.gauges[in.index], e.numbers());
    long[] g = s.gauges[in.index];
    long[] max = grow(s.gaugeMax[in.index], g.length);
    for (int k = 0; k < g.length; k++) {
      max[k] = Math.max(max[k], g[k]);
    }
    s.gaugeMax[in.index] = max;
    s.touched = true;
    s.anyGauge = true;
  }

  private void deleteSite(FleetInput in, FleetInput.Entry e)
      throws RecordingException, IOException {
    MergedSite s = site(in, e.site());
    JsonNode n = e.node();
    ArrayNode stack = JSON.createArrayNode();
    stack.add(n.path("frame").asText("(unknown)"));
    n.path("callers").forEach(stack::add);
    stack.add(n.path("appFrame").asText(""));
    DeleteStack d =
        s.stacks.computeIfAbsent(
            stack.toString(),
            k -> {
              ObjectNode line = JSON.createObjectNode();
              line.put("type", "deleteSite");
              line.set("frame", n.path("frame"));
              if (n.has("callers")) {
                line.set("callers", n.get("callers"));
              }
              if (n.has("appFrame")) {
                line.set("appFrame", n.get("appFrame"));
              }
              return new DeleteStack(line, inputs.size());
            });
    long[] before = d.byInput[in.index] == null ? new long[0] : d.byInput[in.index].clone();
    d.byInput[in.index] = put(d.byInput[in.index], e.numbers());
    d.sum = addChange(d.sum, before, d.byInput[in.index]);
    d.touched = true;
  }

  private void untracked(FleetInput in, FleetInput.Entry e) {
    String family = e.node().path("family").asText("other");
    long[][] byInput = untracked.computeIfAbsent(family, f -> new long[inputs.size()][]);
    byInput[in.index] = put(byInput[in.index], e.numbers());
    untrackedSum.put(family, sumOf(byInput, 0));
    untrackedTouched.add(family);
  }

  /** {@code into} with {@code n}'s values put at their keys (grown to fit). */
  private static long[] put(long[] into, KeyTable.Numbers n) {
    int size = into == null ? 0 : into.length;
    for (int k : n.keys()) {
      size = Math.max(size, k + 1);
    }
    long[] out = grow(into, size);
    for (int k = 0; k < n.keys().length; k++) {
      out[n.keys()[k]] = n.values()[k];
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

  /** Adds the change of one input's cumulative row from {@code before} to {@code after}. */
  private static long[] addChange(long[] sum, long[] before, long[] after) {
    sum = grow(sum, after.length);
    for (int k = 0; k < after.length; k++) {
      if (after[k] >= 0) {
        long was = k < before.length ? Math.max(0, before[k]) : 0;
        sum[k] = Math.max(0, sum[k]) + after[k] - was;
      }
    }
    return sum;
  }

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

  private void writeWindow(long t, List<ObjectNode> grows, List<ObjectNode> releases)
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
        ObjectNode c = line("counters", t, s.id);
        numbers(c, s.counterSum);
        out.event(c);
      }
      if (s.anyGauge) {
        out.event(gaugeLine(s, t));
      }
      for (DeleteStack d : s.stacks.values()) {
        if (d.touched) {
          d.touched = false;
          ObjectNode line = d.line.deepCopy();
          line.put("t", t);
          line.put("site", s.id);
          numbers(line, d.sum);
          out.event(line);
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
    for (Map.Entry<String, HistogramSum> e : histograms.entrySet()) {
      HistogramSum h = e.getValue();
      if (h.sum.getTotalCount() == 0) {
        continue;
      }
      h.sum.setTag(e.getKey());
      h.sum.setStartTimeStamp(origin + Math.min(h.startMs, t));
      h.sum.setEndTimeStamp(origin + Math.min(h.endMs, t));
      out.histogram(h.sum);
      h.sum.reset();
      h.startMs = Long.MAX_VALUE;
      h.endMs = 0;
    }
    ObjectNode agent = line("agent", t, -1);
    numbers(agent, agentSum);
    agent.put("jvms", jvms);
    out.event(agent);
    out.endInterval();
    windowsWritten++;
    lastT = t;
  }

  private ObjectNode gaugeLine(MergedSite s, long t) {
    int size = 0;
    for (long[] g : s.gauges) {
      size = Math.max(size, g == null ? 0 : g.length);
    }
    long[] sum = new long[size];
    boolean[] has = new boolean[size];
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
      for (int k = 0; k < g.length; k++) {
        if (g[k] < 0) {
          continue;
        }
        String name = keys.name(k);
        if (GAUGE_MAX.contains(name)) {
          sum[k] = Math.max(sum[k], g[k]);
        } else if (here || GAUGE_CUMULATIVE.contains(name)) {
          sum[k] += g[k];
        }
        has[k] = true;
      }
    }
    ObjectNode line = line("gauge", t, s.id);
    for (int k : keys.sortedIndexes()) {
      if (k < size && has[k]) {
        line.put(keys.name(k), Math.min(sum[k], MAX_NUMBER));
      }
    }
    line.put("jvms", jvms);
    return line;
  }

  /** The format's largest number: a sum past it is kept at it. */
  private static final long MAX_NUMBER = 1L << 48;

  private static ObjectNode line(String type, long t, int site) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", type);
    n.put("t", t);
    if (site >= 0) {
      n.put("site", site);
    }
    return n;
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
