package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.jvm.BuiltJar;
import io.tombscope.benchmarks.jvm.ChildJvm;
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
import java.util.concurrent.ConcurrentHashMap;
import org.jctools.maps.NonBlockingHashMap;

/**
 * The agent's cost on one concurrent map that several threads churn at once, the way a service's
 * shared cache is used: a {@code ConcurrentHashMap}, or JCTools' {@code NonBlockingHashMap}. The
 * map holds 100,000 keys (so a {@code ConcurrentHashMap}'s table grows past {@code jdkgrow} and the
 * agent's defaults track it; a JCTools map is always tracked), and each thread removes its own keys
 * and puts back those it missed, {@value #OPS} times. Each child JVM reports the thread CPU time
 * per operation of the best of its last {@value #KEPT} rounds, averaged over its threads; rounds
 * alternate the JVM without the agent and the one with its defaults, and the table gives the ratio
 * of each round.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.ConcurrentChurn \
 *     [ROUNDS [THREADS [ConcurrentHashMap|NonBlockingHashMap]]]</pre>
 */
public final class ConcurrentChurn {
  private static final int KEYS = 100_000;
  private static final int OPS = 20_000_000;
  private static final int ROUNDS_PER_JVM = 5;
  private static final int KEPT = 3;

  private ConcurrentChurn() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Integer.parseInt(args[1]), args[2]);
      return;
    }
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    String kind = args.length > 2 ? args[2] : "ConcurrentHashMap";
    newMap(kind); // rejects an unknown one here, not in the children
    Path jar = BuiltJar.agent();
    Path out = Files.createTempDirectory("tombscope-concurrent-");
    System.out.printf(
        Locale.ROOT,
        "%s churned by %d threads, thread CPU ns per operation (remove, or put after a miss)%n",
        kind,
        threads);
    double[] ratios = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      double[] ns = new double[2];
      for (int j = 0; j < 2; j++) {
        int s = (j + round) % 2;
        List<String> command = new ArrayList<>();
        if (s == 1) {
          command.add(BuiltJar.javaagent(jar, "out=" + out.resolve("r" + round)));
        }
        command.addAll(
            List.of(
                "-cp",
                ChildJvm.classPath(),
                ConcurrentChurn.class.getName(),
                "--child",
                String.valueOf(threads),
                kind));
        ChildJvm.Outcome o = ChildJvm.run(command, null);
        String line = o.stdout().isEmpty() ? "" : o.stdout().get(o.stdout().size() - 1);
        if (o.exitCode() != 0 || !line.startsWith("ns ")) {
          throw new IllegalStateException(
              "the child JVM "
                  + (s == 1 ? "with" : "without")
                  + " the agent exited "
                  + o.exitCode()
                  + ": "
                  + line);
        }
        ns[s] = Double.parseDouble(line.substring(3));
      }
      ratios[round] = ns[1] / ns[0];
      System.out.printf(
          Locale.ROOT,
          "round %d: no agent %.1f  agent %.1f  ratio %.2f%n",
          round + 1,
          ns[0],
          ns[1],
          ratios[round]);
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "agent/no agent: median %.2f (lowest %.2f, highest %.2f)%n",
        sorted[rounds / 2],
        sorted[0],
        sorted[rounds - 1]);
  }

  private static Map<Long, Long> newMap(String kind) {
    return switch (kind) {
      case "ConcurrentHashMap" -> new ConcurrentHashMap<>();
      case "NonBlockingHashMap" -> new NonBlockingHashMap<>();
      default ->
          throw new IllegalArgumentException(
              "map: ConcurrentHashMap or NonBlockingHashMap, not " + kind);
    };
  }

  /** In the child JVM: prints {@code ns MEAN}. */
  private static void child(int threads, String kind) throws InterruptedException {
    Map<Long, Long> map = newMap(kind);
    for (long i = 0; i < KEYS; i++) {
      map.put(i, i);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] perOp = new double[threads];
    long[] sinks = new long[threads];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] =
          new Thread(
              () -> {
                // Thread 0 starts on keys the map holds, the others on keys it does not.
                long base = id * 1_000_000_000L;
                int perRound = OPS / ROUNDS_PER_JVM;
                long best = Long.MAX_VALUE;
                long sink = 0;
                for (int round = 0; round < ROUNDS_PER_JVM; round++) {
                  long start = mx.getCurrentThreadCpuTime();
                  for (int i = 0; i < perRound; i++) {
                    Long k = base + (i & 65535);
                    if (map.remove(k) == null) {
                      map.put(k, k);
                      sink++;
                    }
                  }
                  long cpu = mx.getCurrentThreadCpuTime() - start;
                  if (round >= ROUNDS_PER_JVM - KEPT) {
                    best = Math.min(best, cpu);
                  }
                }
                perOp[id] = best / (double) perRound;
                sinks[id] = sink;
              });
      workers[t].start();
    }
    for (Thread w : workers) {
      w.join();
    }
    double sum = 0;
    for (double p : perOp) {
      sum += p;
    }
    System.out.printf(
        Locale.ROOT, "ns %.3f%n", sum / threads + (Arrays.stream(sinks).sum() == -1 ? 1 : 0));
  }
}
