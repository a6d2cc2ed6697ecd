package io.tombscope.benchmarks.agent;

import java.io.IOException;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The agent's overhead on fastutil's {@code Object2ObjectOpenHashMap}: the same churn, get and put
 * benchmarks as {@link AgentOverhead}, run with {@code impl=FastutilOpenHashMap} in forks without
 * the agent and with its defaults (every fastutil map tracked from construction), alternated.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.FastutilAgentOverhead \
 *     [--options OPTS]... -f 2 -wi 3 -w 1s -i 5 -r 1s</pre>
 *
 * <p>Each leading {@code --options OPTS} adds a setup with those agent options, against the same
 * target, for instance {@code --options callsites=65536,sample=256}.
 */
public final class FastutilAgentOverhead {
  private FastutilAgentOverhead() {}

  public static void main(String[] args) throws IOException, RunnerException {
    AgentOverhead.runLibrary(args, "FastutilOpenHashMap", TroveAgentOverhead.SETUPS);
  }
}
