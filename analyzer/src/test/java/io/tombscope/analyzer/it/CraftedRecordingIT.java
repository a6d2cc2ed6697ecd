package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.cli.TombscopeCli;
import io.tombscope.analyzer.fixture.RecordingFixture;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crafted recording of 3.2 MB, 2,000 sites and 100,000 {@code agent} lines once took 6 GB and 70
 * s to end in an {@link OutOfMemoryError}: memory went by sites × intervals. It must read in a heap
 * of 128 MiB, in a JVM of its own so that the bound is real.
 */
class CraftedRecordingIT {
  private static final int SITES = 2000;
  private static final int INTERVALS = 100_000;

  @TempDir Path tmp;

  @Test
  void twoThousandSitesAndAHundredThousandIntervalsReadInABoundedHeap() throws Exception {
    Path rec = Files.createDirectories(tmp.resolve("crafted"));
    Files.writeString(
        rec.resolve("meta.json"),
        "{\"format\":1,\"pid\":1,\"startEpochMs\":1764000000000,\"intervalMs\":10}\n");
    try (BufferedWriter sites = Files.newBufferedWriter(rec.resolve("sites.jsonl"));
        BufferedWriter events = Files.newBufferedWriter(rec.resolve("events.jsonl"))) {
      for (int s = 0; s < SITES; s++) {
        sites.write(
            "{\"site\":"
                + s
                + ",\"mapClass\":\"io.tombscope.map.BucketHashMap\",\"allocationSite\":[\"a.A.a(A.java:"
                + s
                + ")\"],\"t\":0}\n");
        events.write(
            "{\"type\":\"counters\",\"t\":10,\"site\":" + s + ",\"deleteHits\":" + s + "}\n");
        events.write(
            "{\"type\":\"gauge\",\"t\":10,\"site\":" + s + ",\"maps\":1,\"tombstones\":3}\n");
      }
      for (int i = 1; i <= INTERVALS; i++) {
        events.write("{\"type\":\"agent\",\"t\":" + 10L * i + "}\n");
      }
    }
    Files.writeString(rec.resolve("histograms.hlog"), "");
    long bytes;
    try (var files = Files.list(rec)) {
      bytes = files.mapToLong(f -> f.toFile().length()).sum();
    }
    assertTrue(bytes > 3_000_000, "the recording is the crafted size: " + bytes);

    Path out = tmp.resolve("out.json");
    Path err = tmp.resolve("err.txt");
    int exitCode = summaryInHeap("128m", rec, out, err);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, exitCode, stderr);
    assertEquals("", stderr);
    JsonNode j = new ObjectMapper().readTree(out.toFile());
    assertEquals(INTERVALS, j.path("recording").path("intervals").asLong());
    assertEquals(SITES, j.path("sites").size());
    assertEquals((long) SITES * (SITES - 1) / 2, j.path("totals").path("deleteHits").asLong());
  }

  /**
   * 8,000 sites with two histograms each, every one as wide as the agent's histograms go: their
   * sums would take about 600 MB. The analyzer stops at its budget for histograms with one line
   * naming it, in a heap that could not hold them all.
   */
  @Test
  void histogramsPastTheirBudgetAreOneLineAndExit2InABoundedHeap() throws Exception {
    int sites = 8000;
    RecordingFixture f = new RecordingFixture(tmp.resolve("wide"));
    for (int s = 0; s < sites; s++) {
      f.site(s, "io.tombscope.map.BucketHashMap", "a.A.a(A.java:" + s + ")");
      f.histogram("deleteLatency", s, 3_500_000_000_000L, 1);
      f.histogram("deleteProbe.hit", s, 3_500_000_000_000L, 1);
    }
    Path rec = f.interval(1000, Map.of()).end().write();

    Path err = tmp.resolve("wide-err.txt");
    int exitCode = summaryInHeap("400m", rec, tmp.resolve("wide-out.json"), err);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(2, exitCode, stderr);
    assertEquals(1, stderr.strip().lines().count(), stderr);
    assertTrue(
        stderr.contains("histograms.hlog:")
            && stderr.contains("the sites' histograms pass 256 MiB, the most this analyzer holds"),
        stderr);
  }

  /** Runs {@code summary --json rec} in a JVM of its own with a heap of {@code maxHeap}. */
  private static int summaryInHeap(String maxHeap, Path rec, Path out, Path err) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + maxHeap,
                    "-cp",
                    System.getProperty("java.class.path"),
                    TombscopeCli.class.getName(),
                    "summary",
                    "--json",
                    rec.toString()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still reading after 120 s");
    }
    return p.exitValue();
  }
}
