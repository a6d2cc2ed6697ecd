package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.jvm.AlternatedRuns;
import io.tombscope.benchmarks.jvm.BuiltJar;
import io.tombscope.benchmarks.jvm.ChildJvm;
import io.tombscope.benchmarks.map.MapChurn;
import io.tombscope.benchmarks.map.MapKind;
import io.tombscope.benchmarks.map.MapWrites;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's overhead on one map of the benchmarks ({@link MapKind}) in thread CPU time of fixed
 * work, which time spent waiting for a core does not count: on a loaded machine it tells what JMH's
 * wall-clock scores cannot. Each round runs one JVM per setup (no agent, the agent's defaults, and
 * each {@code --options OPTS} or {@code --jar AGENT_JAR} given), in an order rotated from round to
 * round. Each JVM runs {@link MapChurn#churn} and {@link MapWrites#putNew} themselves (size 1,000)
 * for {@value #PASSES} passes of fixed work, times each pass with {@link
 * ThreadMXBean#getCurrentThreadCpuTime()} and reports the median of the last {@value #MEASURED}
 * passes in ns per operation; the ratios to the JVM without the agent of the same round follow.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.LibraryCpuOverhead \
 *     IMPL [ROUNDS] [--options OPTS]... [--jar AGENT_JAR]...</pre>
 *
 * <p>The run fails if an agent recorded no deletes.
 */
public final class LibraryCpuOverhead {
  static final int PASSES = 8;
  static final int MEASURED = 4;
  private static final int CHURN_CALLS = 8_192; // of 1,024 pairs each
  private static final int PUT_MAPS = 100; // of 65,536 keys each

  private LibraryCpuOverhead() {}

  /** One way to run a JVM: a label, its agent jar (null: no agent) and the agent options. */
  private record Setup(String label, Path jar, String agentOptions) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length >= 1 && args[0].equals("--work")) {
      work(MapKind.valueOf(args[1]));
      return;
    }
    List<Setup> setups = new ArrayList<>();
    MapKind impl;
    int rounds = 4;
    try {
      impl = MapKind.valueOf(args[0]);
      Path jar = BuiltJar.agent();
      setups.add(new Setup("no agent", null, null));
      setups.add(new Setup("agent", jar, ""));
      for (int i = 1; i < args.length; i++) {
        if (args[i].equals("--options") && i + 1 < args.length) {
          setups.add(new Setup("agent " + args[i + 1], jar, args[++i]));
        } else if (args[i].equals("--jar") && i + 1 < args.length) {
          Path other = Path.of(args[++i]).toAbsolutePath();
          if (!Files.isRegularFile(other)) {
            throw new IllegalArgumentException("agent jar not found: " + other);
          }
          setups.add(new Setup("agent " + other.getFileName(), other, ""));
        } else {
          rounds = Integer.parseInt(args[i]);
        }
      }
    } catch (RuntimeException e) {
      System.err.println(
          "LibraryCpuOverhead: IMPL [ROUNDS] [--options OPTS]... [--jar AGENT_JAR]...: " + e);
      System.exit(2);
      return;
    }
    Path out = Files.createTempDirectory("tombscope-cpu-overhead-");
    Map<Setup, List<double[]>> scores = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < setups.size(); i++) {
        Setup setup = setups.get((i + round) % setups.size());
        List<String> command = new ArrayList<>();
        if (setup.jar() != null) {
          command.add(AgentOverhead.javaagent(setup.jar(), recorded(setup), out, round));
        }
        command.addAll(
            List.of(
                "-cp",
                ChildJvm.classPath(),
                LibraryCpuOverhead.class.getName(),
                "--work",
                "" + impl));
        ChildJvm.Outcome outcome = ChildJvm.run(command, null);
        String last =
            outcome.stdout().isEmpty() ? "" : outcome.stdout().get(outcome.stdout().size() - 1);
        String[] words = last.split(" ");
        if (outcome.exitCode() != 0 || words.length != 2) {
          System.err.println(
              "LibraryCpuOverhead: "
                  + setup.label()
                  + " exited "
                  + outcome.exitCode()
                  + ": "
                  + last);
          System.exit(1);
        }
        double[] score = {Double.parseDouble(words[0]), Double.parseDouble(words[1])};
        scores.computeIfAbsent(setup, k -> new ArrayList<>()).add(score);
        System.out.printf(
            Locale.ROOT,
            "round %d  %-28s churn %7.2f ns/pair  putNew %7.2f ns/put%n",
            round + 1,
            setup.label(),
            score[0],
            score[1]);
        if (outcome.stdout().size() >= 2) {
          System.out.println("         " + outcome.stdout().get(outcome.stdout().size() - 2));
        }
      }
    }
    System.out.println();
    System.out.println(
        "Thread CPU of fixed work on "
            + impl
            + ", "
            + rounds
            + " alternated rounds (ratio = with agent / without, per round: median and range;"
            + " then the ratio of the JVMs' medians)");
    List<double[]> base = scores.get(setups.get(0));
    boolean recorded = true;
    for (Setup setup : setups.subList(1, setups.size())) {
      List<double[]> s = scores.get(setup);
      System.out.printf(
          Locale.ROOT,
          "%-28s churn %s  putNew %s%n",
          setup.label(),
          ratios(s, base, 0),
          ratios(s, base, 1));
      recorded &= AgentOverhead.reportRecordings(out, recorded(setup));
    }
    if (!recorded) {
      System.exit(1);
    }
  }

  /** {@code setup} as {@link AgentOverhead} names and reads an agent's recordings. */
  private static AgentOverhead.Setup recorded(Setup setup) {
    return new AgentOverhead.Setup(setup.label(), setup.agentOptions(), Double.NaN, true);
  }

  /**
   * The median of the per-round ratios and their range, then the ratio of the medians of the JVMs'
   * own scores: a JVM's compilation settles in one of a few speeds and stays there, so a round's
   * ratio can compare two different ones.
   */
  private static String ratios(List<double[]> scores, List<double[]> base, int column) {
    double[] r = new double[scores.size()];
    double[] own = new double[r.length];
    double[] theirs = new double[r.length];
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (int i = 0; i < r.length; i++) {
      own[i] = scores.get(i)[column];
      theirs[i] = base.get(i)[column];
      r[i] = own[i] / theirs[i];
      lo = Math.min(lo, r[i]);
      hi = Math.max(hi, r[i]);
    }
    return String.format(
        Locale.ROOT,
        "%.2fx (%.2f-%.2f), medians %.2fx",
        AlternatedRuns.median(r),
        lo,
        hi,
        AlternatedRuns.median(own) / AlternatedRuns.median(theirs));
  }

  /** In the child: the fixed work, then one line with churn ns per pair and put ns per put. */
  private static void work(MapKind impl) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MapChurn churn = new MapChurn();
    churn.impl = impl;
    churn.size = 1000;
    churn.fill();
    MapWrites writes = new MapWrites();
    writes.impl = impl;
    writes.keys();
    double[] churnNanos = new double[PASSES];
    double[] putNanos = new double[PASSES];
    long sink = 0;
    for (int pass = 0; pass < PASSES; pass++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < CHURN_CALLS; i++) {
        sink += churn.churn().size();
      }
      long middle = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < PUT_MAPS; i++) {
        sink += writes.putNew().size();
      }
      long end = threads.getCurrentThreadCpuTime();
      churnNanos[pass] = (middle - start) / (double) (CHURN_CALLS * 1024L);
      putNanos[pass] = (end - middle) / (double) (PUT_MAPS * 65_536L);
    }
    // Every pass, for a look at the warm-up and at modes between compilations; the last line is
    // what the parent reads.
    StringBuilder passes = new StringBuilder("passes (churn/putNew):");
    for (int pass = 0; pass < PASSES; pass++) {
      passes.append(String.format(Locale.ROOT, " %.1f/%.1f", churnNanos[pass], putNanos[pass]));
    }
    System.out.println(sink == 42 ? passes + "!" : passes);
    System.out.printf(
        Locale.ROOT,
        "%.3f %.3f%n",
        AlternatedRuns.median(java.util.Arrays.copyOfRange(churnNanos, PASSES - MEASURED, PASSES)),
        AlternatedRuns.median(java.util.Arrays.copyOfRange(putNanos, PASSES - MEASURED, PASSES)));
  }
}
