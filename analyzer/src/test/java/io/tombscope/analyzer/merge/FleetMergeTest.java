package io.tombscope.analyzer.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tombscope.analyzer.cli.CliRun;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.IntervalReader;
import io.tombscope.analyzer.read.ReadListener;
import io.tombscope.analyzer.read.RecordingException;
import io.tombscope.format.Segments;
import io.tombscope.testing.SeededCases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge's properties, on seeded random recordings of a few sites each. */
class FleetMergeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Frames that several JVMs share, so their sites meet in the merge under different ids. */
  private static final String[][] FRAMES = {
    {"com.acme.Cache.<init>(Cache.java:10)", "com.acme.Main.main(Main.java:5)"},
    {"com.acme.Index.load(Index.java:57)"},
    {"com.acme.Sessions.<init>(Sessions.java:22)", "com.acme.Api.start(Api.java:9)"},
    {"com.acme.Queue.<init>(Queue.java:3)"},
  };

  @TempDir Path tmp;

  @Test
  void mergingOneRecordingGivesItself() {
    SeededCases.check(
        12,
        random -> {
          Path dir = Files.createTempDirectory(tmp, "case");
          Path rec = generate(random, dir.resolve("rec"), 0, 1000);
          Path merged = dir.resolve("merged");
          FleetMerge.merge(List.of(rec), merged, ReadListener.NONE);
          assertEquals(normalized(summary(rec)), normalized(summary(merged)));
          // Written as the agent writes: format 2, compressed segments.
          assertEquals(
              2, JSON.readTree(merged.resolve("meta.json").toFile()).path("format").asInt());
          assertTrue(Files.exists(merged.resolve(Segments.name(Segments.EVENTS, 0))));
          assertFalse(Files.exists(merged.resolve("events.jsonl")));
        });
  }

  @Test
  void mergingCopiesMultipliesTheCounts() {
    SeededCases.check(
        8,
        random -> {
          Path dir = Files.createTempDirectory(tmp, "case");
          Path rec = generate(random, dir.resolve("rec"), 0, 1000);
          int copies = 2 + random.nextInt(4);
          List<Path> inputs = new ArrayList<>();
          for (int i = 0; i < copies; i++) {
            Path copy = dir.resolve("copy" + i);
            copyTree(rec, copy);
            inputs.add(copy);
          }
          Path merged = dir.resolve("merged");
          FleetMerge.merge(inputs, merged, ReadListener.NONE);
          JsonNode one = summary(rec);
          JsonNode all = summary(merged);
          for (String key :
              List.of(
                  "deletes",
                  "deleteHits",
                  "deleteMisses",
                  "grows",
                  "evacuatedBuckets",
                  "tombstonesReclaimed",
                  "estimatedBytes",
                  "mapsTracked")) {
            assertEquals(
                copies * one.path("totals").path(key).asLong(),
                all.path("totals").path(key).asLong(),
                "totals." + key + " of " + copies + " copies");
          }
          one.path("latency")
              .fields()
              .forEachRemaining(
                  e ->
                      assertEquals(
                          copies * e.getValue().path("count").asLong(),
                          all.path("latency").path(e.getKey()).path("count").asLong(),
                          "latency." + e.getKey() + ".count"));
          assertEquals(one.path("sites").size(), all.path("sites").size());
          assertEquals(
              copies * hdrTotalCount(rec), hdrTotalCount(merged), "HdrHistogram reads the merge");
          assertEquals(
              List.of((long) copies),
              agentJvms(merged).stream().distinct().toList(),
              "every window holds every copy");
        });
  }

  /** The agent's own format 2 (segments, compact lines) merges as format 1 does. */
  @Test
  void anAgentsSegmentedRecordingMergesWithItself() throws Exception {
    Path rec = tmp.resolve("format2");
    copyTree(Path.of("src/test/resources/recordings/format2-0.1.0-SNAPSHOT/rec"), rec);
    Path copy = tmp.resolve("format2-copy");
    copyTree(rec, copy);
    Path one = tmp.resolve("one");
    FleetMerge.merge(List.of(rec), one, ReadListener.NONE);
    JsonNode own = summary(rec);
    JsonNode mergedOne = summary(one);
    Path two = tmp.resolve("two");
    FleetMerge.merge(List.of(rec, copy), two, ReadListener.NONE);
    JsonNode both = summary(two);
    assertTrue(own.path("totals").path("deletes").asLong() > 0, "the frozen recording deletes");
    for (String key : List.of("deletes", "deleteHits", "deleteMisses", "grows", "mapsTracked")) {
      long n = own.path("totals").path(key).asLong();
      assertEquals(n, mergedOne.path("totals").path(key).asLong(), "totals." + key + " of one");
      assertEquals(2 * n, both.path("totals").path(key).asLong(), "totals." + key + " of two");
    }
    own.path("latency")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    2 * e.getValue().path("count").asLong(),
                    both.path("latency").path(e.getKey()).path("count").asLong(),
                    "latency." + e.getKey() + ".count"));
    assertEquals(own.path("sites").size(), both.path("sites").size());
    // Every segment of the merge reads on its own: its first window restates the counters.
    List<Path> segments = Segments.list(two, Segments.EVENTS);
    assertTrue(segments.size() > 2, "the merge keeps the inputs' segments: " + segments);
    long deletes = both.path("totals").path("deletes").asLong();
    for (int k = 1; k < segments.size(); k++) {
      Path from = tmp.resolve("from-" + k);
      copyTree(two, from);
      for (int j = 0; j < k; j++) {
        String events = segments.get(j).getFileName().toString();
        Files.delete(from.resolve(events));
        Files.delete(
            from.resolve(events.replace("events-", "histograms-").replace(".jsonl", ".hlog")));
      }
      assertEquals(deletes, summary(from).path("totals").path("deletes").asLong(), "from " + k);
    }
  }

  @Test
  void inputOrderDoesNotMatter() {
    SeededCases.check(
        8,
        random -> {
          Path dir = Files.createTempDirectory(tmp, "case");
          int n = 2 + random.nextInt(3);
          List<Path> inputs = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            inputs.add(
                generate(
                    random,
                    dir.resolve("jvm" + i),
                    random.nextInt(5_000),
                    random.nextBoolean() ? 1000 : 2000));
          }
          Path first = dir.resolve("first");
          FleetMerge.merge(inputs, first, ReadListener.NONE);
          List<Path> shuffled = new ArrayList<>(inputs);
          Collections.shuffle(shuffled, random);
          Path second = dir.resolve("second");
          FleetMerge.merge(shuffled, second, ReadListener.NONE);
          assertEquals(fileNames(first), fileNames(second));
          for (String file : fileNames(first)) {
            assertEquals(text(first.resolve(file)), text(second.resolve(file)), file);
          }
          JsonNode merged = summary(first);
          long deletes = 0;
          for (Path in : inputs) {
            deletes += summary(in).path("totals").path("deletes").asLong();
          }
          assertEquals(deletes, merged.path("totals").path("deletes").asLong());
        });
  }

  @Test
  void aJvmThatStopsIsCountedOutNotReadAsARecovery() throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    RecordingFixture fa = new RecordingFixture(a).writtenBy(1, RecordingFixture.START);
    RecordingFixture fb = new RecordingFixture(b).writtenBy(2, RecordingFixture.START);
    fa.site(1, "io.tombscope.map.BucketHashMap", FRAMES[0]);
    fb.site(7, "io.tombscope.map.BucketHashMap", FRAMES[0]);
    for (int i = 0; i < 10; i++) {
      fa.count(1, "deleteHits", 10).interval(1000, Map.of(1, new long[] {1, 100, 256, 40, 4096}));
      if (i < 5) {
        fb.count(7, "deleteHits", 10).interval(1000, Map.of(7, new long[] {1, 100, 256, 60, 4096}));
      }
    }
    fa.end().write();
    fb.write();
    Path merged = tmp.resolve("merged");
    FleetMerge.merge(List.of(b, a), merged, ReadListener.NONE);
    assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 1L, 1L, 1L, 1L, 1L), agentJvms(merged));
    assertEquals(
        List.of(100L, 100L, 100L, 100L, 100L, 40L, 40L, 40L, 40L, 40L),
        gaugePerWindow(merged, "tombstones"));
    assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 1L, 1L, 1L, 1L, 1L), gaugePerWindow(merged, "jvms"));
    JsonNode summary = summary(merged);
    assertEquals(150, summary.path("totals").path("deleteHits").asLong());
    assertTrue(
        Files.readString(merged.resolve("fleet.jsonl")).contains("\"source\":\"" + b + "\""));
  }

  // --- generating and comparing ---

  /**
   * A recording of 1 to 4 sites (drawn from shared frames under ids of its own) over 3 to 30
   * intervals: counters, gauges, histograms, grows, delete call sites, maybe a release and an end.
   */
  static Path generate(Random random, Path dir, long startOffsetMs, long intervalMs) {
    RecordingFixture f =
        new RecordingFixture(dir)
            .writtenBy(100 + random.nextInt(1000), RecordingFixture.START + startOffsetMs);
    int sites = 1 + random.nextInt(FRAMES.length);
    List<Integer> frameOrder = new ArrayList<>(List.of(0, 1, 2, 3));
    Collections.shuffle(frameOrder, random);
    Map<Integer, Integer> ids = new LinkedHashMap<>();
    for (int s = 0; s < sites; s++) {
      int id = 3 + random.nextInt(50) * FRAMES.length + s;
      ids.put(id, frameOrder.get(s));
      f.site(id, "io.tombscope.map.BucketHashMap", FRAMES[frameOrder.get(s)]);
    }
    Map<Integer, long[]> deleteSites = new HashMap<>();
    int intervals = 3 + random.nextInt(28);
    for (int i = 0; i < intervals; i++) {
      Map<Integer, long[]> gauges = new HashMap<>();
      for (int id : ids.keySet()) {
        if (random.nextInt(4) == 0) {
          continue;
        }
        long hits = random.nextInt(1000);
        long misses = random.nextInt(50);
        f.count(id, "deleteHits", hits).count(id, "deleteMisses", misses);
        f.count(id, "tombstonesCreated", hits);
        if (random.nextInt(5) == 0) {
          f.count(id, "growsOverflow", 1).count(id, "evacuatedBuckets", 16);
          f.count(id, "tombstonesReclaimedByEvacuation", 7);
          f.grow(id, "overflow", 1000 + random.nextInt(100_000));
        }
        if (hits > 0) {
          f.histogram("deleteProbe.hit", id, 1 + random.nextInt(30), hits);
        }
        if (random.nextBoolean()) {
          f.histogram("deleteLatency", id, 20 + random.nextInt(5000), 1 + random.nextInt(20));
        }
        long[] d = deleteSites.computeIfAbsent(id, k -> new long[2]);
        d[0] += hits + misses;
        d[1] += misses;
        f.deleteSite(id, "com.acme.Evict.run(Evict.java:" + (id % 3) + ")", d[0], d[1]);
        long maps = 1 + random.nextInt(4);
        long size = random.nextInt(1000);
        gauges.put(
            id,
            new long[] {maps, size, 1024 * maps, random.nextInt(300), 8192 * maps, 4096 * maps});
      }
      f.interval(intervalMs, gauges);
    }
    if (random.nextBoolean()) {
      f.release(1_000_000, 600_000, 50_000, 20_000);
    }
    if (random.nextBoolean()) {
      f.end();
    }
    return f.write();
  }

  static JsonNode summary(Path rec) throws IOException {
    CliRun run = CliRun.of("summary", rec.toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    return JSON.readTree(run.out());
  }

  /**
   * The summary without what names the recording rather than its content (directory, pid), with
   * site ids replaced by the sites' frames, and its arrays of sites in one order.
   */
  static String normalized(JsonNode summary) {
    ObjectNode s = summary.deepCopy();
    ObjectNode recording = (ObjectNode) s.path("recording");
    recording.remove("directory");
    recording.remove("pid");
    Map<Long, String> keys = new HashMap<>();
    for (JsonNode site : s.path("sites")) {
      keys.put(site.path("id").asLong(), site.path("mapClass") + " " + site.path("allocationSite"));
    }
    for (JsonNode site : s.path("sites")) {
      ((ObjectNode) site).put("id", keys.get(site.path("id").asLong()));
    }
    for (JsonNode d : s.path("deleteSites")) {
      ArrayNode ids = (ArrayNode) d.path("sites");
      List<String> named = new ArrayList<>();
      ids.forEach(id -> named.add(keys.get(id.asLong())));
      Collections.sort(named);
      ids.removeAll();
      named.forEach(ids::add);
    }
    for (JsonNode finding : s.path("findings")) {
      if (finding.has("site") && keys.containsKey(finding.path("site").asLong())) {
        ((ObjectNode) finding).set("site", new TextNode(keys.get(finding.path("site").asLong())));
      }
    }
    for (String array : List.of("sites", "deleteSites", "findings")) {
      if (s.path(array).isArray()) {
        List<String> items = new ArrayList<>();
        s.path(array).forEach(i -> items.add(i.toString()));
        Collections.sort(items);
        ArrayNode sorted = s.putArray(array);
        for (String i : items) {
          try {
            sorted.add(JSON.readTree(i));
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
    return s.toPrettyString();
  }

  /**
   * Values in the histogram logs (format 1's file, or every segment of format 2 decompressed), as
   * HdrHistogram's own log reader reads them.
   */
  static long hdrTotalCount(Path rec) throws IOException {
    List<Path> logs =
        Files.exists(rec.resolve("histograms.hlog"))
            ? List.of(rec.resolve("histograms.hlog"))
            : Segments.list(rec, Segments.HISTOGRAMS);
    long total = 0;
    for (Path log : logs) {
      try (InputStream in = Segments.open(log)) {
        HistogramLogReader reader = new HistogramLogReader(in);
        for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
          total += ((Histogram) h).getTotalCount();
        }
      }
    }
    return total;
  }

  /** The names of a recording's files, in order. */
  static List<String> fileNames(Path rec) throws IOException {
    try (var files = Files.list(rec)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** A file's text: a segment's decompressed. */
  static String text(Path file) throws IOException {
    try (InputStream in = Segments.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every window's interval, in order, as the merge's reader reads it. */
  static List<IntervalReader.Interval> intervals(Path rec) throws RecordingException {
    List<IntervalReader.Interval> all = new ArrayList<>();
    try (IntervalReader in = IntervalReader.open(rec, ReadListener.NONE)) {
      for (IntervalReader.Interval i; (i = in.next()) != null; ) {
        all.add(i);
      }
      assertEquals(List.of(), in.warnings(), "the merge reads without a warning");
    }
    return all;
  }

  static List<Long> agentJvms(Path rec) throws RecordingException {
    List<Long> jvms = new ArrayList<>();
    for (IntervalReader.Interval i : intervals(rec)) {
      if (i.agent() != null) {
        jvms.add(i.agent().node().path("jvms").asLong());
      }
    }
    return jvms;
  }

  /**
   * A key of the gauge of the recording's one site in every window: format 2 writes a gauge line
   * only when it changed, and it holds until the next.
   */
  static List<Long> gaugePerWindow(Path rec, String key) throws RecordingException {
    List<Long> values = new ArrayList<>();
    long held = -1;
    for (IntervalReader.Interval i : intervals(rec)) {
      for (IntervalReader.Compact c : i.compact()) {
        if (c.type().equals("gauge")) {
          held = c.values()[c.keys().indexOf(key)];
        }
      }
      if (i.agent() != null) {
        values.add(held);
      }
    }
    return values;
  }

  static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
