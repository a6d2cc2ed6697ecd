package io.tombscope.analyzer.it;

import io.tombscope.map.BucketHashMap;

/**
 * A service that bulk-loaded and drained a map and keeps using it: the subject of {@code tombscope
 * release PID}. Prints READY, then writes to its map until its stdin closes.
 */
public final class DrainedService {
  private DrainedService() {}

  public static void main(String[] args) throws Exception {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>();
    for (int i = 0; i < 300_000; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < 300_000; i++) {
      if (i % 50 != 0) {
        map.remove(i);
      }
    }
    System.out.println("READY " + map.stats().tombstones());
    System.out.flush();
    Thread writer =
        new Thread(
            () -> {
              int k = 1;
              while (true) {
                map.put(-k, k); // a write now and then: where a requested compaction happens
                map.remove(-k);
                k++;
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    writer.setDaemon(true);
    writer.start();
    System.in.read();
  }
}
