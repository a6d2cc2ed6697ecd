package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.jvm.AlternatedRuns;
import io.tombscope.benchmarks.jvm.BuiltJar;
import io.tombscope.benchmarks.jvm.ChildJvm;
import io.tombscope.benchmarks.map.Keys;
import io.tombscope.benchmarks.map.MapKind;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's overhead on one map as thread CPU time of a fixed amount of work, for a machine too
 * loaded for JMH: time spent waiting for a core is not CPU time of the thread. Each round runs one
 * JVM of each setup (no agent, the agent's defaults, each {@code --options OPTS} and each other
 * agent jar given by {@code --jar PATH}), their order rotated from round to round. Each JVM does 6
 * repetitions of the work of {@code MapChurn.churn} (2,000,000 pairs of one remove and one put,
 * 1,000 live keys sliding over a ring of 2,000) and of {@code MapWrites.putNew} (40 new maps filled
 * with 65,536 keys), times each with {@link ThreadMXBean#getCurrentThreadCpuTime()} and reports the
 * median of the last 3; the ratios are to the JVM without the agent of the same round.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.CpuOverhead \
 *     [--options OPTS]... [--jar PATH]... IMPL [ROUNDS]</pre>
 *
 * <p>{@code IMPL} is a {@link MapKind} (for instance {@code EclipseLongLongMap}); {@code ROUNDS}
 * defaults to 4. The agent jar is found as {@link AgentOverhead} finds it. An agent JVM that wrote
 * no recording fails the run: a ratio near 1 must not come from an agent that did not load.
 */
public final class CpuOverhead {
  private static final int REPETITIONS = 12;
  private static final int MEASURED = 8;
  private static final int CHURN_PAIRS = 2_000_000;
  private static final int CHURN_SIZE = 1000;
  private static final int PUT_MAPS = 40;
  private static final int PUT_KEYS = 1 << 16;

  private CpuOverhead() {}

  /** One JVM setup: a label, the agent jar (null: no agent) and its options. */
  private record Setup(String label, Path jar, String options) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length == 2 && args[0].equals("--child")) {
      child(MapKind.valueOf(args[1]));
      return;
    }
    List<Setup> setups = new ArrayList<>();
    Path jar;
    try {
      jar = BuiltJar.agent();
    } catch (IllegalStateException e) {
      System.err.println("CpuOverhead: " + e.getMessage());
      System.exit(2);
      return;
    }
    setups.add(new Setup("no agent", null, ""));
    setups.add(new Setup("agent", jar, ""));
    int i = 0;
    for (; i + 1 < args.length && args[i].startsWith("--"); i += 2) {
      if (args[i].equals("--options")) {
        setups.add(new Setup("agent " + args[i + 1], jar, args[i + 1]));
      } else if (args[i].equals("--jar")) {
        Path other = Path.of(args[i + 1]).toAbsolutePath();
        setups.add(new Setup("agent " + other.getFileName(), other, ""));
      } else {
        break;
      }
    }
    if (i >= args.length || i + 2 < args.length) {
      System.err.println(
          "usage: CpuOverhead [--options OPTS]... [--jar PATH]... IMPL [ROUNDS]  (IMPL one of "
              + Arrays.toString(MapKind.values())
              + ")");
      System.exit(2);
      return;
    }
    MapKind impl = MapKind.valueOf(args[i]);
    int rounds = i + 1 < args.length ? Integer.parseInt(args[i + 1]) : 4;
    run(impl, rounds, setups);
  }

  private static void run(MapKind impl, int rounds, List<Setup> setups)
      throws IOException, InterruptedException {
    Path out = Files.createTempDirectory("tombscope-cpu-overhead-");
    // results[round][setup] = {churn, put} ns/op
    double[][][] results = new double[rounds][setups.size()][];
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < setups.size(); k++) {
        int s = (k + round) % setups.size();
        Setup setup = setups.get(s);
        List<String> command = new ArrayList<>();
        Path recording = out.resolve(round + "-" + s);
        if (setup.jar() != null) {
          String options =
              "out=" + recording + (setup.options().isEmpty() ? "" : "," + setup.options());
          command.add(BuiltJar.javaagent(setup.jar(), options));
        }
        command.addAll(
            List.of(
                "-cp", ChildJvm.classPath(), CpuOverhead.class.getName(), "--child", impl.name()));
        ChildJvm.Outcome o = ChildJvm.run(command, null);
        if (o.exitCode() != 0 || o.stdout().isEmpty()) {
          throw new IllegalStateException(setup.label() + ": the child exited " + o.exitCode());
        }
        if (setup.jar() != null && !Files.isDirectory(recording)) {
          throw new IllegalStateException(setup.label() + ": no recording, the agent did not load");
        }
        String[] f = o.stdout().get(o.stdout().size() - 1).split(" ");
        results[round][s] = new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[3])};
        System.out.printf(
            Locale.ROOT,
            "round %d  %-32s churn %7.2f ns/pair  put %7.2f ns/op%n",
            round + 1,
            setup.label(),
            results[round][s][0],
            results[round][s][1]);
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Thread CPU of fixed work on %s, %d rounds alternated (ratio = with agent / without,"
            + " per round; median)%n",
        impl,
        rounds);
    for (int s = 1; s < setups.size(); s++) {
      for (int w = 0; w < 2; w++) {
        double[] ratios = new double[rounds];
        StringBuilder each = new StringBuilder();
        for (int round = 0; round < rounds; round++) {
          ratios[round] = results[round][s][w] / results[round][0][w];
          each.append(String.format(Locale.ROOT, " %.2f", ratios[round]));
        }
        double best = Double.MAX_VALUE;
        double bestWithout = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
          best = Math.min(best, results[round][s][w]);
          bestWithout = Math.min(bestWithout, results[round][0][w]);
        }
        System.out.printf(
            Locale.ROOT,
            "%-32s %-6s%s  (median %.2f; best JVM of each %.2f: %.2f against %.2f ns)%n",
            setups.get(s).label(),
            w == 0 ? "churn" : "put",
            each,
            AlternatedRuns.median(ratios),
            best / bestWithout,
            best,
            bestWithout);
      }
    }
  }

  /** The work, in this JVM: prints {@code churn NS put NS}, the least of the last repetitions. */
  private static void child(MapKind impl) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Long[] ring = Keys.distinct(2 * CHURN_SIZE, 5);
    Long[] keys = Keys.distinct(PUT_KEYS, 3);
    Map<Long, Long> churned = impl.create();
    for (int i = 0; i < CHURN_SIZE; i++) {
      churned.put(ring[i], ring[i]);
    }
    double[] churn = new double[REPETITIONS];
    double[] put = new double[REPETITIONS];
    int out = 0;
    long sink = 0;
    for (int r = 0; r < REPETITIONS; r++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < CHURN_PAIRS; i++) {
        churned.remove(ring[out]);
        int in = out + CHURN_SIZE;
        Long k = ring[in >= ring.length ? in - ring.length : in];
        churned.put(k, k);
        if (++out == ring.length) {
          out = 0;
        }
      }
      long mid = threads.getCurrentThreadCpuTime();
      for (int m = 0; m < PUT_MAPS; m++) {
        Map<Long, Long> map = impl.create();
        for (Long k : keys) {
          map.put(k, k);
        }
        sink += map.size();
      }
      long end = threads.getCurrentThreadCpuTime();
      churn[r] = (mid - start) / (double) CHURN_PAIRS;
      put[r] = (end - mid) / (double) (PUT_MAPS * PUT_KEYS);
    }
    if (sink != (long) REPETITIONS * PUT_MAPS * PUT_KEYS || churned.size() != CHURN_SIZE) {
      throw new IllegalStateException("the maps lost keys");
    }
    double[] lastChurn = Arrays.copyOfRange(churn, REPETITIONS - MEASURED, REPETITIONS);
    double[] lastPut = Arrays.copyOfRange(put, REPETITIONS - MEASURED, REPETITIONS);
    System.out.printf(
        Locale.ROOT,
        "churn %.3f put %.3f%n",
        Arrays.stream(lastChurn).min().orElse(0),
        Arrays.stream(lastPut).min().orElse(0));
  }
}
