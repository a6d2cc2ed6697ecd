package io.tombscope.benchmarks.analyzer;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Whether the analyzer copes with a long recording in bounded memory: generates a one-hour
 * recording of 200 sites at 1-second intervals ({@link SyntheticRecording}), then runs the
 * analyzer's {@code summary --json} and {@code report} on it, each in a forked JVM with {@code
 * -Xmx1g}, and reports time, exit code and whether the summary's totals equal the generated ones.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.analyzer.HourRecordingReport \
 *     [DIR [SITES [INTERVALS]]]</pre>
 *
 * <p>DIR (default: a new temporary directory) receives {@code recording/}, {@code summary.json} and
 * {@code report.html}; it must not hold a recording already. The analyzer jar comes from {@code
 * -Dtombscope.analyzer.jar}, by default {@code analyzer/target/tombscope.jar}. Exits with 1 if a
 * step fails or a total disagrees.
 */
public final class HourRecordingReport {
  static final String HEAP = "-Xmx1g";

  private HourRecordingReport() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path jar;
    Path dir;
    int sites;
    int intervals;
    try {
      if (args.length > 3) {
        throw new IllegalArgumentException("usage: HourRecordingReport [DIR [SITES [INTERVALS]]]");
      }
      jar = BuiltJar.analyzer();
      dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tombscope-hour-");
      sites = args.length > 1 ? Arguments.positiveInt(args[1], "SITES") : 200;
      intervals = args.length > 2 ? Arguments.positiveInt(args[2], "INTERVALS") : 3_600;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("HourRecordingReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path recording = dir.resolve("recording");
    long start = System.nanoTime();
    SyntheticRecording.Totals totals =
        new SyntheticRecording(sites, intervals, 1_000, true, 1).writeTo(recording);
    double generateSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "recording: %,d sites x %,d intervals of 1 s, %,d histogram lines, %,d event lines,"
            + " %.0f MiB, written in %.1f s%n",
        totals.sites(),
        totals.intervals(),
        totals.histogramLines(),
        totals.eventLines(),
        totals.bytes() / (1024.0 * 1024.0),
        generateSeconds);

    Path summaryFile = dir.resolve("summary.json");
    Path reportFile = dir.resolve("report.html");
    ChildJvm.Outcome summary =
        ChildJvm.run(analyzer(jar, "summary", recording.toString(), "--json"), summaryFile);
    ChildJvm.Outcome report =
        ChildJvm.run(
            analyzer(jar, "report", recording.toString(), "-o", reportFile.toString()), null);

    List<String> problems = new ArrayList<>();
    print("summary --json", summary, summaryFile);
    print("report", report, reportFile);
    if (summary.exitCode() != 0) {
      problems.add("summary exited with " + summary.exitCode());
    } else {
      problems.addAll(checkTotals(summaryFile, totals));
    }
    if (report.exitCode() != 0) {
      problems.add("report exited with " + report.exitCode());
    } else if (!Files.isRegularFile(reportFile) || Files.size(reportFile) == 0) {
      problems.add("report wrote no " + reportFile);
    }
    if (problems.isEmpty()) {
      System.out.println("result: success with " + HEAP + "; summary totals equal the recording's");
    } else {
      problems.forEach(p -> System.out.println("problem: " + p));
      System.out.println("result: FAILED; recording, summary and report kept under " + dir);
      System.exit(1);
    }
    if (args.length == 0) {
      SyntheticRecording.delete(recording);
      System.out.println("recording deleted; summary and report under " + dir);
    } else {
      System.out.println("files under " + dir);
    }
  }

  private static List<String> analyzer(Path jar, String... args) {
    List<String> command = new ArrayList<>(List.of(HEAP, "-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static void print(String step, ChildJvm.Outcome outcome, Path output) throws IOException {
    System.out.printf(
        Locale.ROOT,
        "%-16s exit %d in %6.1f s, %s %s%n",
        step,
        outcome.exitCode(),
        outcome.elapsedNanos() / 1e9,
        output.getFileName(),
        Files.isRegularFile(output)
            ? String.format(Locale.ROOT, "%,d bytes", Files.size(output))
            : "missing");
  }

  /** Differences between the summary's totals and what was generated; empty if they agree. */
  static List<String> checkTotals(Path summaryFile, SyntheticRecording.Totals expected)
      throws IOException {
    List<String> problems = new ArrayList<>();
    JsonNode summary;
    try {
      summary = new ObjectMapper().readTree(summaryFile.toFile());
    } catch (IOException e) {
      problems.add(summaryFile + " is not JSON: " + e.getMessage());
      return problems;
    }
    JsonNode totals = summary.path("totals");
    compare(problems, "totals.deleteHits", totals.path("deleteHits"), expected.deleteHits());
    compare(problems, "totals.deleteMisses", totals.path("deleteMisses"), expected.deleteMisses());
    compare(
        problems,
        "totals.deletes",
        totals.path("deletes"),
        expected.deleteHits() + expected.deleteMisses());
    compare(problems, "totals.sameSizeGrows", totals.path("sameSizeGrows"), expected.grows());
    compare(
        problems,
        "totals.evacuatedBuckets",
        totals.path("evacuatedBuckets"),
        expected.evacuatedBuckets());
    compare(
        problems,
        "totals.tombstonesReclaimed",
        totals.path("tombstonesReclaimed"),
        expected.tombstonesReclaimed());
    compare(problems, "sites", summary.path("sites").size(), expected.sites());
    return problems;
  }

  private static void compare(List<String> problems, String key, JsonNode actual, long expected) {
    if (!actual.isIntegralNumber()) {
      problems.add("summary has no number at " + key);
    } else {
      compare(problems, key, actual.asLong(), expected);
    }
  }

  private static void compare(List<String> problems, String key, long actual, long expected) {
    if (actual != expected) {
      problems.add(key + " is " + actual + ", the recording holds " + expected);
    }
  }
}
