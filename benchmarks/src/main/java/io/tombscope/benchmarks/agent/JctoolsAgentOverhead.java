package io.tombscope.benchmarks.agent;

import java.io.IOException;
import org.openjdk.jmh.runner.RunnerException;

/**
 * The agent's overhead on JCTools' {@code NonBlockingHashMap}: the same churn, get and put
 * benchmarks as {@link AgentOverhead}, run with {@code impl=JctoolsHashMap} in forks without the
 * agent and with its defaults (every JCTools map tracked from construction), against the same
 * target as Trove's. The churn's keys come from a ring, so removed keys come back and revive their
 * slots: the table stays bounded, as JCTools' does not under keys that never return.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.agent.JctoolsAgentOverhead \
 *     [--options OPTS]... -f 2 -wi 3 -w 1s -i 5 -r 1s</pre>
 *
 * <p>Each leading {@code --options OPTS} adds a setup with those agent options, against the same
 * target, for instance {@code --options callsites=65536,sample=256}.
 */
public final class JctoolsAgentOverhead {
  private JctoolsAgentOverhead() {}

  public static void main(String[] args) throws IOException, RunnerException {
    AgentOverhead.runLibrary(args, "JctoolsHashMap", TroveAgentOverhead.SETUPS);
  }
}
