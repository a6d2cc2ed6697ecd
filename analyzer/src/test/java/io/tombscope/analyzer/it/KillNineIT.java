package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.cli.TombscopeCli;
import io.tombscope.analyzer.fixture.EventText;
import io.tombscope.analyzer.read.Recording;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.read.SiteRecord;
import io.tombscope.format.Segments;
import io.tombscope.testing.SeededCases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} at random moments while the program deletes: every recording reads, and its
 * counts and histograms are those of the last interval the agent finished writing, which is at most
 * one interval behind what the program had done by then ({@link CountingProgram} logs its own
 * count), even when the histograms' period (a minute by default) had not closed.
 */
class KillNineIT {
  private static final String AGENT = System.getProperty("tombscope.agent.jar");
  private static final long INTERVAL_MS = 100;

  @TempDir Path tmp;

  @Test
  void tenKillsLeaveRecordingsThatReadAndKeepUpWithTheProgram() {
    SeededCases.check(10, this::killOnce);
  }

  private void killOnce(Random random) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "kill");
    Path rec = dir.resolve("rec");
    Path log = dir.resolve("count.log");
    // Half the kills land in a recording of many short segments.
    Process p = start(dir, rec, log, random.nextBoolean() ? ",segment=1s,histograms=100ms" : "");
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!(Files.exists(log) && Files.size(log) > 0) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(Files.exists(log), "the program never started deleting: " + errors(dir));
      Thread.sleep(150 + random.nextInt(1200));
    } finally {
      p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no last flush
    }
    check(rec, dir, log);
  }

  @Test
  void aKillWithinTheHistogramPeriodKeepsItsHistogramsExactly() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "kill");
    Path rec = dir.resolve("rec");
    Path log = dir.resolve("count.log");
    long deletes = 5L * CountingProgram.BATCH;
    Process p = start(dir, rec, log, "", Long.toString(deletes));
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!(Files.exists(log) && Files.readString(log).endsWith(" " + deletes + "\n"))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(
          Files.exists(log) && Files.readString(log).endsWith(" " + deletes + "\n"),
          "the program did not finish its deletes: " + errors(dir));
      // The program is done; the agent writes a few more intervals within its histogram minute.
      Thread.sleep(5 * INTERVAL_MS);
    } finally {
      p.destroyForcibly().waitFor();
    }
    Recording r = check(rec, dir, log);
    SiteRecord site = countingSite(r);
    assertEquals(deletes, site.counter("deleteHits"));
    Histogram hits = site.histograms.get("deleteProbe.hit");
    assertTrue(hits != null, "no probe lengths: " + r.warnings());
    assertEquals(deletes, hits.getTotalCount(), "one probe length per delete");
    assertTrue(
        r.warnings().stream().anyMatch(w -> w.contains(Segments.HISTOGRAM_TAIL)),
        "the reader says where the last period's histograms came from: " + r.warnings());
  }

  private static String errors(Path dir) throws java.io.IOException {
    Path err = dir.resolve("err.txt");
    return dir + (Files.exists(err) ? ": " + Files.readString(err) : "");
  }

  private static SiteRecord countingSite(Recording r) {
    return r.sites().values().stream()
        .filter(s -> s.allocationSite.stream().anyMatch(f -> f.contains("CountingProgram")))
        .findFirst()
        .orElse(null);
  }

  private static Process start(Path dir, Path rec, Path log, String options, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // A quick start on a busy machine: one compiler tier, one GC thread.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-javaagent:"
                + AGENT
                + "=out="
                + rec
                + ",interval="
                + INTERVAL_MS
                + "ms,jdk=false"
                + options,
            "-cp",
            System.getProperty("java.class.path"),
            CountingProgram.class.getName(),
            log.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile())
        .start();
  }

  /** Reads the recording a kill left and holds it to the program's own count; returns it. */
  private static Recording check(Path rec, Path dir, Path log) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        TombscopeCli.run(
            new String[] {"summary", "--json", rec.toString()},
            new PrintWriter(out),
            new PrintWriter(err));
    assertEquals(0, exit, err.toString());
    Recording r = RecordingReader.read(rec);
    assertTrue(r.intervals() > 0, "no complete interval: " + err);
    long agentLines =
        EventText.lines(rec).stream()
            .filter(l -> l.endsWith("}") && l.contains("\"type\":\"agent\""))
            .count();
    assertEquals(agentLines, r.intervals(), "every interval the agent finished is used");

    long recorded =
        r.sites().values().stream()
            .filter(s -> s.allocationSite.stream().anyMatch(f -> f.contains("CountingProgram")))
            .mapToLong(s -> s.counter("deleteHits"))
            .sum();
    List<long[]> counts = new ArrayList<>();
    for (String line : Files.readString(log).split("\n")) {
      String[] parts = line.split(" ");
      if (parts.length == 2 && !parts[1].isEmpty()) {
        counts.add(new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])});
      }
    }
    long lastLogged = counts.get(counts.size() - 1)[1];
    long lastIntervalEpochMs =
        r.meta().startEpochMs() + r.intervalTimes()[r.intervalTimes().length - 1];
    long doneAnIntervalBefore = 0;
    for (long[] c : counts) {
      if (c[0] <= lastIntervalEpochMs - INTERVAL_MS) {
        doneAnIntervalBefore = c[1];
      }
    }
    String what =
        "recorded "
            + recorded
            + " deletes; the program logged "
            + doneAnIntervalBefore
            + " one interval before the recording's last and "
            + lastLogged
            + " in all ("
            + dir
            + ")";
    System.out.println("kill -9: " + what);
    assertTrue(recorded <= lastLogged + CountingProgram.BATCH, "more than was done: " + what);
    assertTrue(recorded >= doneAnIntervalBefore, "more than one interval behind: " + what);
    SiteRecord site = countingSite(r);
    if (site != null) {
      assertEquals(site.counter("deleteHits"), site.counter("tombstonesCreated"), what);
      // The probe lengths come from the same snapshot of the map as the counters, but for the
      // deletes between two reads of it; they too keep up within the histogram period.
      Histogram hits = site.histograms.get("deleteProbe.hit");
      long probes = hits == null ? 0 : hits.getTotalCount();
      assertTrue(probes >= doneAnIntervalBefore, "probe lengths behind: " + probes + "; " + what);
      assertTrue(probes <= lastLogged + CountingProgram.BATCH, "probe lengths: " + probes);
    }
    return r;
  }
}
