package io.tombscope.demo;

import io.tombscope.demo.scenarios.BulkLoadThenDrain;
import io.tombscope.demo.scenarios.ClearAndRefill;
import io.tombscope.demo.scenarios.EclipseSessions;
import io.tombscope.demo.scenarios.MissStorm;
import io.tombscope.demo.scenarios.OwnMapsPerThread;
import io.tombscope.demo.scenarios.Scenario;
import io.tombscope.demo.scenarios.SteadyChurn;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs workloads with the delete patterns that real services have, on {@code BucketHashMap} and,
 * for comparison, {@code java.util.HashMap}, and one on a third-party map (Eclipse Collections'
 * {@code LongObjectHashMap}). Prints progress, then one {@code GROUND-TRUTH} line per scenario and
 * map kind with exact counts. Runs with or without the Tombscope agent.
 */
@Command(
    name = "tombscope-demo",
    mixinStandardHelpOptions = true,
    description = "Delete patterns from real services, for Tombscope to record.")
public final class DemoApp implements Callable<Integer> {
  static final List<String> SCENARIOS =
      List.of("churn", "drain", "miss-storm", "clear-refill", "threads", "ec-sessions");

  @Option(
      names = "--scenario",
      defaultValue = "all",
      description =
          "all, or one of: churn, drain, miss-storm, clear-refill, threads, ec-sessions"
              + " (default: ${DEFAULT-VALUE})")
  String scenario;

  @Option(
      names = "--duration",
      defaultValue = "30s",
      description = "total running time (default: ${DEFAULT-VALUE})")
  String duration;

  @Option(
      names = "--size",
      defaultValue = "50000",
      description =
          "live entries per map (default: ${DEFAULT-VALUE}); the drain loads 20 times as many")
  int size;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "worker threads in the threads scenario (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "random seed (default: ${DEFAULT-VALUE})")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoApp()).execute(args));
  }

  @Override
  public Integer call() {
    PrintStream out = System.out;
    List<String> names = scenario.equals("all") ? SCENARIOS : List.of(scenario);
    for (String n : names) {
      if (!SCENARIOS.contains(n)) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "unknown scenario '" + n + "'; use one of " + SCENARIOS);
      }
    }
    if (size < 16 || threads < 1) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--size must be >= 16 and --threads >= 1");
    }
    Duration total = parseDuration(duration);
    Duration each = total.dividedBy(names.size());
    List<GroundTruth> truths = new ArrayList<>();
    for (String n : names) {
      out.printf(Locale.ROOT, "[%s] running for %.1f s%n", n, each.toMillis() / 1000.0);
      truths.addAll(create(n, out).run(each));
    }
    for (GroundTruth t : truths) {
      out.println(t.line());
    }
    out.flush();
    return 0;
  }

  private Scenario create(String name, PrintStream out) {
    return switch (name) {
      case "churn" -> new SteadyChurn(size, seed, out);
      case "drain" -> new BulkLoadThenDrain(size, seed, out);
      case "miss-storm" -> new MissStorm(size, seed, out);
      case "clear-refill" -> new ClearAndRefill(size, seed, out);
      case "threads" -> new OwnMapsPerThread(size, threads, seed, out);
      case "ec-sessions" -> new EclipseSessions(size, seed, out);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(
            Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(
          new CommandLine(new DemoApp()),
          "--duration '" + text + "' is not a duration like 30s or 2m");
    }
  }
}
