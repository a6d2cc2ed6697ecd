package io.tombscope.benchmarks.agent;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's overhead as the thread CPU time of fixed work, which waiting for a core does not
 * count: where other processes load the machine, JMH's wall-clock scores are noise, this is not.
 * Each round runs one JVM per setup, their order rotated from round to round; each JVM times, with
 * {@code ThreadMXBean.getCurrentThreadCpuTime()}, 6 rounds of {@value #CHURN_CALLS} calls of {@code
 * MapChurn.churn} (1,024 pairs each, 1,000 live keys sliding over a ring of 2,000) and of {@value
 * #PUT_MAPS} calls of {@code MapWrites.putNew} (a new map filled with 65,536 new keys each), and
 * reports the median of the last 3, in nanoseconds per operation. The table gives each agent
 * setup's ratio to the JVM without the agent of the same round, and their median.
 *
 * <p>Run by the third-party families' programs with a leading {@code --cpu ROUNDS}, for instance
 * {@code JctoolsAgentOverhead --cpu 5}.
 */
final class ThreadCpuWork {
  // Calls of MapChurn.churn, 1,024 pairs each.
  static final int CHURN_CALLS = 2048;
  static final int PUT_MAPS = 40;
  private static final int SIZE = 1000;
  private static final int REPEATS = 6;
  private static final int KEPT = 3;

  private ThreadCpuWork() {}

  /** In the child JVM: {@code MAPKIND}; prints {@code churn NS put NS}. */
  public static void main(String[] args) {
    MapKind kind = MapKind.valueOf(args[0]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] churn = new double[REPEATS];
    double[] put = new double[REPEATS];
    // The benchmarks' own state and methods, so that the work is theirs exactly.
    MapChurn churning = new MapChurn();
    churning.impl = kind;
    churning.size = SIZE;
    churning.fill();
    MapWrites writing = new MapWrites();
    writing.impl = kind;
    writing.keys();
    long sink = 0;
    for (int r = 0; r < REPEATS; r++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < CHURN_CALLS; i++) {
        sink += churning.churn().size();
      }
      churn[r] = (threads.getCurrentThreadCpuTime() - start) / (double) (CHURN_CALLS * 1024L);
      start = threads.getCurrentThreadCpuTime();
      for (int m = 0; m < PUT_MAPS; m++) {
        sink += writing.putNew().size();
      }
      put[r] = (threads.getCurrentThreadCpuTime() - start) / (double) (PUT_MAPS * 65536L);
    }
    System.out.printf(
        Locale.ROOT,
        "churn %.3f put %.3f%n",
        medianOfLast(churn),
        medianOfLast(put) + (sink == 0 ? 1 : 0));
  }

  private static double medianOfLast(double[] values) {
    double[] last = Arrays.copyOfRange(values, values.length - KEPT, values.length);
    Arrays.sort(last);
    return last[KEPT / 2];
  }

  /** In the parent: {@code rounds} rounds of the setups on map {@code impl}, and the ratios. */
  static void run(int rounds, String impl, List<AgentOverhead.Setup> setups)
      throws IOException, InterruptedException {
    Path jar = BuiltJar.agent();
    Path out = Files.createTempDirectory("tombscope-cpu-");
    Map<AgentOverhead.Setup, List<double[]>> results = new LinkedHashMap<>();
    System.out.printf(
        Locale.ROOT,
        "Thread CPU of fixed work on %s, ns per churn pair and per put; load average %s%n",
        impl,
        loadAverage());
    for (int round = 0; round < rounds; round++) {
      double[][] scores = new double[setups.size()][];
      for (int j = 0; j < setups.size(); j++) {
        int s = (j + round) % setups.size();
        AgentOverhead.Setup setup = setups.get(s);
        List<String> command = new ArrayList<>();
        if (setup.agentOptions() != null) {
          command.add(setup.javaagent(jar, out.resolve("r" + round + "-" + s).toString()));
        }
        command.addAll(List.of("-cp", ChildJvm.classPath(), ThreadCpuWork.class.getName(), impl));
        ChildJvm.Outcome o = ChildJvm.run(command, null);
        String line = o.stdout().isEmpty() ? "" : o.stdout().get(o.stdout().size() - 1);
        String[] f = line.split(" ");
        if (o.exitCode() != 0 || f.length != 4) {
          throw new IllegalStateException(
              "the child JVM of " + setup.label() + " exited " + o.exitCode() + ": " + line);
        }
        scores[s] = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[3])};
      }
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d:", round + 1));
      for (int s = 0; s < setups.size(); s++) {
        results.computeIfAbsent(setups.get(s), k -> new ArrayList<>()).add(scores[s]);
        line.append(
            String.format(
                Locale.ROOT,
                "  %s churn %.2f put %.2f",
                setups.get(s).label(),
                scores[s][0],
                scores[s][1]));
      }
      System.out.println(line + "  (load " + loadAverage() + ")");
    }
    List<double[]> base = results.get(setups.get(0));
    for (AgentOverhead.Setup setup : setups.subList(1, setups.size())) {
      List<double[]> mine = results.get(setup);
      for (int metric = 0; metric < 2; metric++) {
        double[] ratios = new double[rounds];
        StringBuilder each = new StringBuilder();
        for (int r = 0; r < rounds; r++) {
          ratios[r] = mine.get(r)[metric] / base.get(r)[metric];
          each.append(String.format(Locale.ROOT, r == 0 ? "%.2f" : ", %.2f", ratios[r]));
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        double median =
            rounds % 2 == 1
                ? sorted[rounds / 2]
                : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
        System.out.printf(
            Locale.ROOT,
            "%-24s %-6s ratio per round %s; median %.2f (target %.2f)%n",
            setup.label(),
            metric == 0 ? "churn" : "put",
            each,
            median,
            setup.targetRatio());
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
