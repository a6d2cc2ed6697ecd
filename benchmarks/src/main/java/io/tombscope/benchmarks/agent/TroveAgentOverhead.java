package io.tombscope.benchmarks.agent;

import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The agent's overhead on Trove 3's {@code THashMap}: the same churn, get and put benchmarks as
 * {@link AgentOverhead}, run with {@code impl=TroveHashMap} in forks without the agent and with its
 * defaults (every Trove map tracked from construction).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.TroveAgentOverhead \
 *     [--options OPTS]... -f 2 -wi 3 -w 1s -i 5 -r 1s</pre>
 *
 * <p>Each leading {@code --options OPTS} adds a setup with those agent options, against the same
 * target, for instance {@code --options callsites=65536,sample=256}.
 */
public final class TroveAgentOverhead {
  static final List<AgentOverhead.Setup> SETUPS =
      List.of(
          new AgentOverhead.Setup("no agent", null, Double.NaN, false),
          new AgentOverhead.Setup("agent", "", 1.10, true));

  private TroveAgentOverhead() {}

  public static void main(String[] args) throws IOException, RunnerException {
    AgentOverhead.runLibrary(args, "TroveHashMap", SETUPS);
  }
}
