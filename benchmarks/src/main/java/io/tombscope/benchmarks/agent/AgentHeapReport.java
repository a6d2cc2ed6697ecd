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
 * sites, the agent's own estimate within 25% of it) and the garbage its flusher makes (target: at
 * most 1 MiB per interval at 1,000 sites of which {@value #BUSY_SITES} are busy). Runs {@link
 * AllocationSites} in forked JVMs with the same heap settings, without and with the agent, at one
 * site (the agent's fixed cost) and at {@code SITES} sites (default 1,000), and reports the
 * difference in heap used after a full GC next to the agent's own {@code heapBytesEstimate} from
 * the last {@code agent} line of its recording.
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
  static final int TARGET_MIB = 8;
  static final int BUSY_SITES = 10;
  static final long FLUSHER_TARGET_BYTES = 1024 * 1024;
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
        "%-16s %14s %14s %14s %18s %8s %20s%n",
        "",
        "without agent",
        "with agent",
        "difference",
        "agent's estimate",
        "tracked",
        "flusher / interval");
    for (Measurement m : List.of(one, many)) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %14s %14s %14s %18s %8d %20s%n",
          String.format(Locale.ROOT, "%,d site%s", m.sites(), m.sites() == 1 ? "" : "s"),
          mib(m.withoutAgentBytes()),
          mib(m.withAgentBytes()),
          mib(m.differenceBytes()),
          mib(m.agentEstimateBytes()),
          m.sitesTracked(),
          kib(m.flusherBytesPerInterval()));
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
    double estimateError =
        Math.abs((double) many.agentEstimateBytes() - many.differenceBytes())
            / Math.max(1, many.differenceBytes());
    System.out.printf(
        Locale.ROOT,
        "target: the agent's estimate within 25%% of the measured heap: %s (off by %.0f%%)%n",
        estimateError <= 0.25 ? "met" : "MISSED",
        estimateError * 100);
    System.out.printf(
        Locale.ROOT,
        "target: the flusher allocates <= 1 MiB per %d ms interval at %,d sites, %d busy: %s"
            + " (%s)%n",
        INTERVAL_MILLIS,
        sites,
        Math.min(sites, BUSY_SITES),
        many.flusherBytesPerInterval() >= 0
                && many.flusherBytesPerInterval() <= FLUSHER_TARGET_BYTES
            ? "met"
            : "MISSED",
        kib(many.flusherBytesPerInterval()));
    System.out.println("recordings under " + out);
  }

  private static String kib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%,.0f KiB", (double) bytes / 1024);
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
      int sitesTracked,
      long flusherBytesPerInterval) {
    long differenceBytes() {
      return withAgentBytes - withoutAgentBytes;
    }
  }

  private static Measurement measure(Path jar, int sites, Path recording)
      throws IOException, InterruptedException {
    long without = runSites(sites, List.of()).heapUsedBytes();
    Fork with =
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
        with.heapUsedBytes(),
        agent.path("heapBytesEstimate").asLong(),
        agent.path("sitesTracked").asInt(),
        with.flusherBytesPerInterval());
  }

  /** What one run of {@link AllocationSites} reported. */
  record Fork(long heapUsedBytes, long flusherBytesPerInterval) {}

  /**
   * Runs {@link AllocationSites} in a new JVM, {@value #BUSY_SITES} of its sites kept busy while
   * the agent's flusher is measured, and returns what it reported.
   */
  static Fork runSites(int sites, List<String> jvmArgs) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseSerialGC"));
    args.addAll(jvmArgs);
    args.addAll(
        List.of(
            "-cp",
            ChildJvm.classPath(),
            AllocationSites.class.getName(),
            Integer.toString(sites),
            Long.toString(WAIT_MILLIS),
            Long.toString(INTERVAL_MILLIS),
            Integer.toString(BUSY_SITES)));
    ChildJvm.Outcome outcome = ChildJvm.run(args, null);
    long used = -1;
    long flusher = -1;
    for (String line : outcome.stdout()) {
      if (line.startsWith(AllocationSites.RESULT_PREFIX)) {
        used = Long.parseLong(line.substring(AllocationSites.RESULT_PREFIX.length()));
      } else if (line.startsWith(AllocationSites.FLUSHER_PREFIX)) {
        flusher = Long.parseLong(line.substring(AllocationSites.FLUSHER_PREFIX.length()));
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
    return new Fork(used, flusher);
  }
}
