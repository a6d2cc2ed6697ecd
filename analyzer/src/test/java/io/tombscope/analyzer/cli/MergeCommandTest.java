package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.format.Segments;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tombscope merge} and the commands that merge on the fly, as a user runs them. */
class MergeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path recording(String name, long pid) {
    return RecordingFixture.threeSites(tmp.resolve(name))
        .writtenBy(pid, RecordingFixture.START + pid)
        .write();
  }

  private static void assertOneLineError(CliRun run, String... parts) {
    assertEquals(2, run.exitCode(), run.err());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    for (String p : parts) {
      assertTrue(err.contains(p), "'" + p + "' not in: " + err);
    }
    assertFalse(err.contains("\tat "), err);
  }

  @Test
  void mergesAndEveryCommandReadsTheResult() throws Exception {
    Path a = recording("a", 11);
    Path b = recording("b", 12);
    Path fleet = tmp.resolve("fleet");
    CliRun merge = CliRun.of("merge", a.toString(), b.toString(), "-o", fleet.toString());
    assertEquals(0, merge.exitCode(), merge.err());
    assertTrue(merge.out().contains("merged 2 recordings"), merge.out());
    JsonNode one = JSON.readTree(CliRun.of("summary", a.toString(), "--json").out());
    CliRun summary = CliRun.of("summary", fleet.toString(), "--json");
    assertEquals(0, summary.exitCode(), summary.err());
    JsonNode merged = JSON.readTree(summary.out());
    assertEquals(
        2 * one.path("totals").path("deletes").asLong(),
        merged.path("totals").path("deletes").asLong());
    assertEquals(0, CliRun.of("summary", fleet.toString()).exitCode());
    CliRun report = CliRun.of("report", fleet.toString(), "-o", tmp.resolve("r.html").toString());
    assertEquals(0, report.exitCode(), report.err());
    assertEquals(0, CliRun.of("diff", a.toString(), fleet.toString()).exitCode());
  }

  @Test
  void summaryReportAndDiffMergeSeveralRecordingsOrADirectoryOfThem() throws Exception {
    recording("fleet/a", 11);
    recording("fleet/b", 12);
    recording("fleet/c", 13);
    Path dir = tmp.resolve("fleet");
    Path merged = tmp.resolve("merged");
    assertEquals(0, CliRun.of("merge", dir.toString(), "-o", merged.toString()).exitCode());
    String expected = CliRun.of("summary", merged.toString(), "--json").out();
    JsonNode fromDirectory = JSON.readTree(CliRun.of("summary", dir.toString(), "--json").out());
    JsonNode fromList =
        JSON.readTree(
            CliRun.of(
                    "summary",
                    dir.resolve("c").toString(),
                    dir.resolve("a").toString(),
                    dir.resolve("b").toString(),
                    "--json")
                .out());
    JsonNode want = JSON.readTree(expected);
    assertEquals(want.path("totals"), fromDirectory.path("totals"));
    assertEquals(want.path("totals"), fromList.path("totals"));
    assertEquals(want.path("sites"), fromList.path("sites"));
    CliRun report = CliRun.of("report", dir.toString(), "-o", tmp.resolve("r.html").toString());
    assertEquals(0, report.exitCode(), report.err());
    CliRun diff =
        CliRun.of("diff", "--json", dir.resolve("a") + "," + dir.resolve("b"), dir.toString());
    assertEquals(0, diff.exitCode(), diff.err());
  }

  @Test
  void refusesAnOutputThatExistsAndLeavesItAlone() throws Exception {
    Path a = recording("a", 11);
    Path taken = Files.createDirectories(tmp.resolve("taken"));
    Path mine = Files.writeString(taken.resolve("notes.txt"), "mine");
    assertOneLineError(
        CliRun.of("merge", a.toString(), "-o", taken.toString()), "taken", "not an empty");
    assertEquals("mine", Files.readString(mine));
    assertEquals(List.of(mine), Files.list(taken).toList());
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertOneLineError(CliRun.of("merge", a.toString(), "-o", file.toString()), "file");
    assertEquals("x", Files.readString(file));
  }

  @Test
  void aBadInputNamesFileAndLineAndLeavesNoOutput() throws Exception {
    Path a = recording("a", 11);
    Path b = recording("b", 12);
    List<String> lines = Files.readAllLines(b.resolve("events.jsonl"));
    lines.set(2, "{not json");
    Files.write(b.resolve("events.jsonl"), lines);
    Path out = tmp.resolve("out");
    assertOneLineError(
        CliRun.of("merge", a.toString(), b.toString(), "-o", out.toString()),
        b.resolve("events.jsonl") + ":3:");
    assertFalse(Files.exists(out), "a failed merge deletes what it wrote");
    assertOneLineError(
        CliRun.of("merge", a.toString(), tmp.resolve("nope").toString(), "-o", out.toString()),
        "nope");
  }

  /** Two copies of the agent's frozen format 2 recording, of many segments. */
  private List<Path> twoAgentRecordings() throws IOException {
    Path frozen = FrozenRecordingsTest.RECORDINGS.resolve("format2-0.1.0-SNAPSHOT").resolve("rec");
    List<Path> copies = new java.util.ArrayList<>();
    for (String name : List.of("a", "b")) {
      Path rec = Files.createDirectories(tmp.resolve(name));
      try (var files = Files.list(frozen)) {
        for (Path f : files.toList()) {
          Files.copy(f, rec.resolve(f.getFileName()));
        }
      }
      copies.add(rec);
    }
    return copies;
  }

  private JsonNode mergedTotals(List<Path> inputs, String name, String... warnings)
      throws IOException {
    Path out = tmp.resolve(name);
    List<String> args = new java.util.ArrayList<>(List.of("merge"));
    inputs.forEach(p -> args.add(p.toString()));
    args.addAll(List.of("-o", out.toString()));
    CliRun merge = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, merge.exitCode(), merge.err());
    List<String> lines = merge.err().strip().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(warnings.length, lines.size(), merge.err());
    for (String w : warnings) {
      assertTrue(
          lines.stream().anyMatch(l -> l.contains(w) && l.contains("corrupt segment")),
          "'" + w + "' not in: " + merge.err());
    }
    CliRun summary = CliRun.of("summary", out.toString(), "--json");
    assertEquals(0, summary.exitCode(), summary.err());
    return JSON.readTree(summary.out()).path("totals");
  }

  @Test
  void aSegmentOfAnInputThatIsNotGzipCostsThatSegmentAndOneLine() throws Exception {
    List<Path> inputs = twoAgentRecordings();
    JsonNode intact = mergedTotals(inputs, "intact");
    assertTrue(intact.path("deletes").asLong() > 0, "the frozen recording deletes");
    Path events = Segments.list(inputs.get(1), Segments.EVENTS).get(14);
    Files.writeString(events, "not a segment at all\n");
    Path histograms = Segments.list(inputs.get(1), Segments.HISTOGRAMS).get(13);
    Files.writeString(histograms, "nor this one\n");
    // Counters are cumulative and every segment starts whole: the totals survive the loss.
    JsonNode damaged = mergedTotals(inputs, "damaged", events.toString(), histograms.toString());
    assertEquals(intact.path("deletes"), damaged.path("deletes"));
    assertEquals(intact.path("deleteHits"), damaged.path("deleteHits"));
  }

  @Test
  void aCorruptLineInASegmentOfAnInputCostsTheRestOfThatSegment() throws Exception {
    List<Path> inputs = twoAgentRecordings();
    JsonNode intact = mergedTotals(inputs, "intact");
    Path broken = Segments.list(inputs.get(0), Segments.EVENTS).get(20);
    List<String> lines;
    try (InputStream in = Segments.open(broken)) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    StringBuilder damaged = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      damaged.append(i == lines.size() / 2 ? "c 1 0 x,y" : lines.get(i)).append('\n');
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(broken))) {
      out.write(damaged.toString().getBytes(StandardCharsets.UTF_8));
    }
    JsonNode totals = mergedTotals(inputs, "damaged", broken + ":" + (lines.size() / 2 + 1) + ":");
    assertEquals(intact.path("deletes"), totals.path("deletes"));
  }

  @Test
  void anInputCutShortMergesUpToItsLastWholeInterval() throws Exception {
    List<Path> inputs = twoAgentRecordings();
    List<Path> segments = Segments.list(inputs.get(1), Segments.EVENTS);
    Path last = segments.get(segments.size() - 1);
    String text;
    try (InputStream in = Segments.open(last)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // What a kill leaves: an interval half written, no end line, no gzip trailer.
    String cut = text.substring(0, text.lastIndexOf("{\"type\":\"agent\""));
    GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(last), true);
    out.write(cut.getBytes(StandardCharsets.UTF_8));
    out.flush();
    Path merged = tmp.resolve("merged");
    CliRun merge =
        CliRun.of("merge", inputs.get(0).toString(), inputs.get(1).toString(), "-o", merged + "");
    out.close();
    assertEquals(0, merge.exitCode(), merge.err());
    assertTrue(merge.err().contains(last + ":"), merge.err());
    assertTrue(merge.err().contains("did not finish writing"), merge.err());
    CliRun summary = CliRun.of("summary", merged.toString(), "--json");
    assertEquals(0, summary.exitCode(), summary.err());
    assertFalse(JSON.readTree(summary.out()).path("recording").path("ended").asBoolean(true));
  }

  @Test
  void aCrashedInputMergesTheLastPeriodsHistogramsFromItsTail() throws Exception {
    Path rec =
        SegmentedRecordingTest.crashedWithTail(
            SegmentedRecordingTest.copyOfFrozen(tmp.resolve("crashed")), "");
    Path merged = tmp.resolve("merged");
    CliRun merge = CliRun.of("merge", rec.toString(), "-o", merged.toString());
    assertEquals(0, merge.exitCode(), merge.err());
    JsonNode own = latency(rec);
    JsonNode fleet = latency(merged);
    List<String> series = own.properties().stream().map(e -> e.getKey()).toList();
    assertFalse(series.isEmpty(), own.toString());
    assertEquals(series, fleet.properties().stream().map(e -> e.getKey()).toList());
    for (String s : series) {
      assertTrue(own.path(s).path("count").asLong() > 0, s);
      assertEquals(own.path(s).path("count"), fleet.path(s).path("count"), s);
    }
    assertTrue(merge.err().contains(rec.resolve(Segments.HISTOGRAM_TAIL).toString()), merge.err());
    assertTrue(merge.err().contains("without the histograms of its last period"), merge.err());
  }

  /** The {@code latency} of {@code summary --json} of {@code rec}. */
  private static JsonNode latency(Path rec) throws IOException {
    CliRun run = CliRun.of("summary", rec.toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    return JSON.readTree(run.out()).path("latency");
  }

  @Test
  void theReportOfAMergeNamesTheWorstJvmPerSiteAndTheOnesThatStandOut() throws Exception {
    Path dir = tmp.resolve("fleet");
    long[] deletesPerInterval = {100, 120, 110, 900};
    long[] bytes = {8192, 8192, 65536, 8192};
    for (int j = 0; j < deletesPerInterval.length; j++) {
      RecordingFixture f =
          new RecordingFixture(dir.resolve("jvm-" + j)).writtenBy(50 + j, RecordingFixture.START);
      f.site(1 + j, "io.tombscope.map.BucketHashMap", "com.acme.Cache.<init>(Cache.java:10)");
      for (int i = 0; i < 5; i++) {
        f.count(1 + j, "deleteHits", deletesPerInterval[j])
            .interval(1000, java.util.Map.of(1 + j, new long[] {1, 100, 1024, 10, bytes[j]}));
      }
      f.end().write();
    }
    Path html = tmp.resolve("r.html");
    CliRun report = CliRun.of("report", dir.toString(), "-o", html.toString());
    assertEquals(0, report.exitCode(), report.err());
    String text = Files.readString(html);
    assertTrue(text.contains("Spread across 4 JVMs"), "spread table");
    // 4,500 deletes against the median JVM's 550.
    int at = Math.max(0, text.indexOf("stand out"));
    assertTrue(
        text.contains("jvm-3 (pid 53): 8.2× the median JVM"),
        text.substring(at, Math.min(text.length(), at + 600)));
    assertTrue(text.contains("jvm-2 (pid 52): 8.0× its map memory at the peak"), "by memory");
    assertFalse(text.contains("jvm-0 (pid 50):"), "an ordinary JVM does not stand out");
  }

  @Test
  void helpSaysWhatItDoes() {
    CliRun help = CliRun.of("merge", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("-o, --output=FLEET"), help.out());
    assertTrue(help.out().contains("absolute time"), help.out());
  }
}
