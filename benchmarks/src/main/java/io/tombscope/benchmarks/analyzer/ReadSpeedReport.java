package io.tombscope.benchmarks.analyzer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.benchmarks.Arguments;
import io.tombscope.benchmarks.jvm.BuiltJar;
import io.tombscope.benchmarks.jvm.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much faster this analyzer summarizes a recording than the analyzer before format 2, side by
 * side in one run: the same synthetic hour ({@link SyntheticRecording}, default 200 sites every one
 * active in every 1-second interval, the same seed) written in format 1 and in format 2, then
 * {@code summary --json} of the baseline analyzer on format 1 and of this one on format 2, each in
 * a forked JVM with {@code -Xmx1g}, alternated for {@code ROUNDS} rounds (default 3; which one goes
 * first alternates too). Target: this one in at most 1/10 of the baseline's time (median of the
 * rounds, wall). Both summaries' totals must equal the generated ones.
 *
 * <pre>
 * java -Dtombscope.baseline.jar=OLD.jar -cp benchmarks/target/benchmarks.jar \
 *     io.tombscope.benchmarks.analyzer.ReadSpeedReport [DIR [ROUNDS [SITES [INTERVALS]]]]</pre>
 *
 * <p>{@code -Dtombscope.baseline.jar} (required) is the analyzer jar to compare with: the analyzer
 * of commit {@code e6c65b1}, the last before format 2. DIR (default a new temporary directory)
 * receives {@code format1/} and {@code format2/} (about 850 MiB and 28 MiB for the default hour),
 * which a later run with the same DIR reads again instead of writing anew. Exits with 1 if a
 * summary fails or a total disagrees.
 */
public final class ReadSpeedReport {
  static final String HEAP = "-Xmx1g";
  static final double TARGET_RATIO = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReadSpeedReport() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path jar;
    Path baseline;
    Path dir;
    int rounds;
    int sites;
    int intervals;
    try {
      if (args.length > 4) {
        throw new IllegalArgumentException(
            "usage: ReadSpeedReport [DIR [ROUNDS [SITES [INTERVALS]]]]");
      }
      jar = BuiltJar.analyzer();
      String base = System.getProperty("tombscope.baseline.jar");
      if (base == null || !Files.isRegularFile(Path.of(base))) {
        throw new IllegalArgumentException(
            "-Dtombscope.baseline.jar=PATH must name the analyzer jar to compare with"
                + (base == null ? "" : " (" + base + " is no file)"));
      }
      baseline = Path.of(base).toAbsolutePath();
      dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tombscope-speed-");
      rounds = args.length > 1 ? Arguments.positiveInt(args[1], "ROUNDS") : 3;
      sites = args.length > 2 ? Arguments.positiveInt(args[2], "SITES") : 200;
      intervals = args.length > 3 ? Arguments.positiveInt(args[3], "INTERVALS") : 3_600;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("ReadSpeedReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path format1 = dir.resolve("format1");
    Path format2 = dir.resolve("format2");
    SyntheticRecording.Totals totals = write(format1, 1, sites, intervals);
    SyntheticRecording.Totals totals2 = write(format2, 2, sites, intervals);
    System.out.printf(
        Locale.ROOT,
        "recording: %,d sites x %,d intervals of 1 s; format 1 %.0f MiB, format 2 %.1f MiB%n",
        sites,
        intervals,
        totals.bytes() / (1024.0 * 1024.0),
        totals2.bytes() / (1024.0 * 1024.0));

    List<Double> before = new ArrayList<>();
    List<Double> after = new ArrayList<>();
    List<Double> beforeCpu = new ArrayList<>();
    List<Double> afterCpu = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < 2; k++) {
        boolean baselineTurn = (round + k) % 2 == 0;
        Path out = dir.resolve(baselineTurn ? "summary-baseline.json" : "summary.json");
        ChildJvm.Outcome o =
            ChildJvm.run(
                List.of(
                    HEAP,
                    "-jar",
                    (baselineTurn ? baseline : jar).toString(),
                    "summary",
                    (baselineTurn ? format1 : format2).toString(),
                    "--json"),
                out);
        double seconds = o.elapsedNanos() / 1e9;
        (baselineTurn ? before : after).add(seconds);
        (baselineTurn ? beforeCpu : afterCpu).add(o.cpuSeconds());
        String who = baselineTurn ? "baseline on format 1" : "this one on format 2";
        System.out.printf(
            Locale.ROOT,
            "round %d  %-22s exit %d in %6.2f s, cpu %6.2f s%n",
            round + 1,
            who,
            o.exitCode(),
            seconds,
            o.cpuSeconds());
        if (o.exitCode() != 0) {
          problems.add(who + " exited with " + o.exitCode());
        } else {
          for (String p : HourRecordingReport.checkTotals(out, totals)) {
            problems.add(who + ": " + p);
          }
        }
      }
    }
    double b = LogReadSpeed.median(before);
    double a = LogReadSpeed.median(after);
    double ratio = b / a;
    System.out.printf(
        Locale.ROOT,
        "summary --json, median of %d: baseline %.2f s, this one %.2f s: %.1fx faster"
            + " (target >= %.0fx: %s)%n",
        rounds,
        b,
        a,
        ratio,
        TARGET_RATIO,
        ratio >= TARGET_RATIO ? "met" : "MISSED");
    double bc = LogReadSpeed.median(beforeCpu);
    double ac = LogReadSpeed.median(afterCpu);
    System.out.printf(
        Locale.ROOT,
        "cpu (user + system), median of %d: baseline %.2f s, this one %.2f s: %.1fx less%n",
        rounds,
        bc,
        ac,
        bc / Math.max(0.01, ac));
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.out.println("problem: " + p));
      System.exit(1);
    }
  }

  /**
   * The recording of {@code format} in {@code dir}, written now, or read again when an earlier run
   * of the same sites and intervals left it there with its totals beside it.
   */
  static SyntheticRecording.Totals write(Path dir, int format, int sites, int intervals)
      throws IOException {
    Path totalsFile = dir.resolveSibling(dir.getFileName() + "-totals.json");
    if (Files.exists(dir.resolve("meta.json")) && Files.isRegularFile(totalsFile)) {
      SyntheticRecording.Totals earlier =
          JSON.readValue(totalsFile.toFile(), SyntheticRecording.Totals.class);
      if (earlier.sites() == sites && earlier.intervals() == intervals) {
        System.out.println("recording of an earlier run read again: " + dir);
        return earlier;
      }
    }
    SyntheticRecording.Totals totals =
        new SyntheticRecording(sites, intervals, 1_000, true, 1).format(format).writeTo(dir);
    JSON.writeValue(totalsFile.toFile(), totals);
    return totals;
  }
}
