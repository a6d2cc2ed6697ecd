package io.tombscope.benchmarks.agent;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The agent's heap with many allocation sites (target: at most {@value #TARGET_MIB} MiB at 1,000
 * sites). Runs {@link AllocationSites} in forked JVMs with the same heap settings, without and with
 * the agent, at one site (the agent's fixed cost) and at {@code SITES} sites (default 1,000), and
 * reports the difference in heap used after a full GC next to the agent's own {@code
 * heapBytesEstimate} from the last {@code agent} line of its recording.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.AgentHeapReport [SITES]
 * </pre>
 *
 * <p>The forks use the serial collector, whose heap-used figure after {@code System.gc()} counts
 * live objects only; the agent jar comes from {@code -Dtombscope.agent.jar} as in {@link
 * AgentOverhead}.
 */
public final class AgentHeapReport {
  static final int TARGET_MIB = 16;
  private static final long MIB = 1024 * 1024;
  private static final long INTERVAL_MILLIS = 200;
  private static final long WAIT_MILLIS = 5 * INTERVAL_MILLIS;

  private AgentHeapReport() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int sites = 1_000;
    Path jar;
    try {
      if (args.length > 1) {
        throw new IllegalArgumentException("usage: AgentHeapReport [SITES]");
      }
      if (args.length > 0) {
        sites = Arguments.positiveInt(args[0], "SITES");
      }
      jar = BuiltJar.agent();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("AgentHeapReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      report(jar, sites);
    } catch (IllegalStateException e) {
      System.err.println("AgentHeapReport: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void report(Path jar, int sites) throws IOException, InterruptedException {
    Path out = Files.createTempDirectory("tombscope-heap-");
    Measurement one = measure(jar, 1, out.resolve("one-site"));
    Measurement many = measure(jar, sites, out.resolve("sites-" + sites));
    System.out.printf(
        Locale.ROOT,
        "%-16s %14s %14s %14s %18s %8s%n",
        "",
        "without agent",
        "with agent",
        "difference",
        "agent's estimate",
        "tracked");
    for (Measurement m : List.of(one, many)) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %14s %14s %14s %18s %8d%n",
          String.format(Locale.ROOT, "%,d site%s", m.sites(), m.sites() == 1 ? "" : "s"),
          mib(m.withoutAgentBytes()),
          mib(m.withAgentBytes()),
          mib(m.differenceBytes()),
          mib(m.agentEstimateBytes()),
          m.sitesTracked());
    }
    if (sites > 1) {
      double perSite = (double) (many.differenceBytes() - one.differenceBytes()) / (sites - 1);
      double estimatePerSite =
          (double) (many.agentEstimateBytes() - one.agentEstimateBytes()) / (sites - 1);
      System.out.printf(
          Locale.ROOT,
          "%-16s %14s %14s %14s %18s%n",
          "per added site",
          "",
          "",
          String.format(Locale.ROOT, "%.1f KiB", perSite / 1024),
          String.format(Locale.ROOT, "%.1f KiB", estimatePerSite / 1024));
    }
    boolean met = many.differenceBytes() <= TARGET_MIB * MIB;
    System.out.printf(
        Locale.ROOT,
        "target: agent heap at %,d sites <= %d MiB: %s (measured %s, the agent's own estimate %s)%n",
        sites,
        TARGET_MIB,
        met ? "met" : "MISSED",
        mib(many.differenceBytes()),
        mib(many.agentEstimateBytes()));
    System.out.println("recordings under " + out);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", (double) bytes / MIB);
  }

  /** Heap used after a full GC without and with the agent, and what the agent says it uses. */
  record Measurement(
      int sites,
      long withoutAgentBytes,
      long withAgentBytes,
      long agentEstimateBytes,
      int sitesTracked) {
    long differenceBytes() {
      return withAgentBytes - withoutAgentBytes;
    }
  }

  private static Measurement measure(Path jar, int sites, Path recording)
      throws IOException, InterruptedException {
    long without = runSites(sites, List.of());
    long with =
        runSites(
            sites,
            List.of(
                BuiltJar.javaagent(
                    jar, "out=" + recording + ",interval=" + INTERVAL_MILLIS + "ms")));
    JsonNode agent = RecordingEvents.read(recording).last("agent");
    if (agent == null) {
      throw new IllegalStateException(
          "the agent wrote no agent line to " + recording.resolve("events.jsonl"));
    }
    return new Measurement(
        sites,
        without,
        with,
        agent.path("heapBytesEstimate").asLong(),
        agent.path("sitesTracked").asInt());
  }

  /** Runs {@link AllocationSites} in a new JVM and returns the heap it reported. */
  static long runSites(int sites, List<String> jvmArgs) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC"));
    args.addAll(jvmArgs);
    args.addAll(
        List.of(
            "-cp",
            ChildJvm.classPath(),
            AllocationSites.class.getName(),
            Integer.toString(sites),
            Long.toString(WAIT_MILLIS)));
    ChildJvm.Outcome outcome = ChildJvm.run(args, null);
    long used = -1;
    for (String line : outcome.stdout()) {
      if (line.startsWith(AllocationSites.RESULT_PREFIX)) {
        used = Long.parseLong(line.substring(AllocationSites.RESULT_PREFIX.length()));
      }
    }
    if (outcome.exitCode() != 0 || used < 0) {
      throw new IllegalStateException(
          "AllocationSites "
              + (jvmArgs.isEmpty() ? "without" : "with")
              + " the agent failed (exit "
              + outcome.exitCode()
              + (used < 0 ? ", no heap reported" : "")
              + ")");
    }
    return used;
  }
}
