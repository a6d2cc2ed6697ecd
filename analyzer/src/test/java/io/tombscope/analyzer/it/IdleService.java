package io.tombscope.analyzer.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A JVM to attach to: prints READY, then for each line on its stdin fills and drains a new HashMap
 * and prints DONE; exits normally when stdin closes (so an agent writes its {@code end} line).
 */
public final class IdleService {
  private IdleService() {}

  public static void main(String[] args) throws Exception {
    System.out.println("READY");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (in.readLine() != null) {
      Map<Integer, Integer> map = new HashMap<>();
      for (int i = 0; i < 10_000; i++) {
        map.put(i, i);
      }
      for (int i = 0; i < 10_000; i++) {
        map.remove(i);
      }
      System.out.println("DONE " + map.size());
      System.out.flush();
    }
  }
}
