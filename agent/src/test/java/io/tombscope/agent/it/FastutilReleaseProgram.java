package io.tombscope.agent.it;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Three fastutil maps whose tables outlived their entries ({@code clear()} keeps the table) and a
 * release asked for by the main thread: its own map trims at once, a worker's map at the worker's
 * next insert during the release, and an idle thread's map stays pending. Prints the release event
 * and each map's state afterwards, in fastutil's terms.
 */
public final class FastutilReleaseProgram {
  private static final int PEAK = 100_000;
  private static final int KEPT = 1_000;

  public static void main(String[] args) throws Exception {
    Int2ObjectOpenHashMap<String> own = cleared();
    CountDownLatch built = new CountDownLatch(2);
    CountDownLatch released = new CountDownLatch(1);
    @SuppressWarnings("unchecked")
    Int2ObjectOpenHashMap<String>[] others = new Int2ObjectOpenHashMap[2];
    Thread writer =
        new Thread(
            () -> {
              others[0] = cleared();
              built.countDown();
              try {
                // Inserts of new keys until the release is over: one of them, after the release
                // asks, trims the map in this thread. (A remove would not do: with this much
                // table, fastutil halves it on every remove by itself.)
                for (int k = 1; !released.await(50, TimeUnit.MILLISECONDS); k++) {
                  others[0].put(-k, "x");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread idle =
        new Thread(
            () -> {
              others[1] = cleared();
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

  /** 100,000 keys in, cleared, 1,000 back: a table sized for the peak, nearly empty. */
  private static Int2ObjectOpenHashMap<String> cleared() {
    Int2ObjectOpenHashMap<String> map = new Int2ObjectOpenHashMap<>();
    for (int i = 0; i < PEAK; i++) {
      map.put(i, "v" + i);
    }
    map.clear();
    for (int i = 0; i < KEPT; i++) {
      map.put(i, "v" + i);
    }
    return map;
  }

  private static void print(String name, Int2ObjectOpenHashMap<String> map) throws Exception {
    int lost = 0;
    for (int i = 0; i < KEPT; i++) {
      if (!("v" + i).equals(map.get(i))) {
        lost++;
      }
    }
    Field n = Int2ObjectOpenHashMap.class.getDeclaredField("n");
    n.setAccessible(true);
    System.out.println(
        "MAP " + name + " size=" + map.size() + " slots=" + n.getInt(map) + " lost=" + lost);
  }
}
