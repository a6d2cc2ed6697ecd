package io.tombscope.analyzer.it;

import java.util.HashMap;
import java.util.Map;

/**
 * A service whose waste is in a JDK map: a HashMap loaded and drained, kept. Prints READY once a
 * gauge has seen it, then waits until its stdin closes.
 */
public final class JdkDrainedService {
  private JdkDrainedService() {}

  public static void main(String[] args) throws Exception {
    WasteCases.awaitInstrumented();
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < 300_000; i++) {
      index.put(i, i);
    }
    for (int i = 0; i < 299_900; i++) {
      index.remove(i);
    }
    Thread.sleep(1_500); // a gauge or two of the recording see the drained table
    System.out.println("READY " + index.size());
    System.out.flush();
    System.in.read();
  }
}
