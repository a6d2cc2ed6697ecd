package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.benchmarks.jvm.AlternatedRuns;
import io.tombscope.benchmarks.jvm.BuiltJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the agent adds to a JVM's start: {@link HelloMap} as a whole process with and without the
 * agent, alternated, {@code PAIRS} pairs (default 9) after one warm-up pair, once with the agent's
 * defaults and once with {@code jdk=false}. Prints the medians, the median excess and the ratio
 * with its spread over the pairs. Targets: with the defaults at most +0.3 s of CPU and +0.2 s of
 * wall time; with {@code jdk=true} at most +0.5 s of CPU. A last row runs the defaults with a
 * program that stays alive {@value #LINGER_MILLIS} ms, long enough for the work the agent does in
 * the background (the JDK's maps, the MBean): what every longer-lived program pays once.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.AgentStartup [PAIRS]
 * </pre>
 *
 * <p>Run it with another {@code java} to measure that JVM (its children use the same one).
 */
public final class AgentStartup {
  private static final double CPU_TARGET = 0.3;
  private static final double WALL_TARGET = 0.2;
  private static final double JDK_CPU_TARGET = 0.5;
  private static final int LINGER_MILLIS = 3000;

  private AgentStartup() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int pairs = 9;
    Path jar;
    try {
      if (args.length > 1) {
        throw new IllegalArgumentException("usage: AgentStartup [PAIRS]");
      }
      if (args.length > 0) {
        pairs = Arguments.positiveInt(args[0], "PAIRS");
      }
      jar = BuiltJar.agent();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("AgentStartup: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path out = Files.createTempDirectory("tombscope-startup-");
    String classPath = System.getProperty("java.class.path");
    List<String> plain = List.of("-cp", classPath, HelloMap.class.getName());
    List<String> lingering =
        List.of("-cp", classPath, HelloMap.class.getName(), Integer.toString(LINGER_MILLIS));
    System.out.printf(
        Locale.ROOT,
        "java %s, %d pairs alternated (with the agent, without), medians%n",
        Runtime.version(),
        pairs);
    for (String options : List.of("", "jdk=false", "linger")) {
      boolean linger = options.equals("linger");
      List<String> program = linger ? lingering : plain;
      List<String> withAgent = new ArrayList<>();
      String given = linger || options.isEmpty() ? "" : "," + options;
      withAgent.add(BuiltJar.javaagent(jar, "out=" + out.resolve("rec-%pid") + given));
      withAgent.addAll(program);
      AlternatedRuns.Summary s;
      try {
        s = AlternatedRuns.summarize(AlternatedRuns.run(withAgent, program, 1, pairs));
      } catch (IllegalStateException e) {
        System.err.println("AgentStartup: " + e.getMessage());
        System.exit(1);
        return;
      }
      String name =
          linger
              ? "defaults, " + LINGER_MILLIS + " ms"
              : options.isEmpty() ? "defaults (jdk=true)" : options;
      System.out.printf(Locale.ROOT, "%-20s %s%n", name, s.describe());
      if (options.isEmpty()) {
        System.out.printf(
            Locale.ROOT,
            "  target: defaults add <= %.1f s cpu: %s; <= %.1f s wall: %s;"
                + " jdk=true adds <= %.1f s cpu: %s%n",
            CPU_TARGET,
            s.cpuExtra() <= CPU_TARGET ? "met" : "MISSED",
            WALL_TARGET,
            s.wallExtra() <= WALL_TARGET ? "met" : "MISSED",
            JDK_CPU_TARGET,
            s.cpuExtra() <= JDK_CPU_TARGET ? "met" : "MISSED");
      }
    }
    System.out.println("recordings under " + out);
  }
}
