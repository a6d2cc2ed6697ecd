package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Deletes from a {@code BucketHashMap}, a {@code HashMap} and a Trove {@code THashMap}, then prints
 * how many stack walks the agent made for delete callers ({@code walks N}), read from its probes in
 * the boot loader.
 */
public final class DeletingProgram {
  private DeletingProgram() {}

  public static void main(String[] args) throws Exception {
    if (!io.tombscope.agent.Tombscope.awaitInstrumented(60_000)) {
      throw new IllegalStateException("the JDK's maps were not instrumented within a minute");
    }
    churn(new BucketHashMap<>());
    churn(new HashMap<>());
    churn(new gnu.trove.map.hash.THashMap<>());
    Class<?> callSites = Class.forName("io.tombscope.agent.bootstrap.CallSites", true, null);
    System.out.println("walks " + callSites.getMethod("walks").invoke(null));
  }

  private static void churn(Map<Integer, Integer> map) {
    for (int i = 0; i < 100_000; i++) {
      map.put(i, i);
      map.remove(i - 100);
    }
  }
}
