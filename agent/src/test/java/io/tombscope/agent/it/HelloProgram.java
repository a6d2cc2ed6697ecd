package io.tombscope.agent.it;

import java.util.HashMap;
import java.util.Map;

/** The smallest program with a map: what start-up and quiet-start checks run. */
public final class HelloProgram {
  private HelloProgram() {}

  public static void main(String[] args) {
    Map<String, Integer> m = new HashMap<>();
    m.put("hello", 1);
    m.remove("hello");
    System.out.println("hello, world " + m.size());
  }
}
