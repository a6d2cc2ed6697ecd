package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A map that another thread loads, drains and then keeps writing only through deletes (present and
 * absent keys) while the main thread runs a release through JMX: the release must be answered by
 * one of those deletes. Prints {@code RELEASE {json}}, then {@code MAP peakB=.. B=.. size=..
 * lost=..}, where {@code lost} counts keys that the compaction lost or resurrected.
 */
public final class DeleteOnlyReleaseProgram {
  private DeleteOnlyReleaseProgram() {}

  public static void main(String[] args) throws Exception {
    int loaded = Integer.parseInt(args[0]);
    CountDownLatch drained = new CountDownLatch(1);
    AtomicBoolean released = new AtomicBoolean();
    int[] result = new int[4];
    Thread owner =
        new Thread(
            () -> {
              BucketHashMap<Integer, Integer> map = new BucketHashMap<>();
              for (int i = 0; i < loaded; i++) {
                map.put(i, i);
              }
              int peakB = map.stats().B();
              // Drain all but every tenth key; the rest go one by one while the release waits.
              for (int i = 0; i < loaded / 2; i++) {
                if (i % 10 != 0) {
                  map.remove(i);
                }
              }
              drained.countDown();
              int next = loaded / 2;
              while (!released.get()) {
                if (next < loaded) {
                  if (next % 10 != 0) {
                    map.remove(next);
                  }
                  next++;
                } else {
                  map.remove(-1); // a miss is a delete too
                }
                Thread.onSpinWait();
              }
              for (; next < loaded; next++) {
                if (next % 10 != 0) {
                  map.remove(next);
                }
              }
              int lost = 0;
              for (int i = 0; i < loaded; i++) {
                if (map.containsKey(i) != (i % 10 == 0)) {
                  lost++;
                }
              }
              result[0] = peakB;
              result[1] = map.stats().B();
              result[2] = map.size();
              result[3] = lost;
            });
    owner.start();
    drained.await();
    String event = JmxRelease.releaseAsJson("api");
    released.set(true);
    owner.join();
    System.out.println("RELEASE " + event);
    System.out.println(
        "MAP peakB=" + result[0] + " B=" + result[1] + " size=" + result[2] + " lost=" + result[3]);
  }
}
