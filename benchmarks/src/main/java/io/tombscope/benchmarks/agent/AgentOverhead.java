package io.tombscope.benchmarks.agent;

import io.tombscope.benchmarks.jvm.BuiltJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The agent's overhead on {@code BucketHashMap}: the churn, get and put benchmarks of the {@code
 * map} package run three times in one process, in forks without the agent, with the agent's
 * defaults and with {@code sample=1} (every delete and evacuation step timed), and a table of the
 * ratios {@code agent / no agent} follows. JMH cannot vary JVM arguments through {@code @Param},
 * hence one JMH run per setup and fork: with {@code -f N}, N rounds of one fork of each setup in
 * turn, so that the forks of the setups alternate, and the spread of the per-round ratios.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.AgentOverhead \
 *     -f 1 -wi 3 -w 1s -i 5 -r 1s</pre>
 *
 * <p>With {@code --prometheus} first, the third setup is the agent's defaults with its Prometheus
 * endpoint on ({@code prometheus=0}), scraped every second by this process while it runs. Each
 * {@code --options OPTS} first adds a setup with those agent options (and, without {@code
 * --prometheus}, replaces {@code sample=1}), for instance {@code --options callsites=off}.
 *
 * <p>Arguments are JMH's own command-line options (forks, iterations, times). The agent jar comes
 * from {@code -Dtombscope.agent.jar}, by default {@code agent/target/tombscope-agent.jar} relative
 * to the working directory. Each agent fork writes its recording to a temporary directory, and the
 * run fails if the agent recorded no deletes: a ratio near 1 must not come from an agent that did
 * not load.
 */
public final class AgentOverhead {
  static final String BENCHMARKS =
      "io\\.tombscope\\.benchmarks\\.map\\.(MapChurn\\.churn|MapReads\\.getHit|MapWrites\\.putNew)$";

  /**
   * One way to run the forks: a label, the agent options (null: no agent), the target ratio, and
   * whether the benchmark's own maps must show up in the recording (false where they are tracked
   * only by chance, one in {@code jdksample}).
   */
  record Setup(String label, String agentOptions, double targetRatio, boolean recordsMaps) {
    /** The {@code -javaagent} argument of this setup, its recording going to {@code recording}. */
    String javaagent(Path jar, String recording) {
      return BuiltJar.javaagent(
          jar, agentOptions.isEmpty() ? "out=" + recording : agentOptions + ",out=" + recording);
    }
  }

  static final List<Setup> SETUPS =
      List.of(
          new Setup("no agent", null, Double.NaN, false),
          new Setup("agent", "", 1.05, true),
          new Setup("agent sample=1", "sample=1", 1.5, true));

  /** The endpoint on and scraped every second, against the same target as the defaults. */
  static final List<Setup> PROMETHEUS_SETUPS =
      List.of(
          new Setup("no agent", null, Double.NaN, false),
          new Setup("agent", "", 1.05, true),
          new Setup("agent prometheus=0", "prometheus=0", 1.05, true));

  private AgentOverhead() {}

  public static void main(String[] args) throws IOException, RunnerException {
    Parsed parsed = parse(args);
    run(parsed.jmhArgs(), "BucketHashMap", parsed.setups());
  }

  /** The setups that the leading options choose, and the JMH options after them. */
  record Parsed(List<Setup> setups, String[] jmhArgs) {}

  /**
   * {@code --prometheus} runs the endpoint's setup instead of {@code sample=1}; each {@code
   * --options OPTS} (agent options, comma-separated) runs one instead of it too, against the
   * defaults' target, to see what a choice of options costs.
   */
  static Parsed parse(String[] args) {
    boolean prometheus = false;
    List<Setup> chosen = new ArrayList<>();
    int i = 0;
    for (; i < args.length; i++) {
      if (args[i].equals("--prometheus")) {
        prometheus = true;
      } else if (args[i].equals("--options") && i + 1 < args.length) {
        chosen.add(optionsSetup(args[++i], 1.05));
      } else {
        break;
      }
    }
    List<Setup> setups;
    if (prometheus) {
      setups = new ArrayList<>(PROMETHEUS_SETUPS);
      setups.addAll(chosen);
    } else if (chosen.isEmpty()) {
      setups = SETUPS;
    } else {
      setups = new ArrayList<>(SETUPS.subList(0, 2));
      setups.addAll(chosen);
    }
    return new Parsed(List.copyOf(setups), Arrays.copyOfRange(args, i, args.length));
  }

  private static Setup optionsSetup(String options, double targetRatio) {
    return new Setup("agent " + options, options, targetRatio, true);
  }

  /**
   * The setups of a third-party family's benchmark ({@code base}: no agent, and the defaults), each
   * leading {@code --options OPTS} adding one with those agent options against the defaults'
   * target, and the JMH options after them.
   */
  static Parsed parseLibrary(String[] args, List<Setup> base) {
    List<Setup> setups = new ArrayList<>(base);
    int i = 0;
    for (; i + 1 < args.length && args[i].equals("--options"); i += 2) {
      setups.add(optionsSetup(args[i + 1], base.get(base.size() - 1).targetRatio()));
    }
    return new Parsed(List.copyOf(setups), Arrays.copyOfRange(args, i, args.length));
  }

  /**
   * Runs a third-party family's benchmarks on map {@code impl}: {@link #parseLibrary}'s setups. A
   * leading {@code --cpu ROUNDS} measures them as {@link ThreadCpuWork} does instead of with JMH.
   */
  static void runLibrary(String[] args, String impl, List<Setup> base)
      throws IOException, RunnerException {
    int cpuRounds = 0;
    if (args.length >= 2 && args[0].equals("--cpu")) {
      try {
        cpuRounds = Integer.parseInt(args[1]);
      } catch (NumberFormatException e) {
        cpuRounds = -1;
      }
      if (cpuRounds < 1) {
        System.err.println("AgentOverhead: --cpu takes a number of rounds, got " + args[1]);
        System.exit(2);
      }
      args = Arrays.copyOfRange(args, 2, args.length);
    }
    Parsed parsed = parseLibrary(args, base);
    if (cpuRounds == 0) {
      run(parsed.jmhArgs(), impl, parsed.setups());
      return;
    }
    try {
      ThreadCpuWork.run(cpuRounds, impl, parsed.setups());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      System.err.println("AgentOverhead: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Runs the benchmarks of map {@code impl} under each setup and prints the ratios. */
  static void run(String[] args, String impl, List<Setup> setups)
      throws IOException, RunnerException {
    CommandLineOptions cli;
    Path jar;
    try {
      cli = new CommandLineOptions(args);
      jar = BuiltJar.agent();
    } catch (CommandLineOptionException | IllegalStateException e) {
      System.err.println("AgentOverhead: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path out = Files.createTempDirectory("tombscope-overhead-");
    Scraper scraper = new Scraper(out);
    // Forks of the setups alternate (one fork of each in turn, round after round), so that the
    // machine's drift falls on all of them alike; each benchmark's forks are then aggregated as
    // JMH aggregates the forks of one run.
    int rounds = cli.getForkCount().orElse(1);
    Map<Setup, Map<String, List<BenchmarkResult>>> forks = new LinkedHashMap<>();
    Map<Setup, Map<String, List<Double>>> roundScores = new LinkedHashMap<>();
    Map<String, BenchmarkParams> params = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Setup setup : setups) {
        ChainedOptionsBuilder options =
            new OptionsBuilder()
                .parent(cli)
                .include(BENCHMARKS)
                .param("impl", impl)
                .param("size", "1000")
                .forks(1);
        if (setup.agentOptions() != null) {
          String recording = out.resolve(directoryName(setup) + "." + round + ".%pid").toString();
          options.jvmArgsAppend(setup.javaagent(jar, recording));
        }
        for (RunResult r : new Runner(options.build()).run()) {
          String label = label(r);
          params.putIfAbsent(label, r.getParams());
          forks
              .computeIfAbsent(setup, k -> new LinkedHashMap<>())
              .computeIfAbsent(label, k -> new ArrayList<>())
              .addAll(r.getBenchmarkResults());
          roundScores
              .computeIfAbsent(setup, k -> new LinkedHashMap<>())
              .computeIfAbsent(label, k -> new ArrayList<>())
              .add(r.getPrimaryResult().getScore());
        }
      }
    }
    scraper.close();
    Map<Setup, Map<String, Result<?>>> results = new LinkedHashMap<>();
    for (Setup setup : setups) {
      Map<String, Result<?>> byBenchmark = new LinkedHashMap<>();
      forks
          .getOrDefault(setup, Map.of())
          .forEach(
              (label, data) ->
                  byBenchmark.put(
                      label, new RunResult(params.get(label), data).getPrimaryResult()));
      results.put(setup, byBenchmark);
    }
    System.out.println();
    System.out.println(
        "Agent overhead on " + impl + " (ratio = with agent / without; lower is better)");
    System.out.print(table(results));
    System.out.print(spread(roundScores, rounds));
    System.out.println();
    boolean recorded = true;
    for (Setup setup : setups) {
      if (setup.agentOptions() != null) {
        recorded &= reportRecordings(out, setup);
      }
      if (setup.agentOptions() != null && setup.agentOptions().contains("prometheus=")) {
        System.out.printf(Locale.ROOT, "%s: %,d pages scraped%n", setup.label(), scraper.pages());
        if (scraper.pages() == 0) {
          System.out.println(
              setup.label() + ": no endpoint answered, so its ratios do not measure it");
          recorded = false;
        }
      }
    }
    if (!recorded) {
      System.exit(1);
    }
  }

  private static String directoryName(Setup setup) {
    return setup.label().replaceAll("[^A-Za-z0-9]+", "-");
  }

  private static String label(RunResult r) {
    String benchmark = r.getParams().getBenchmark();
    String shortName =
        benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
    String size = r.getParams().getParam("size");
    return size == null ? shortName : shortName + " size=" + size;
  }

  /** The comparison table: each setup's score, and each agent setup's ratio to the first one. */
  static String table(Map<Setup, Map<String, Result<?>>> results) {
    StringBuilder sb = new StringBuilder();
    List<Setup> setups = new ArrayList<>(results.keySet());
    Setup base = setups.get(0);
    sb.append(String.format(Locale.ROOT, "%-28s", "benchmark"));
    for (Setup s : setups) {
      sb.append(String.format(Locale.ROOT, " %22s", s.label() + " ns/op"));
      if (s != base) {
        sb.append(String.format(Locale.ROOT, " %16s", "ratio (target)"));
      }
    }
    sb.append('\n');
    for (String benchmark : results.get(base).keySet()) {
      sb.append(String.format(Locale.ROOT, "%-28s", benchmark));
      Result<?> b = results.get(base).get(benchmark);
      for (Setup s : setups) {
        Result<?> r = results.get(s).get(benchmark);
        if (r == null) {
          sb.append(String.format(Locale.ROOT, " %22s", "(missing)"));
          continue;
        }
        sb.append(String.format(Locale.ROOT, " %22s", scoreText(r)));
        if (s != base) {
          double ratio = r.getScore() / b.getScore();
          sb.append(
              String.format(
                  Locale.ROOT,
                  " %16s",
                  String.format(
                      Locale.ROOT,
                      "%.2f (%.2f)%s",
                      ratio,
                      s.targetRatio(),
                      ratio <= s.targetRatio() ? "" : " !")));
        }
      }
      sb.append('\n');
    }
    sb.append("! = target missed\n");
    return sb.toString();
  }

  /** Each agent setup's ratio to the baseline round by round: its lowest and highest. */
  static String spread(Map<Setup, Map<String, List<Double>>> roundScores, int rounds) {
    StringBuilder sb = new StringBuilder();
    List<Setup> setups = new ArrayList<>(roundScores.keySet());
    if (setups.isEmpty() || rounds < 2) {
      return "";
    }
    Map<String, List<Double>> base = roundScores.get(setups.get(0));
    sb.append(rounds).append(" forks each, alternated; ratio per round, lowest-highest:\n");
    for (Setup s : setups.subList(1, setups.size())) {
      roundScores
          .get(s)
          .forEach(
              (label, scores) -> {
                double low = Double.MAX_VALUE;
                double high = 0;
                List<Double> b = base.get(label);
                for (int i = 0; b != null && i < Math.min(scores.size(), b.size()); i++) {
                  double ratio = scores.get(i) / b.get(i);
                  low = Math.min(low, ratio);
                  high = Math.max(high, ratio);
                }
                if (high > 0) {
                  sb.append(
                      String.format(
                          Locale.ROOT, "  %-22s %-28s %.2f-%.2f%n", s.label(), label, low, high));
                }
              });
    }
    return sb.toString();
  }

  private static String scoreText(Result<?> r) {
    double error = r.getScoreError();
    return Double.isNaN(error)
        ? String.format(Locale.ROOT, "%.2f", r.getScore())
        : String.format(Locale.ROOT, "%.2f ± %.2f", r.getScore(), error);
  }

  /** Prints what the agent recorded in the forks of {@code setup}; false if it recorded nothing. */
  private static boolean reportRecordings(Path out, Setup setup) throws IOException {
    List<Path> recordings;
    try (Stream<Path> dirs = Files.list(out)) {
      recordings =
          dirs.filter(d -> d.getFileName().toString().startsWith(directoryName(setup) + "."))
              .sorted()
              .toList();
    }
    long deleteHits = 0;
    int sites = 0;
    for (Path recording : recordings) {
      if (Files.isRegularFile(recording.resolve("events.jsonl"))
          || Files.isRegularFile(recording.resolve("events-00000.jsonl.gz"))) {
        RecordingEvents events = RecordingEvents.read(recording);
        deleteHits += events.deleteHits();
        var agent = events.last("agent");
        sites += agent == null ? 0 : agent.path("sitesTracked").asInt();
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%s: %d recordings under %s, %d allocation sites, %,d delete hits recorded%n",
        setup.label(),
        recordings.size(),
        out,
        sites,
        deleteHits);
    if (recordings.isEmpty()) {
      System.out.println(setup.label() + ": the agent wrote no recording, so it did not load");
      return false;
    }
    if (deleteHits == 0 && setup.recordsMaps()) {
      System.out.println(
          setup.label() + ": the agent recorded no deletes, so its ratios do not measure it");
      return false;
    }
    return true;
  }
}
