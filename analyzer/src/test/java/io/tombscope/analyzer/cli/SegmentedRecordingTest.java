package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.format.Segments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format 2's segments, damaged on purpose: a corrupt segment costs that segment (from the damage
 * on) and one warning line, and the rest of the recording still reads; a segment without its gzip
 * trailer, as the agent leaves the one it was writing when it dies, reads to its last flush.
 */
class SegmentedRecordingTest {
  private static final Path FROZEN =
      FrozenRecordingsTest.RECORDINGS.resolve("format2-0.1.0-SNAPSHOT").resolve("rec");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path copy() throws IOException {
    return copyOfFrozen(tmp.resolve("rec"));
  }

  /** A copy of the frozen format 2 recording, in {@code rec}. */
  static Path copyOfFrozen(Path rec) throws IOException {
    Files.createDirectories(rec);
    try (var files = Files.list(FROZEN)) {
      for (Path f : files.toList()) {
        Files.copy(f, rec.resolve(f.getFileName()));
      }
    }
    return rec;
  }

  private static JsonNode totals(Path rec) throws IOException {
    CliRun run = CliRun.of("summary", "--json", rec.toString());
    assertEquals(0, run.exitCode(), run.err());
    return JSON.readTree(run.out()).path("totals");
  }

  @Test
  void theFrozenRecordingHasSegmentsToLose() throws IOException {
    assertTrue(Segments.list(FROZEN, Segments.EVENTS).size() >= 5);
    assertEquals("", CliRun.of("summary", FROZEN.toString()).err());
  }

  @Test
  void aSegmentThatIsNotGzipCostsThatSegmentAndOneLine() throws IOException {
    Path rec = copy();
    Path broken = Segments.list(rec, Segments.EVENTS).get(2);
    Files.writeString(broken, "not a segment at all\n");
    CliRun run = CliRun.of("summary", "--json", rec.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<String> warnings = run.err().strip().lines().toList();
    assertEquals(1, warnings.size(), run.err());
    assertTrue(warnings.get(0).contains(broken.toString()), run.err());
    assertTrue(warnings.get(0).contains("corrupt segment"), run.err());
    // Counters are cumulative and every segment starts whole: the totals survive the loss.
    assertEquals(totals(FROZEN).path("deletes"), totals(rec).path("deletes"));
  }

  @Test
  void aCorruptLineInTheMiddleOfASegmentCostsTheRestOfThatSegment() throws IOException {
    Path rec = copy();
    Path broken = Segments.list(rec, Segments.EVENTS).get(3);
    List<String> lines = text(broken).lines().toList();
    StringBuilder damaged = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      damaged.append(i == lines.size() / 2 ? "c 1 0 x,y" : lines.get(i)).append('\n');
    }
    gzip(broken, damaged.toString(), true);
    CliRun run = CliRun.of("summary", rec.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<String> warnings = run.err().strip().lines().toList();
    assertEquals(1, warnings.size(), run.err());
    assertTrue(warnings.get(0).contains(broken + ":" + (lines.size() / 2 + 1)), run.err());
    assertEquals(totals(FROZEN).path("deletes"), totals(rec).path("deletes"));
  }

  @Test
  void aLastSegmentWithoutItsTrailerReadsToItsLastFlush() throws IOException {
    Path rec = copy();
    List<Path> segments = Segments.list(rec, Segments.EVENTS);
    Path last = segments.get(segments.size() - 1);
    // What a kill leaves: the data of every flush, no end line, no gzip trailer.
    String kept = text(last).replace(endLine(text(last)), "");
    gzip(last, kept, false);
    CliRun run = CliRun.of("summary", "--json", rec.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    assertTrue(totals(rec).path("deletes").asLong() > 0);
  }

  @Test
  void aCrashReadsTheLastPeriodsHistogramsFromTheTail() throws Exception {
    Path rec = crashedWithTail("");
    String warning = onlyWarning(rec);
    assertTrue(warning.contains(Segments.HISTOGRAM_TAIL), warning);
    assertTrue(warning.contains("without the histograms of its last period"), warning);
    assertEquals(seriesCounts(FROZEN), seriesCounts(rec));
  }

  @Test
  void aTailLineCutShortLeavesThatTagsLineBefore() throws Exception {
    Path rec = crashedWithTail("");
    Path tail = rec.resolve(Segments.HISTOGRAM_TAIL);
    String last = Files.readString(tail).strip().lines().reduce((a, b) -> b).orElseThrow();
    // A later line of the same tag with twice the counts, cut off before its end by the kill.
    Files.writeString(
        tail, last.substring(0, last.length() / 2), java.nio.file.StandardOpenOption.APPEND);
    assertEquals(seriesCounts(FROZEN), seriesCounts(rec));
  }

  @Test
  void aCorruptTailCostsTheTailAndOneLine() throws Exception {
    Path rec = crashedWithTail("Tag=deleteLatency/1,1.000,0.250,0.0,HISTFAAAAnot-a-histogram\n");
    String warning = onlyWarning(rec);
    assertTrue(warning.contains("corrupt histogram tail"), warning);
    Map<String, Long> withTail = seriesCounts(FROZEN);
    Map<String, Long> without = seriesCounts(rec);
    assertEquals(withTail.keySet(), without.keySet());
    long lost = 0;
    for (String series : withTail.keySet()) {
      assertTrue(without.get(series) <= withTail.get(series), series);
      lost += withTail.get(series) - without.get(series);
    }
    assertTrue(lost > 0, "the tail held histograms");
    assertEquals(totals(FROZEN).path("deletes"), totals(rec).path("deletes"));
  }

  @Test
  void aTailThatTheLogAlreadyHoldsIsNotUsed() throws Exception {
    Path rec = copy();
    // Left by a kill after the period's histograms went into the segment, before the agent
    // emptied the tail: the log holds that period, so its lines are not counted twice.
    Files.writeString(rec.resolve(Segments.HISTOGRAM_TAIL), lastPeriod(rec).tail());
    CliRun run = CliRun.of("summary", "--json", rec.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
    assertEquals(seriesCounts(FROZEN), seriesCounts(rec));
  }

  /** The one warning line that {@code summary --json} of {@code rec} prints, which succeeds. */
  private static String onlyWarning(Path rec) {
    CliRun run = CliRun.of("summary", "--json", rec.toString());
    assertEquals(0, run.exitCode(), run.err());
    List<String> warnings = run.err().strip().lines().toList();
    assertEquals(1, warnings.size(), run.err());
    return warnings.get(0);
  }

  /** The last period's histogram lines of a recording's last segment, and the rest of it. */
  private record Period(Path file, String kept, String tail) {}

  private static Period lastPeriod(Path rec) throws IOException {
    List<Path> logs = Segments.list(rec, Segments.HISTOGRAMS);
    Path last = logs.get(logs.size() - 1);
    List<String> lines = text(last).lines().toList();
    String lastEnd = null;
    for (String l : lines) {
      if (l.startsWith("Tag=")) {
        lastEnd = ends(l);
      }
    }
    StringBuilder kept = new StringBuilder();
    StringBuilder tail = new StringBuilder();
    for (String l : lines) {
      boolean header = !l.startsWith("Tag=");
      if (header) {
        tail.append(l).append('\n');
      }
      (header || !ends(l).equals(lastEnd) ? kept : tail).append(l).append('\n');
    }
    return new Period(last, kept.toString(), tail.toString());
  }

  /** Where a histogram line's interval ends, as written: start plus length, in ms. */
  private static String ends(String line) {
    String[] f = line.split(",");
    return Long.toString(Math.round((Double.parseDouble(f[1]) + Double.parseDouble(f[2])) * 1000));
  }

  private Path crashedWithTail(String extra) throws IOException {
    return crashedWithTail(copy(), extra);
  }

  /**
   * {@code rec}, a copy of a format 2 recording, made what a kill after its last interval leaves
   * when the last period's histograms are only in the tail: the segment without them or its
   * trailer, the events without {@code end}; {@code extra} goes in the middle of the tail.
   */
  static Path crashedWithTail(Path rec, String extra) throws IOException {
    Period period = lastPeriod(rec);
    gzip(period.file(), period.kept(), false);
    List<Path> events = Segments.list(rec, Segments.EVENTS);
    Path lastEvents = events.get(events.size() - 1);
    gzip(lastEvents, text(lastEvents).replace(endLine(text(lastEvents)), ""), false);
    List<String> tail = period.tail().lines().toList();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tail.size(); i++) {
      text.append(i == tail.size() - 2 ? extra : "").append(tail.get(i)).append('\n');
    }
    Files.writeString(rec.resolve(Segments.HISTOGRAM_TAIL), text);
    return rec;
  }

  /** Each histogram series' count over all sites. */
  private static Map<String, Long> seriesCounts(Path rec) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    RecordingReader.read(rec)
        .seriesTotals()
        .forEach((series, h) -> counts.put(series, h.getTotalCount()));
    return counts;
  }

  private static String endLine(String text) {
    return text.lines().filter(l -> l.contains("\"type\":\"end\"")).findFirst().orElseThrow()
        + "\n";
  }

  private static String text(Path segment) throws IOException {
    try (InputStream in = Segments.open(segment)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void gzip(Path file, String text, boolean finish) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    GZIPOutputStream out = new GZIPOutputStream(bytes, true);
    out.write(text.getBytes(StandardCharsets.UTF_8));
    if (finish) {
      out.close();
    } else {
      out.flush();
    }
    Files.write(file, bytes.toByteArray());
  }
}
