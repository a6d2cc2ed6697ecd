package io.tombscope.agent.it;

import java.util.HashMap;
import java.util.Map;

/**
 * A program that uses a JDK map and neither JMX nor a map of the other families, and lives until
 * the agent's start-up work is done: what the agent must not pay byte-buddy or JMX for.
 */
public final class IdleProgram {
  private IdleProgram() {}

  public static void main(String[] args) throws InterruptedException {
    if (!io.tombscope.agent.Tombscope.awaitInstrumented(60_000)) {
      throw new IllegalStateException("the agent did not finish starting");
    }
    Map<String, Integer> m = new HashMap<>();
    m.put("idle", 1);
    m.remove("idle");
    System.out.println("idle " + m.size());
  }
}
