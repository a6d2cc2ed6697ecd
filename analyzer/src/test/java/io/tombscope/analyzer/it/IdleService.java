package io.tombscope.analyzer.it;

import java.util.HashMap;
import java.util.Map;

/**
 * A JVM to attach to: prints READY, then fills and drains a HashMap now and then until its stdin
 * closes, and exits normally (so the agent writes its {@code end} line).
 */
public final class IdleService {
  private IdleService() {}

  public static void main(String[] args) throws Exception {
    System.out.println("READY");
    System.out.flush();
    Thread worker =
        new Thread(
            () -> {
              while (true) {
                Map<Integer, Integer> map = new HashMap<>();
                for (int i = 0; i < 1000; i++) {
                  map.put(i, i);
                }
                for (int i = 0; i < 1000; i++) {
                  map.remove(i);
                }
                try {
                  Thread.sleep(20);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    worker.setDaemon(true);
    worker.start();
    System.in.read();
  }
}
