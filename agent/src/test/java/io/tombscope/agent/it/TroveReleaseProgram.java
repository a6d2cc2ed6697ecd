package io.tombscope.agent.it;

import gnu.trove.map.hash.TIntObjectHashMap;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Three drained Trove maps (auto-compaction off, so their tombstones stay) and a release asked for
 * by the main thread: its own map compacts at once, a worker's map at the worker's next write (a
 * remove) during the release, and an idle thread's map stays pending. Prints the release event and
 * each map's state afterwards, in Trove's terms.
 */
public final class TroveReleaseProgram {
  private static final int KEYS = 20_000;

  public static void main(String[] args) throws Exception {
    TIntObjectHashMap<String> own = drained();
    CountDownLatch built = new CountDownLatch(2);
    CountDownLatch released = new CountDownLatch(1);
    @SuppressWarnings("unchecked")
    TIntObjectHashMap<String>[] others = new TIntObjectHashMap[2];
    Thread writer =
        new Thread(
            () -> {
              others[0] = drained();
              built.countDown();
              try {
                // Writes that change nothing (removes of an absent key) until the release is
                // over: one of them, after the release asks, compacts the map in this thread.
                while (!released.await(20, TimeUnit.MILLISECONDS)) {
                  others[0].remove(-1);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread idle =
        new Thread(
            () -> {
              others[1] = drained();
              built.countDown();
              try {
                released.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    writer.start();
    idle.start();
    built.await();
    String event = JmxRelease.releaseAsJson("api");
    released.countDown();
    writer.join();
    idle.join();
    System.out.println("RELEASE " + event);
    print("own", own);
    print("writer", others[0]);
    print("idle", others[1]);
  }

  /** 20,000 keys in, three in four removed: 15,000 tombstones that nothing compacts. */
  private static TIntObjectHashMap<String> drained() {
    TIntObjectHashMap<String> map = new TIntObjectHashMap<>();
    map.setAutoCompactionFactor(0f);
    for (int i = 0; i < KEYS; i++) {
      map.put(i, "v" + i);
    }
    for (int i = 0; i < KEYS; i++) {
      if (i % 4 != 0) {
        map.remove(i);
      }
    }
    return map;
  }

  private static void print(String name, TIntObjectHashMap<String> map) throws Exception {
    int lost = 0;
    for (int i = 0; i < KEYS; i += 4) {
      if (!("v" + i).equals(map.get(i))) {
        lost++;
      }
    }
    Field free = gnu.trove.impl.hash.THash.class.getDeclaredField("_free");
    free.setAccessible(true);
    int tombstones = map.capacity() - map.size() - free.getInt(map);
    System.out.println(
        "MAP "
            + name
            + " size="
            + map.size()
            + " capacity="
            + map.capacity()
            + " tombstones="
            + tombstones
            + " lost="
            + lost);
  }
}
