package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.benchmarks.jvm.AlternatedRuns;
import io.tombscope.benchmarks.jvm.BuiltJar;
import io.tombscope.benchmarks.jvm.ThreadCpu;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * What the agent costs real programs with its defaults: {@code javac} compiling the sources of a
 * library from Maven Central (commons-lang3, copied to {@code benchmarks/target/real-programs/} by
 * the build) and {@link CaffeineDriver}, each as whole processes with and without the agent,
 * alternated, {@code PAIRS} pairs (default 5) after one warm-up pair. Prints CPU and wall time
 * ratios with their spread over the pairs, and, since both run under {@link
 * io.tombscope.benchmarks.jvm.ThreadCpu}, where the CPU went by kind of thread (the program's own,
 * the JIT's, the collector's, the agent's); target: CPU within 1.05x.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.RealPrograms [PAIRS [AGENT_OPTIONS]]
 * </pre>
 *
 * <p>{@code -Dtombscope.sources.jar=PATH} compiles another sources jar (it must need nothing but
 * the JDK).
 */
public final class RealPrograms {
  private static final double CPU_TARGET = 1.05;
  private static final String SOURCES = "benchmarks/target/real-programs/commons-lang3-sources.jar";

  private RealPrograms() {}

  /** A program to time: its name and its {@code java} arguments. */
  private record Program(String name, List<String> args) {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int pairs = 5;
    String options = "";
    Path agentJar;
    Path sourcesJar;
    try {
      if (args.length > 2) {
        throw new IllegalArgumentException("usage: RealPrograms [PAIRS [AGENT_OPTIONS]]");
      }
      if (args.length > 0) {
        pairs = Arguments.positiveInt(args[0], "PAIRS");
      }
      if (args.length > 1) {
        options = args[1];
      }
      agentJar = BuiltJar.agent();
      sourcesJar = Path.of(System.getProperty("tombscope.sources.jar", SOURCES)).toAbsolutePath();
      if (!Files.isRegularFile(sourcesJar)) {
        throw new IllegalStateException(
            "sources jar not found: " + sourcesJar + " (run `mvn -pl benchmarks package`)");
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("RealPrograms: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path work = Files.createTempDirectory("tombscope-real-");
    Path argFile = extractSources(sourcesJar, work.resolve("src"));
    // Both run under ThreadCpu, which prints where the CPU went by kind of thread.
    String classPath = System.getProperty("java.class.path");
    String threadCpu = ThreadCpu.class.getName();
    List<String> javac =
        List.of(
            "-cp",
            classPath,
            threadCpu,
            "com.sun.tools.javac.Main",
            "-d",
            work.resolve("classes").toString(),
            "-proc:none",
            "-nowarn",
            "-Xlint:none",
            "-encoding",
            "UTF-8",
            "@" + argFile);
    List<String> caffeine = List.of("-cp", classPath, threadCpu, CaffeineDriver.class.getName());
    String agent =
        BuiltJar.javaagent(
            agentJar, "out=" + work.resolve("rec-%pid") + (options.isEmpty() ? "" : "," + options));
    System.out.printf(
        Locale.ROOT,
        "java %s, agent options: %s, %d pairs alternated (with the agent, without), medians%n",
        Runtime.version(),
        options.isEmpty() ? "defaults" : options,
        pairs);
    boolean met = true;
    for (Program program :
        List.of(
            new Program("javac " + sourcesJar.getFileName(), javac),
            new Program("Caffeine driver", caffeine))) {
      List<String> withAgent = new ArrayList<>();
      withAgent.add(agent);
      withAgent.addAll(program.args());
      List<AlternatedRuns.Pair> runs;
      try {
        runs = AlternatedRuns.run(withAgent, program.args(), 1, pairs);
      } catch (IllegalStateException e) {
        System.err.println("RealPrograms: " + e.getMessage());
        System.exit(1);
        return;
      }
      AlternatedRuns.Summary s = AlternatedRuns.summarize(runs);
      System.out.printf(Locale.ROOT, "%-28s %s%n", program.name(), s.describe());
      Map<String, double[]> byKind = AlternatedRuns.threadCpu(runs);
      if (byKind != null) {
        StringBuilder line = new StringBuilder("  cpu by thread, with vs without (median excess):");
        byKind.forEach(
            (kind, m) ->
                line.append(
                    String.format(
                        Locale.ROOT, " %s %.2f vs %.2f (%+.2f);", kind, m[0], m[1], m[2])));
        System.out.println(line.substring(0, line.length() - 1));
      }
      met &= s.cpuRatio() <= CPU_TARGET;
    }
    System.out.printf(
        Locale.ROOT, "target: cpu within %.2fx on both: %s%n", CPU_TARGET, met ? "met" : "MISSED");
    System.out.println("work files under " + work);
  }

  /**
   * Unpacks the {@code .java} files of {@code jar} (module-info aside) and lists them in a file.
   */
  private static Path extractSources(Path jar, Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    try (InputStream in = Files.newInputStream(jar);
        JarInputStream sources = new JarInputStream(in)) {
      for (JarEntry e; (e = sources.getNextJarEntry()) != null; ) {
        String name = e.getName();
        if (e.isDirectory() || !name.endsWith(".java") || name.endsWith("module-info.java")) {
          continue;
        }
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir)) {
          continue; // an entry that would land outside the directory
        }
        Files.createDirectories(file.getParent());
        Files.copy(sources, file);
        files.add(file.toString());
      }
    }
    Path argFile = dir.resolveSibling("sources.txt");
    Files.write(argFile, files);
    return argFile;
  }
}
