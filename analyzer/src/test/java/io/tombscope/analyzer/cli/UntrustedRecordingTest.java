package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.Recording;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.read.SiteRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording is written by the program it watched, and may be cut off, corrupted or crafted: no
 * number in it is shown as a fact unchecked, no string reaches the terminal raw, and an interval is
 * used whole or not at all.
 */
class UntrustedRecordingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUCKET = "io.tombscope.map.BucketHashMap";

  @TempDir Path tmp;

  /** One site over two intervals: 10 deletes, then 5 more. */
  private RecordingFixture twoIntervals(Path dir, String... rawLinesInSecond) {
    RecordingFixture f =
        new RecordingFixture(dir)
            .site(1, BUCKET, "com.acme.Cache.<init>(Cache.java:41)")
            .count(1, "mapsCreated", 1)
            .count(1, "deleteHits", 10);
    f.interval(1000, Map.of(1, new long[] {1, 100, 256, 10, 4000}));
    for (String line : rawLinesInSecond) {
      f.rawEvent(line);
    }
    f.count(1, "deleteHits", 5);
    f.interval(1000, Map.of(1, new long[] {1, 95, 256, 15, 4000}));
    return f;
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertEquals(0, run.exitCode(), run.err());
    return JSON.readTree(run.out());
  }

  @Test
  void impossibleNumbersAreSkippedWithAWarningNamingFileAndLineAndCounted() throws Exception {
    Path dir =
        twoIntervals(
                tmp.resolve("rec"),
                "{\"type\":\"counters\",\"t\":1500,\"site\":1,\"deleteHits\":10,\"deleteMisses\":-1}",
                "{\"type\":\"grow\",\"t\":1500,\"site\":1,\"cause\":\"load\","
                    + "\"durationNanos\":9223372036854775807}",
                "{\"type\":\"gauge\",\"t\":9223372036854775807,\"site\":1,\"size\":5}",
                "{\"type\":\"gauge\",\"t\":1500,\"site\":2147483648,\"size\":5}",
                "{\"type\":\"gauge\",\"t\":1500,\"site\":1,\"size\":1e300}")
            .end()
            .write();
    Path events = dir.resolve("events.jsonl");
    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    assertTrue(run.err().contains(events + ":4: \"deleteMisses\" is -1, not a count"), run.err());
    assertTrue(run.err().contains(events + ":5: \"durationNanos\" is 9223372036854775807"));
    assertTrue(run.err().contains(events + ":6: \"t\" is 9223372036854775807, not a time"));
    assertTrue(run.err().contains(events + ":7: \"site\" is 2147483648, not a site id"));
    assertTrue(run.err().contains(events + ":8: \"size\" is 1.0E300, not a whole number"));
    assertEquals(5, j.path("recording").path("skippedLines").asLong());
    assertEquals(15, j.path("totals").path("deleteHits").asLong());
    assertEquals(0, j.path("totals").path("deleteMisses").asLong());
    assertEquals(0, j.path("totals").path("growNanos").asLong());
    assertEquals(2000, j.path("recording").path("durationMs").asLong());
    assertEquals(1, j.path("sites").size(), "no site made up from an id out of range");

    CliRun text = CliRun.of("summary", dir.toString());
    assertTrue(text.out().contains("5 line(s) of the recording skipped"), text.out());
  }

  @Test
  void countersThatGoBackAreSkipped() throws Exception {
    Path dir =
        twoIntervals(
                tmp.resolve("rec"),
                "{\"type\":\"counters\",\"t\":1500,\"site\":1,\"mapsCreated\":1,\"deleteHits\":3}")
            .end()
            .write();
    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    assertTrue(run.err().contains("\"deleteHits\" goes back from 10 to 3"), run.err());
    assertEquals(15, j.path("totals").path("deleteHits").asLong());
    assertEquals(1, j.path("recording").path("skippedLines").asLong());
  }

  @Test
  void sumsStopAt2To48WithAWarningInsteadOfOverflowing() throws Exception {
    String grow =
        "{\"type\":\"grow\",\"t\":1500,\"site\":1,\"cause\":\"load\",\"durationNanos\":"
            + (1L << 48)
            + "}";
    Path dir = twoIntervals(tmp.resolve("rec"), grow, grow, grow).end().write();
    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    assertEquals(1L << 48, j.path("totals").path("growNanos").asLong());
    assertTrue(run.err().contains("pass 2^48; kept at 2^48"), run.err());
  }

  @Test
  void aPidOutOfRangeIsReadAsUnknown() throws Exception {
    Path dir =
        twoIntervals(tmp.resolve("rec")).writtenBy(1L << 40, RecordingFixture.START).end().write();
    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    assertTrue(run.err().contains("meta.json: \"pid\" is 1099511627776, not a process id"));
    assertEquals(0, j.path("recording").path("pid").asLong());
  }

  @Test
  void aHistogramHeaderNoAgentWritesIsSkipped() throws Exception {
    Path dir = twoIntervals(tmp.resolve("rec")).end().write();
    Histogram h = new Histogram(1L << 40, 1L << 50, 2);
    h.recordValue(1L << 41);
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    String base64 =
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    Path hlog = dir.resolve("histograms.hlog");
    Files.writeString(
        hlog, "Tag=deleteLatency/1,0.000,1.000,1.0," + base64 + "\n", StandardOpenOption.APPEND);
    long line = Files.readAllLines(hlog).size();
    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    assertTrue(
        run.err()
            .contains(hlog + ":" + line + ": histogram's lowest trackable value is 1099511627776"),
        run.err());
    assertFalse(j.path("latency").has("deleteLatency"), j.path("latency").toString());
    assertEquals(1, j.path("recording").path("skippedLines").asLong());
  }

  @Test
  void aHistogramThatDoesNotDecodeSaysSoAndWhere() throws Exception {
    RecordingFixture f = twoIntervals(tmp.resolve("rec"));
    f.histogram("deleteLatency", 1, 40, 10);
    f.interval(1000, Map.of(1, new long[] {1, 95, 256, 15, 4000}));
    Path dir = f.end().write();
    Path hlog = dir.resolve("histograms.hlog");
    List<String> lines = new ArrayList<>(Files.readAllLines(hlog));
    int target = lines.size() - 1;
    String garbage =
        Base64.getEncoder()
            .encodeToString(
                new byte[] {
                  0x1c, (byte) 0x84, (byte) 0x93, 0x14, 0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9
                });
    lines.set(target, lines.get(target).replaceFirst(",[^,]*$", "," + garbage));
    lines.add(lines.get(target - 1));
    Files.write(hlog, lines, StandardCharsets.UTF_8);
    CliRun run = CliRun.of("summary", dir.toString());
    assertEquals(2, run.exitCode(), run.err());
    assertEquals(
        "tombscope: "
            + hlog
            + ":"
            + (target + 1)
            + ": histogram does not decode (not deflate data)",
        run.err().strip());
  }

  @Test
  void aMetaJsonThatIsNotUtf8SaysSo() throws Exception {
    Path dir = twoIntervals(tmp.resolve("rec")).end().write();
    Path meta = dir.resolve("meta.json");
    byte[] bytes = Files.readAllBytes(meta);
    bytes[20] = (byte) 0xff;
    Files.write(meta, bytes);
    CliRun run = CliRun.of("summary", dir.toString());
    assertEquals(2, run.exitCode());
    assertEquals("tombscope: " + meta + ": not UTF-8", run.err().strip());
  }

  @Test
  void controlCharactersFromTheRecordingNeverReachTheTerminal() throws Exception {
    String escape = "\u001b]0;owned\u0007\u001b[2J";
    Path dir =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, BUCKET + escape, "com.acme." + escape + "Cache.<init>(Cache.java:41)")
            .count(1, "mapsCreated", 1)
            .count(1, "deleteHits", 10)
            .jvmArguments("-Dx=" + escape)
            .deleteSite(1, List.of("com.acme.Evict" + escape + ".run(E.java:1)"), 100, 0)
            .interval(1000, Map.of(1, new long[] {1, 100, 256, 10, 4000}))
            .end()
            .write();
    for (List<String> args :
        List.of(
            List.of("summary", dir.toString()),
            List.of("summary", dir.toString(), "--site", "1"),
            List.of("summary", dir.toString(), "--json"),
            List.of("diff", dir.toString(), dir.toString()))) {
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, run.exitCode(), run.err());
      assertFalse(run.out().contains("\u001b"), args + ": " + run.out());
      assertFalse(run.out().contains("\\u001B"), "not even escaped in JSON: " + run.out());
    }
    assertTrue(
        CliRun.of("summary", dir.toString(), "--site", "1")
            .out()
            .contains("com.acme.\uFFFD]0;owned"));

    Path events = dir.resolve("events.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(events));
    lines.set(0, "{\"type\":\u001b[31m}");
    Files.write(events, lines, StandardCharsets.UTF_8);
    CliRun broken = CliRun.of("summary", dir.toString());
    assertEquals(2, broken.exitCode());
    assertFalse(broken.err().contains("\u001b"), broken.err());
  }

  @Test
  void linesOfAnIntervalTheAgentDidNotFinishAreNotUsed() throws Exception {
    RecordingFixture f = twoIntervals(tmp.resolve("rec"));
    f.histogram("deleteLatency", 1, 40, 10);
    f.count(1, "deleteHits", 1000);
    f.interval(1000, Map.of(1, new long[] {1, 9, 256, 900, 4000}));
    Path dir = f.write();
    // Cut the last interval after its gauge, before its agent line: counters of the new interval
    // beside a gauge of the old one would mix two moments.
    Path events = dir.resolve("events.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(events));
    assertTrue(lines.get(lines.size() - 1).contains("\"agent\""));
    lines.remove(lines.size() - 1);
    Files.write(events, lines, StandardCharsets.UTF_8);

    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    assertEquals(15, j.path("totals").path("deleteHits").asLong(), "the last complete interval");
    assertEquals(15, j.path("totals").path("tombstonesLive").asLong());
    assertFalse(j.path("latency").has("deleteLatency"), "its histogram is not used either");
    assertEquals(2, j.path("recording").path("intervals").asLong());
    assertEquals(
        3, j.path("recording").path("skippedLines").asLong(), "counters, gauge, histogram");
    assertTrue(
        run.err().contains(events + ":7: 2 line(s) from here on are an interval the agent did not"),
        run.err());

    // The same lines followed by the end line: a normal shutdown wrote them all, and all count.
    Files.writeString(events, "{\"type\":\"end\",\"t\":3000}\n", StandardOpenOption.APPEND);
    JsonNode ended = json(CliRun.of("summary", dir.toString(), "--json"));
    assertEquals(1015, ended.path("totals").path("deleteHits").asLong());
    assertTrue(ended.path("latency").has("deleteLatency"));
  }

  /** Memory goes by sites and report points: a long recording keeps its peaks, not its length. */
  @Test
  void aLongRecordingIsDownsampledKeepingItsPeaks() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, BUCKET, "com.acme.Cache.<init>(Cache.java:41)")
            .count(1, "mapsCreated", 1);
    for (int i = 0; i < 5000; i++) {
      f.count(1, "deleteHits", 1);
      f.interval(1000, Map.of(1, new long[] {1, 100, 256, i == 2345 ? 77_777 : 10, 4000}));
    }
    Recording r = RecordingReader.read(f.end().write());
    assertEquals(5000, r.intervals());
    assertTrue(r.intervalTimes().length <= 1024, "points: " + r.intervalTimes().length);
    assertEquals(5_000_000, r.intervalTimes()[r.intervalTimes().length - 1]);
    SiteRecord s = r.sites().get(1);
    long peak = 0;
    for (int i = 0; i < s.tombstones.size(); i++) {
      peak = Math.max(peak, s.tombstones.get(i));
    }
    assertEquals(77_777, peak, "the spike of one interval survives");
    assertEquals(5000, s.deletes.last());
    assertEquals(r.intervalTimes().length, s.firstInterval + s.tombstones.size());
    var a = Analyzer.analyze(r);
    double timelinePeak = 0;
    for (double v : a.timeline().tombstones()) {
      timelinePeak = Math.max(timelinePeak, v);
    }
    assertEquals(77_777, timelinePeak);
    for (double rate : a.timeline().deletesPerSecond()) {
      assertTrue(rate >= 0 && rate <= 1.0 + 1e-9, "deletes per second: " + rate);
    }
  }

  /**
   * Every gauge at 2^48, the most a recording may hold: products such as tombstones × bytes per
   * slot or stale entries × bytes per entry would pass a {@code long}. Each figure of a site stays
   * at most 2^48, and no output holds a negative or overflowed number.
   */
  @Test
  void productsOfTheLargestNumbersARecordingHoldsDoNotOverflow() throws Exception {
    long max = 1L << 48;
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, BUCKET, "com.acme.Cache.<init>(Cache.java:41)")
            .jdkSite(2, "java.util.HashMap", "hashmap", 1, "com.acme.Index.<init>(Index.java:20)")
            .jdkSite(3, "java.util.WeakHashMap", "weak", 1, "com.acme.L.<init>(L.java:5)")
            .count(1, "mapsCreated", 1)
            .count(2, "mapsCreated", 1)
            .count(3, "mapsCreated", 1);
    for (int i = 0; i < 3; i++) {
      f.count(1, "deleteHits", max / 4).count(2, "deleteHits", max / 4);
      f.histogram("deleteLatency", 1, 3_000_000_000_000L, 1);
      f.histogram("deleteLatency", 2, 3_000_000_000_000L, 1);
      f.interval(
          1000,
          Map.of(
              1, new long[] {1, 1, 1, max, max, 0},
              2, new long[] {1, 1, max, 0, max, max},
              3, new long[] {1, 1, 1, max, max, 0}));
    }
    Path dir = f.end().write();
    CliRun run = CliRun.of("summary", dir.toString(), "--json");
    JsonNode j = json(run);
    List<String> bad = new ArrayList<>();
    numbers(
        j,
        "",
        (path, v) -> {
          if (v < 0 || v > 3 * max) {
            bad.add(path + "=" + v);
          }
        });
    assertEquals(List.of(), bad, "numbers out of range in summary --json");
    for (JsonNode site : j.path("sites")) {
      for (String key :
          List.of("reclaimableBytes", "wastePeakBytes", "deadSlotBytes", "staleBytes")) {
        if (site.has(key)) {
          assertTrue(site.get(key).asLong() <= max, key + " of " + site);
        }
      }
    }
    CliRun text = CliRun.of("summary", dir.toString());
    assertEquals(0, text.exitCode(), text.err());
    assertFalse(text.out().matches("(?s).*(^|[\\s(])(-|\u2212)\\d.*"), text.out());
    CliRun report = CliRun.of("report", dir.toString(), "-o", tmp.resolve("r.html").toString());
    assertEquals(0, report.exitCode(), report.err());
  }

  private interface NumberVisitor {
    void visit(String path, double value);
  }

  private static void numbers(JsonNode n, String path, NumberVisitor v) {
    if (n.isNumber()) {
      v.visit(path, n.asDouble());
    } else if (n.isContainerNode()) {
      var fields = n.fields();
      if (n.isArray()) {
        for (int i = 0; i < n.size(); i++) {
          numbers(n.get(i), path + "[" + i + "]", v);
        }
      }
      while (fields.hasNext()) {
        var e = fields.next();
        numbers(e.getValue(), path + "." + e.getKey(), v);
      }
    }
  }
}
