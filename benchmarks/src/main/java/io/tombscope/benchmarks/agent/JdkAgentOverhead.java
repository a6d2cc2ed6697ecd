package io.tombscope.benchmarks.agent;

import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The agent's overhead on {@code java.util.HashMap}: the same churn, get and put benchmarks as
 * {@link AgentOverhead}, run with {@code impl=HashMap} in forks without the agent, with its
 * defaults (one map in 1,024 tracked, so the benchmark's map is almost surely untracked and pays
 * only the lookup that every untracked map pays) and with {@code jdksample=1} (every map tracked).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.JdkAgentOverhead \
 *     -f 2 -wi 3 -w 1s -i 5 -r 1s</pre>
 */
public final class JdkAgentOverhead {
  static final List<AgentOverhead.Setup> SETUPS =
      List.of(
          new AgentOverhead.Setup("no agent", null, Double.NaN, false),
          new AgentOverhead.Setup("agent", "", 1.25, false),
          new AgentOverhead.Setup("agent jdksample=1", "jdksample=1", 1.25, true));

  private JdkAgentOverhead() {}

  public static void main(String[] args) throws IOException, RunnerException {
    AgentOverhead.run(args, "HashMap", SETUPS);
  }
}
