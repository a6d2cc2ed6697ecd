package io.tombscope.benchmarks.jvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times two commands as whole processes, in turn (A, B, A, B, ...), so that a machine whose speed
 * drifts slows both alike, and compares them pair by pair. CPU time (user + system) comes from the
 * kernel's own accounting of reaped children ({@code cutime} and {@code cstime} in {@code
 * /proc/self/stat}, Linux only, in clock ticks of 10 ms); wall time from start to exit.
 */
public final class AlternatedRuns {
  /** Seconds per clock tick of {@code /proc}'s CPU times. */
  static final double TICK_SECONDS = 0.01;

  private AlternatedRuns() {}

  /**
   * One process: its CPU and wall seconds, and its CPU seconds by kind of thread when it ran under
   * {@link ThreadCpu} (else null).
   */
  public record Run(double cpuSeconds, double wallSeconds, Map<String, Double> threadCpu) {}

  /** One pair: A's run and B's run, one right after the other. */
  public record Pair(Run a, Run b) {
    double cpuRatio() {
      return a.cpuSeconds / Math.max(TICK_SECONDS, b.cpuSeconds);
    }

    double wallRatio() {
      return a.wallSeconds / b.wallSeconds;
    }
  }

  /**
   * Runs {@code warmups} unmeasured pairs, then {@code pairs} measured ones, of {@code java ARGS}
   * with {@code a} and {@code b}. A run that exits non-zero stops everything with its stderr.
   */
  public static List<Pair> run(List<String> a, List<String> b, int warmups, int pairs)
      throws IOException, InterruptedException {
    List<Pair> measured = new ArrayList<>();
    for (int i = 0; i < warmups + pairs; i++) {
      Run ra = time(a);
      Run rb = time(b);
      if (i >= warmups) {
        measured.add(new Pair(ra, rb));
      }
    }
    return measured;
  }

  /** Runs {@code java ARGS} of this JVM's installation once and times it. */
  public static Run time(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    Path err = Files.createTempFile("tombscope-run", ".err");
    try {
      long ticksBefore = childTicks();
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("did not finish in 30 minutes: " + command);
      }
      long wall = System.nanoTime() - start;
      // The reaper thread may account the child a moment after waitFor returns.
      long ticks = childTicks() - ticksBefore;
      for (int i = 0; i < 20 && ticks == 0; i++) {
        Thread.sleep(5);
        ticks = childTicks() - ticksBefore;
      }
      String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "exit " + p.exitValue() + " from " + String.join(" ", command) + "\n" + stderr);
      }
      return new Run(ticks * TICK_SECONDS, wall / 1e9, ThreadCpu.parse(stderr));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** CPU clock ticks of this process's reaped children so far (user + system). */
  static long childTicks() throws IOException {
    return ticks(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII), 16);
  }

  /**
   * The user and system clock ticks of a {@code /proc} {@code stat} line: its fields {@code
   * userField} and the next (14 for the process or thread itself, 16 for its reaped children).
   */
  static long ticks(String stat, int userField) {
    // Fields after the command name in parentheses (which may hold spaces): state is field 3.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[userField - 3]) + Long.parseLong(f[userField + 1 - 3]);
  }

  /** Median of {@code values}. */
  public static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The figures of {@code pairs}: per-process medians, and the pair-by-pair ratios and excess. */
  public record Summary(
      double cpuA,
      double cpuB,
      double wallA,
      double wallB,
      double cpuRatio,
      double cpuRatioMin,
      double cpuRatioMax,
      double wallRatio,
      double wallRatioMin,
      double wallRatioMax,
      double cpuExtra,
      double wallExtra) {

    /** One line: medians, then ratio (min–max over the pairs) and the median excess of A. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "cpu %.2f s vs %.2f s, ratio %.2fx (%.2f-%.2f), +%.2f s; wall %.2f s vs %.2f s,"
              + " ratio %.2fx (%.2f-%.2f), +%.2f s",
          cpuA,
          cpuB,
          cpuRatio,
          cpuRatioMin,
          cpuRatioMax,
          cpuExtra,
          wallA,
          wallB,
          wallRatio,
          wallRatioMin,
          wallRatioMax,
          wallExtra);
    }
  }

  /**
   * For each kind of thread ({@link ThreadCpu#KINDS}), the median CPU seconds of A's runs, of B's,
   * and the median of A's excess pair by pair; null if the runs did not report them.
   */
  public static Map<String, double[]> threadCpu(List<Pair> pairs) {
    Map<String, double[]> byKind = new LinkedHashMap<>();
    for (String kind : ThreadCpu.KINDS) {
      double[] a = new double[pairs.size()];
      double[] b = new double[pairs.size()];
      double[] extra = new double[pairs.size()];
      for (int i = 0; i < pairs.size(); i++) {
        Pair p = pairs.get(i);
        if (p.a.threadCpu == null || p.b.threadCpu == null) {
          return null;
        }
        a[i] = p.a.threadCpu.getOrDefault(kind, 0.0);
        b[i] = p.b.threadCpu.getOrDefault(kind, 0.0);
        extra[i] = a[i] - b[i];
      }
      byKind.put(kind, new double[] {median(a), median(b), median(extra)});
    }
    return byKind;
  }

  /** Summarizes {@code pairs}. */
  public static Summary summarize(List<Pair> pairs) {
    int n = pairs.size();
    double[] cpuA = new double[n];
    double[] cpuB = new double[n];
    double[] wallA = new double[n];
    double[] wallB = new double[n];
    double[] cpuRatio = new double[n];
    double[] wallRatio = new double[n];
    double[] cpuExtra = new double[n];
    double[] wallExtra = new double[n];
    for (int i = 0; i < n; i++) {
      Pair p = pairs.get(i);
      cpuA[i] = p.a.cpuSeconds;
      cpuB[i] = p.b.cpuSeconds;
      wallA[i] = p.a.wallSeconds;
      wallB[i] = p.b.wallSeconds;
      cpuRatio[i] = p.cpuRatio();
      wallRatio[i] = p.wallRatio();
      cpuExtra[i] = p.a.cpuSeconds - p.b.cpuSeconds;
      wallExtra[i] = p.a.wallSeconds - p.b.wallSeconds;
    }
    return new Summary(
        median(cpuA),
        median(cpuB),
        median(wallA),
        median(wallB),
        median(cpuRatio),
        Arrays.stream(cpuRatio).min().orElse(0),
        Arrays.stream(cpuRatio).max().orElse(0),
        median(wallRatio),
        Arrays.stream(wallRatio).min().orElse(0),
        Arrays.stream(wallRatio).max().orElse(0),
        median(cpuExtra),
        median(wallExtra));
  }
}
