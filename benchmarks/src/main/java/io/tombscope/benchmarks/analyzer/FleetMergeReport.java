package io.tombscope.benchmarks.analyzer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Whether {@code tombscope merge} merges a fleet in time: writes one one-hour recording of 200
 * sites at 1-second intervals as the agent writes it by default ({@link SyntheticRecording}, format
 * 2), gives it to 20 JVMs (hard links to its files, each JVM with a {@code meta.json} of its own:
 * another pid, and a start up to a few seconds later, so the merge aligns intervals that do not
 * fall on the same instants), merges them in a forked JVM with {@code -Xmx1g}, then reads the merge
 * with {@code summary --json} and checks that its totals are 20 times the recording's.
 *
 * <pre>
 * java [-Dtombscope.baseline.jar=OLD.jar] -cp benchmarks/target/benchmarks.jar \
 *     io.tombscope.benchmarks.analyzer.FleetMergeReport [DIR [JVMS [SITES [INTERVALS]]]]</pre>
 *
 * <p>DIR (default: a new temporary directory, deleted after) receives {@code jvm-N/}, {@code
 * fleet/} and {@code summary.json}. A {@code jvm-0/} that an earlier run of the same SITES and
 * INTERVALS left in DIR, with its {@code jvm-0-totals.json}, is merged again instead of written
 * anew (the other JVMs are links to it, made again every run). With {@code
 * -Dtombscope.baseline.jar}, that analyzer merges the same recordings first, into {@code
 * fleet-baseline/}, and both times are printed side by side with the load average. Prints the
 * target next to the result; exits with 1 if a step fails or a total disagrees.
 */
public final class FleetMergeReport {
  static final double TARGET_SECONDS = 180;

  private FleetMergeReport() {}

  /**
   * What a fleet run found.
   *
   * @param mergeSeconds wall time of the merge, or -1 if it failed
   * @param problems steps that failed and totals that disagree; empty if none
   */
  record Result(
      Path dir, List<Path> inputs, Path fleet, double mergeSeconds, List<String> problems) {
    /** Deletes the recordings and the merges, keeping {@code summary.json}. */
    void delete() throws IOException {
      for (Path p : inputs) {
        SyntheticRecording.delete(p);
      }
      Files.deleteIfExists(dir.resolve("jvm-0-totals.json"));
      deleteFlat(fleet);
      deleteFlat(dir.resolve("fleet-baseline"));
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    Path jar;
    Path dir;
    int jvms;
    int sites;
    int intervals;
    try {
      if (args.length > 4) {
        throw new IllegalArgumentException(
            "usage: FleetMergeReport [DIR [JVMS [SITES [INTERVALS]]]]");
      }
      jar = BuiltJar.analyzer();
      dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tombscope-fleet-");
      jvms = args.length > 1 ? Arguments.positiveInt(args[1], "JVMS") : 20;
      sites = args.length > 2 ? Arguments.positiveInt(args[2], "SITES") : 200;
      intervals = args.length > 3 ? Arguments.positiveInt(args[3], "INTERVALS") : 3_600;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("FleetMergeReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    String baseline = System.getProperty("tombscope.baseline.jar");
    Result result =
        run(jar, baseline == null ? null : Path.of(baseline), dir, jvms, sites, intervals);
    if (result.problems().isEmpty()) {
      System.out.println(
          "result: success; the merge's totals are " + jvms + " times the recording's");
    } else {
      result.problems().forEach(p -> System.out.println("problem: " + p));
      System.out.println("result: FAILED; files kept under " + dir);
      System.exit(1);
    }
    if (args.length == 0) {
      result.delete();
      System.out.println("recordings and merge deleted; summary under " + dir);
    }
  }

  /**
   * Writes one recording of {@code sites} x {@code intervals} as the agent does by default (format
   * 2) into {@code dir/jvm-0} (or reads again the one an earlier run left), gives it to {@code
   * jvms} JVMs, merges them with {@code -Xmx1g} (first with {@code baseline}, when not null),
   * summarizes the merge and checks its totals, printing each step.
   */
  static Result run(Path jar, Path baseline, Path dir, int jvms, int sites, int intervals)
      throws IOException, InterruptedException {
    Path first = dir.resolve("jvm-0");
    long start = System.nanoTime();
    SyntheticRecording.Totals totals = ReadSpeedReport.write(first, 2, sites, intervals);
    List<Path> inputs = new ArrayList<>(List.of(first));
    ObjectMapper json = new ObjectMapper();
    ObjectNode meta = (ObjectNode) json.readTree(first.resolve("meta.json").toFile());
    long startEpochMs = meta.path("startEpochMs").asLong();
    List<Path> shared = new ArrayList<>(SyntheticRecording.files(first));
    shared.remove(first.resolve("meta.json"));
    for (int i = 1; i < jvms; i++) {
      deleteFlat(dir.resolve("jvm-" + i));
      Path copy = Files.createDirectories(dir.resolve("jvm-" + i));
      for (Path f : shared) {
        Files.createLink(copy.resolve(f.getFileName()), f);
      }
      meta.put("pid", 1000 + i);
      // Starts spread over 5 s, not on whole seconds: intervals end between the merge's windows.
      meta.put("startEpochMs", startEpochMs - 5_000 + i * 257L % 5_000);
      json.writeValue(copy.resolve("meta.json").toFile(), meta);
      inputs.add(copy);
    }
    long inputBytes = totals.bytes() * jvms;
    System.out.printf(
        Locale.ROOT,
        "fleet: %d JVMs x (%,d sites x %,d intervals of 1 s, %,d histogram lines, %,d event"
            + " lines, %.0f MiB), %.0f MiB to read, written in %.1f s%n",
        jvms,
        totals.sites(),
        totals.intervals(),
        totals.histogramLines(),
        totals.eventLines(),
        totals.bytes() / (1024.0 * 1024.0),
        inputBytes / (1024.0 * 1024.0),
        (System.nanoTime() - start) / 1e9);

    double baselineSeconds = -1;
    if (baseline != null) {
      baselineSeconds =
          merge(baseline, "baseline", inputs, dir.resolve("fleet-baseline"), inputBytes);
    }
    Path fleet = dir.resolve("fleet");
    double mergeSeconds = merge(jar, "merge", inputs, fleet, inputBytes);
    if (baseline != null && baselineSeconds > 0 && mergeSeconds > 0) {
      System.out.printf(
          Locale.ROOT,
          "side by side: baseline %.1f s, this one %.1f s: %.1fx faster%n",
          baselineSeconds,
          mergeSeconds,
          baselineSeconds / mergeSeconds);
    }

    List<String> problems = new ArrayList<>();
    if (mergeSeconds < 0) {
      problems.add("merge failed");
    } else {
      Path summaryFile = dir.resolve("summary.json");
      ChildJvm.Outcome summary =
          ChildJvm.run(
              HourRecordingReport.analyzer(jar, "summary", fleet.toString(), "--json"),
              summaryFile);
      System.out.printf(
          Locale.ROOT,
          "summary --json   exit %d in %6.1f s on the merge%n",
          summary.exitCode(),
          summary.elapsedNanos() / 1e9);
      if (summary.exitCode() != 0) {
        problems.add("summary of the merge exited with " + summary.exitCode());
      } else {
        problems.addAll(HourRecordingReport.checkTotals(summaryFile, times(totals, jvms)));
      }
    }
    return new Result(dir, inputs, fleet, mergeSeconds, problems);
  }

  /**
   * Merges {@code inputs} into {@code fleet} (deleted first, if an earlier run left it) with the
   * analyzer {@code jar} in a JVM of {@code -Xmx1g}; prints the time, the load average before and
   * after, and the sizes, and returns the seconds, or -1 if the merge failed.
   */
  private static double merge(Path jar, String who, List<Path> inputs, Path fleet, long inputBytes)
      throws IOException, InterruptedException {
    deleteFlat(fleet);
    List<String> merge = new ArrayList<>(List.of(HourRecordingReport.HEAP, "-jar", jar.toString()));
    merge.add("merge");
    inputs.forEach(p -> merge.add(p.toString()));
    merge.addAll(List.of("-o", fleet.toString()));
    String loadBefore = loadAverage();
    ChildJvm.Outcome merged = ChildJvm.run(merge, null);
    merged.stdout().forEach(l -> System.out.println("  " + l));
    double seconds = merged.elapsedNanos() / 1e9;
    long fleetBytes = 0;
    if (Files.isDirectory(fleet)) {
      try (var files = Files.list(fleet)) {
        for (Path f : files.toList()) {
          fleetBytes += Files.size(f);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%-16s exit %d in %6.1f s (target <= %.0f s with %s: %s), %.1f MB/s read,"
            + " fleet %.0f MiB, load average %s before, %s after%n",
        who,
        merged.exitCode(),
        seconds,
        TARGET_SECONDS,
        HourRecordingReport.HEAP,
        seconds <= TARGET_SECONDS ? "met" : "MISSED",
        inputBytes / 1e6 / seconds,
        fleetBytes / (1024.0 * 1024.0),
        loadBefore,
        loadAverage());
    return merged.exitCode() == 0 ? seconds : -1;
  }

  /** The 1-minute load average, as {@code uptime} shows it; "?" where it cannot be read. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** What {@code jvms} copies of a recording add up to (the sites are the same sites). */
  private static SyntheticRecording.Totals times(SyntheticRecording.Totals t, int jvms) {
    return new SyntheticRecording.Totals(
        t.sites(),
        t.intervals(),
        t.deleteHits() * jvms,
        t.deleteMisses() * jvms,
        t.grows() * jvms,
        t.evacuatedBuckets() * jvms,
        t.tombstonesReclaimed() * jvms,
        t.histogramLines() * jvms,
        t.eventLines() * jvms,
        t.bytes() * jvms);
  }

  /** Deletes the files of a directory without subdirectories, then the directory. */
  private static void deleteFlat(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }
}
