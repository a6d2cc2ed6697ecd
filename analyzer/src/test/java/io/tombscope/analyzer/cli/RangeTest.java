package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.format.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --from} and {@code --to}: a recording read in two ranges that meet adds up to the whole
 * (counters, grows, histograms), segments before the one a range starts from are not read, and a
 * bad time is one line naming the option and its value.
 */
class RangeTest {
  private static final Path FROZEN =
      FrozenRecordingsTest.RECORDINGS.resolve("format2-0.1.0-SNAPSHOT").resolve("rec");
  private static final Path FORMAT1 =
      FrozenRecordingsTest.RECORDINGS.resolve("format1-0.1.0-SNAPSHOT").resolve("rec");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TOTALS =
      List.of(
          "deletes",
          "deleteHits",
          "deleteMisses",
          "tombstonesReclaimed",
          "grows",
          "sameSizeGrows",
          "evacuatedBuckets",
          "silentDeletes");

  @TempDir Path tmp;

  private static JsonNode summary(Path rec, String... range) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("summary", "--json", rec.toString()));
    args.addAll(List.of(range));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.err());
    return JSON.readTree(run.out());
  }

  @Test
  void twoRangesThatMeetAddUpToTheWhole() throws IOException {
    for (Path rec : List.of(FROZEN, FORMAT1)) {
      JsonNode whole = summary(rec);
      long duration = whole.path("recording").path("durationMs").asLong();
      for (long cut : List.of(duration / 5, duration / 2, duration * 9 / 10)) {
        JsonNode before = summary(rec, "--to", cut + "ms");
        JsonNode after = summary(rec, "--from", cut + "ms");
        for (String key : TOTALS) {
          long all = whole.path("totals").path(key).asLong();
          assertEquals(
              all,
              before.path("totals").path(key).asLong() + after.path("totals").path(key).asLong(),
              rec + " cut at " + cut + " ms: " + key);
        }
        whole
            .path("latency")
            .fields()
            .forEachRemaining(
                e ->
                    assertEquals(
                        e.getValue().path("count").asLong(),
                        before.path("latency").path(e.getKey()).path("count").asLong()
                            + after.path("latency").path(e.getKey()).path("count").asLong(),
                        rec + " cut at " + cut + " ms: latency " + e.getKey()));
        assertEquals(
            whole.path("recording").path("intervals").asLong(),
            before.path("recording").path("intervals").asLong()
                + after.path("recording").path("intervals").asLong());
        assertEquals(cut, before.path("recording").path("range").path("toMs").asLong());
        assertEquals(cut, after.path("recording").path("range").path("fromMs").asLong());
        assertEquals(whole.path("recording").path("ended"), before.path("recording").path("ended"));
      }
      assertTrue(whole.path("recording").path("range").isMissingNode());
    }
  }

  @Test
  void theReportSaysWhichRangeItCovers() throws IOException {
    Path ranged = tmp.resolve("ranged.html");
    Path whole = tmp.resolve("whole.html");
    CliRun run =
        CliRun.of(
            "report", FROZEN.toString(), "--from", "12s", "--to", "30s", "-o", ranged.toString());
    assertEquals(0, run.exitCode(), run.err());
    run = CliRun.of("report", FROZEN.toString(), "-o", whole.toString());
    assertEquals(0, run.exitCode(), run.err());
    String line = "Range: intervals that end after 0:00:12 and by 0:00:30 (--from, --to)";
    assertTrue(Files.readString(ranged).contains(line), "no range line in the ranged report");
    assertFalse(Files.readString(whole).contains("Range: "), "a range line in the whole report");
  }

  @Test
  void anInstantNamesTheSameRangeAsATimeSinceTheStart() throws IOException {
    JsonNode meta = JSON.readTree(FROZEN.resolve("meta.json").toFile());
    long start = meta.path("startEpochMs").asLong();
    JsonNode bySince = summary(FROZEN, "--from", "12s", "--to", "30s");
    JsonNode byInstant =
        summary(
            FROZEN,
            "--from",
            Instant.ofEpochMilli(start + 12_000).toString(),
            "--to",
            Instant.ofEpochMilli(start + 30_000).toString());
    assertEquals(bySince.path("totals"), byInstant.path("totals"));
    assertEquals(
        bySince.path("recording").path("range"), byInstant.path("recording").path("range"));
  }

  @Test
  void segmentsBeforeTheRangeAreNotRead() throws IOException {
    Path rec = Files.createDirectories(tmp.resolve("rec"));
    try (var files = Files.list(FROZEN)) {
      for (Path f : files.toList()) {
        Files.copy(f, rec.resolve(f.getFileName()));
      }
    }
    JsonNode intact = summary(rec, "--from", "30s");
    for (int i = 0; i < 5; i++) {
      Files.writeString(Segments.list(rec, Segments.EVENTS).get(i), "not a segment\n");
      Files.writeString(Segments.list(rec, Segments.HISTOGRAMS).get(i), "not a segment\n");
    }
    CliRun damaged = CliRun.of("summary", "--json", rec.toString());
    assertTrue(damaged.err().contains("corrupt segment"), damaged.err());
    CliRun ranged = CliRun.of("summary", "--json", rec.toString(), "--from", "30s");
    assertEquals(0, ranged.exitCode(), ranged.err());
    assertEquals("", ranged.err());
    assertEquals(intact.path("totals"), JSON.readTree(ranged.out()).path("totals"));
  }

  @Test
  void aBadTimeIsOneLineNamingTheOptionAndItsValue() {
    for (String[] bad :
        List.of(
            new String[] {"--from", "abc"},
            new String[] {"--to", "1h30"},
            new String[] {"--from", "2026-13-01T00:00Z"},
            new String[] {"--from", "20m", "--to", "10m"})) {
      List<String> args = new java.util.ArrayList<>(List.of("summary", FROZEN.toString()));
      args.addAll(List.of(bad));
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, run.exitCode(), String.join(" ", bad));
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertTrue(run.err().contains(bad[0] + " " + bad[1]), run.err());
      assertFalse(run.err().contains("Exception"), run.err());
    }
    CliRun past = CliRun.of("summary", FROZEN.toString(), "--from", "2h");
    assertEquals(2, past.exitCode());
    assertTrue(past.err().contains("--from 2h: no interval"), past.err());
  }
}
