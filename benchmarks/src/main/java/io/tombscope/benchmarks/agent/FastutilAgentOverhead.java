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
 *     -f 2 -wi 3 -w 1s -i 5 -r 1s</pre>
 */
public final class FastutilAgentOverhead {
  private FastutilAgentOverhead() {}

  public static void main(String[] args) throws IOException, RunnerException {
    AgentOverhead.run(args, "FastutilOpenHashMap", TroveAgentOverhead.SETUPS);
  }
}
