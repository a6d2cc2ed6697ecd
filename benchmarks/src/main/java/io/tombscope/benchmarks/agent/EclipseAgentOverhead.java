package io.tombscope.benchmarks.agent;

import java.io.IOException;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The agent's overhead on Eclipse Collections' {@code LongLongHashMap}, then on its {@code
 * UnifiedMap}: the same churn, get and put benchmarks as {@link AgentOverhead}, run with {@code
 * impl=EclipseLongLongMap} and {@code impl=EclipseUnifiedMap} in forks without the agent and with
 * its defaults (every map of the library tracked from construction).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.EclipseAgentOverhead \
 *     [--options OPTS]... -f 2 -wi 10 -w 1s -i 5 -r 1s</pre>
 *
 * <p>Each leading {@code --options OPTS} adds a setup with those agent options, against the same
 * target, for instance {@code --options callsites=65536,sample=256}.
 */
public final class EclipseAgentOverhead {
  private EclipseAgentOverhead() {}

  /** The setups of Trove's: no agent, and the defaults against a target of 1.10. */
  public static void main(String[] args) throws IOException, RunnerException {
    AgentOverhead.runLibrary(args, "EclipseLongLongMap", TroveAgentOverhead.SETUPS);
    AgentOverhead.runLibrary(args, "EclipseUnifiedMap", TroveAgentOverhead.SETUPS);
  }
}
