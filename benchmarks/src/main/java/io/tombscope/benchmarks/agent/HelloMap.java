package io.tombscope.benchmarks.agent;

import java.util.HashMap;
import java.util.Map;

/**
 * The hello-world that {@link AgentStartup} starts: one map, one put, one remove, one line; then,
 * given a number of milliseconds, it stays alive that long (the agent's background work included).
 */
public final class HelloMap {
  private HelloMap() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, Integer> m = new HashMap<>();
    m.put("hello", 1);
    m.remove("hello");
    System.out.println("hello, world " + m.size());
    if (args.length > 0) {
      Thread.sleep(Long.parseLong(args[0]));
    }
  }
}
