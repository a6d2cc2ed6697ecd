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
 * Whether the analyzer copes with a day-long recording and a fleet, in bounded memory, and in time:
 * the targets of day-long recordings, each printed next to its result.
 *
 * <ol>
 *   <li>Writes a recording of {@code HOURS} hours (default 24) of 200 sites, every one active in
 *       every 1-second interval, as the agent writes it with its defaults (format 2: hourly gzip
 *       segments; {@link SyntheticRecording}, at full speed, no real waiting). Target: at most 40
 *       MiB on disk per hour.
 *   <li>Runs {@code summary --json} and {@code report} on it, each in a forked JVM with {@code
 *       -Xmx1g}. Targets: each within 2 minutes, the report's HTML at most 5 MiB; the summary's
 *       totals must equal the generated ones.
 *   <li>Merges {@code JVMS} (default 20) one-hour recordings with {@code tombscope merge}, in a
 *       forked JVM with {@code -Xmx1g} ({@link FleetMergeReport}). Target: within 3 minutes; the
 *       merge's totals must be {@code JVMS} times one recording's.
 * </ol>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.analyzer.HourRecordingReport \
 *     [DIR [HOURS [JVMS [SITES]]]]</pre>
 *
 * <p>DIR (default: a new temporary directory) receives {@code day/}, {@code summary.json}, {@code
 * report.html} and the fleet's {@code fleet/}. A {@code day/} that an earlier run of the same HOURS
 * and SITES left in DIR, with the {@code day-totals.json} it wrote beside it, is read again instead
 * of written anew, so that a new analyzer can be measured on the same recording; so is the fleet's
 * one-hour recording ({@link FleetMergeReport}). JVMS 0 leaves the merge out. The analyzer jar
 * comes from {@code -Dtombscope.analyzer.jar}, by default {@code analyzer/target/tombscope.jar}.
 * Exits with 1 if a step fails or a total disagrees (a missed time or size target is printed, not
 * an error).
 */
public final class HourRecordingReport {
  static final String HEAP = "-Xmx1g";

  static final double DISK_MIB_PER_HOUR = 40;
  static final double SUMMARY_SECONDS = 120;
  static final double REPORT_SECONDS = 120;
  static final double HTML_MIB = 5;

  private static final ObjectMapper JSON = new ObjectMapper();

  private HourRecordingReport() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path jar;
    Path dir;
    int hours;
    int jvms;
    int sites;
    try {
      if (args.length > 4) {
        throw new IllegalArgumentException(
            "usage: HourRecordingReport [DIR [HOURS [JVMS [SITES]]]]");
      }
      jar = BuiltJar.analyzer();
      dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tombscope-day-");
      hours = args.length > 1 ? Arguments.positiveInt(args[1], "HOURS") : 24;
      jvms = args.length > 2 ? nonNegative(args[2], "JVMS") : 20;
      sites = args.length > 3 ? Arguments.positiveInt(args[3], "SITES") : 200;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("HourRecordingReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    Files.createDirectories(dir);
    List<String> problems = new ArrayList<>();
    List<String> verdicts = new ArrayList<>();

    Path day = dir.resolve("day");
    Path totalsFile = dir.resolve("day-totals.json");
    SyntheticRecording.Totals totals = reuse(day, totalsFile, sites, hours * 3_600);
    if (totals == null) {
      long start = System.nanoTime();
      totals = new SyntheticRecording(sites, hours * 3_600, 1_000, true, 1).format(2).writeTo(day);
      JSON.writeValue(totalsFile.toFile(), totals);
      System.out.printf(
          Locale.ROOT, "recording written in %.1f s%n", (System.nanoTime() - start) / 1e9);
    } else {
      System.out.println("recording of an earlier run read again: " + day);
    }
    double mibPerHour = totals.bytes() / (1024.0 * 1024.0) / hours;
    System.out.printf(
        Locale.ROOT,
        "recording: %d h, %,d sites x %,d intervals of 1 s, %,d histogram lines, %,d event lines,"
            + " %.0f MiB on disk%n",
        hours,
        totals.sites(),
        totals.intervals(),
        totals.histogramLines(),
        totals.eventLines(),
        totals.bytes() / (1024.0 * 1024.0));
    verdicts.add(verdict("disk per hour", mibPerHour, "MiB", DISK_MIB_PER_HOUR));

    Path summaryFile = dir.resolve("summary.json");
    Path reportFile = dir.resolve("report.html");
    Files.deleteIfExists(summaryFile);
    Files.deleteIfExists(reportFile);
    ChildJvm.Outcome summary =
        ChildJvm.run(analyzer(jar, "summary", day.toString(), "--json"), summaryFile);
    print("summary --json", summary, summaryFile);
    ChildJvm.Outcome report =
        ChildJvm.run(analyzer(jar, "report", day.toString(), "-o", reportFile.toString()), null);
    print("report", report, reportFile);
    if (summary.exitCode() != 0) {
      problems.add("summary exited with " + summary.exitCode());
    } else {
      problems.addAll(checkTotals(summaryFile, totals));
      verdicts.add(
          verdict(
              "summary --json, " + hours + " h, " + HEAP,
              summary.elapsedNanos() / 1e9,
              "s",
              SUMMARY_SECONDS));
    }
    if (report.exitCode() != 0) {
      problems.add("report exited with " + report.exitCode());
    } else if (!Files.isRegularFile(reportFile) || Files.size(reportFile) == 0) {
      problems.add("report wrote no " + reportFile);
    } else {
      verdicts.add(
          verdict(
              "report, " + hours + " h, " + HEAP,
              report.elapsedNanos() / 1e9,
              "s",
              REPORT_SECONDS));
      verdicts.add(
          verdict(
              "report HTML, " + hours + " h",
              Files.size(reportFile) / (1024.0 * 1024.0),
              "MiB",
              HTML_MIB));
    }

    if (jvms > 0) {
      FleetMergeReport.Result fleet =
          FleetMergeReport.run(jar, null, dir.resolve("fleet"), jvms, sites, 3_600);
      problems.addAll(fleet.problems());
      if (fleet.mergeSeconds() >= 0) {
        verdicts.add(
            verdict(
                jvms + " one-hour recordings merged, " + HEAP,
                fleet.mergeSeconds(),
                "s",
                FleetMergeReport.TARGET_SECONDS));
      }
      if (args.length == 0) {
        fleet.delete();
      }
    }

    System.out.println();
    verdicts.forEach(System.out::println);
    if (problems.isEmpty()) {
      System.out.println("result: every step succeeded with " + HEAP + "; totals agree");
    } else {
      problems.forEach(p -> System.out.println("problem: " + p));
      System.out.println("result: FAILED; files kept under " + dir);
      System.exit(1);
    }
    if (args.length == 0) {
      SyntheticRecording.delete(day);
      Files.deleteIfExists(totalsFile);
      System.out.println("recording deleted; summary and report under " + dir);
    } else {
      System.out.println("files under " + dir);
    }
  }

  /**
   * The totals an earlier run wrote for the recording in {@code day}, if it has the asked size;
   * null when there is none to read again.
   */
  private static SyntheticRecording.Totals reuse(
      Path day, Path totalsFile, int sites, int intervals) throws IOException {
    if (!Files.exists(day.resolve("meta.json"))) {
      return null;
    }
    if (!Files.isRegularFile(totalsFile)) {
      throw new IOException(day + " holds a recording, but " + totalsFile + " is missing");
    }
    SyntheticRecording.Totals totals =
        JSON.readValue(totalsFile.toFile(), SyntheticRecording.Totals.class);
    if (totals.sites() != sites || totals.intervals() != intervals) {
      throw new IOException(
          day
              + " holds "
              + totals.sites()
              + " sites x "
              + totals.intervals()
              + " intervals, not the "
              + sites
              + " x "
              + intervals
              + " asked: give another DIR");
    }
    return totals;
  }

  /** One target and its result: {@code name value unit (target <= limit: met|MISSED)}. */
  static String verdict(String name, double value, String unit, double limit) {
    return String.format(
        Locale.ROOT,
        "target: %-44s %9.1f %-3s (<= %.0f %s: %s)",
        name,
        value,
        unit,
        limit,
        unit,
        value <= limit ? "met" : "MISSED");
  }

  private static int nonNegative(String text, String name) {
    return text.trim().equals("0") ? 0 : Arguments.positiveInt(text, name);
  }

  static List<String> analyzer(Path jar, String... args) {
    List<String> command = new ArrayList<>(List.of(HEAP, "-jar", jar.toString()));
    command.addAll(List.of(args));
    return command;
  }

  static void print(String step, ChildJvm.Outcome outcome, Path output) throws IOException {
    System.out.printf(
        Locale.ROOT,
        "%-16s exit %d in %6.1f s (cpu %.1f s), %s %s%n",
        step,
        outcome.exitCode(),
        outcome.elapsedNanos() / 1e9,
        outcome.cpuSeconds(),
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
