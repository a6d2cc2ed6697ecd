package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.format.Segments;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    Path rec = Files.createDirectories(tmp.resolve("rec"));
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
