package io.tombscope.agent.it;

import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

/**
 * Three drained Eclipse Collections maps (their sentinels stay: nothing inserts into them) and a
 * release asked for by the main thread: its own map compacts at once, a worker's map at the
 * worker's next insert of a new key during the release, and an idle thread's map stays pending.
 * Prints the release event and each map's state afterwards, in the library's terms.
 */
public final class EclipseReleaseProgram {
  private static final int KEYS = 20_000;

  public static void main(String[] args) throws Exception {
    LongObjectHashMap<String> own = drained();
    CountDownLatch built = new CountDownLatch(2);
    CountDownLatch released = new CountDownLatch(1);
    @SuppressWarnings("unchecked")
    LongObjectHashMap<String>[] others = new LongObjectHashMap[2];
    Thread writer =
        new Thread(
            () -> {
              others[0] = drained();
              built.countDown();
              try {
                // An insert of a key and its remove until the release is over: one insert, after
                // the release asks, compacts the map in this thread. The last remove leaves one
                // sentinel (each insert takes back the one before).
                while (!released.await(20, TimeUnit.MILLISECONDS)) {
                  others[0].put(-5, "probe");
                  others[0].removeKey(-5);
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

  /** 20,000 keys in, three in four removed: 15,000 sentinels that no insert takes back. */
  private static LongObjectHashMap<String> drained() {
    LongObjectHashMap<String> map = new LongObjectHashMap<>();
    for (int i = 2; i < KEYS + 2; i++) {
      map.put(i, "v" + i);
    }
    for (int i = 2; i < KEYS + 2; i++) {
      if (i % 4 != 0) {
        map.removeKey(i);
      }
    }
    return map;
  }

  private static void print(String name, LongObjectHashMap<String> map) throws Exception {
    int lost = 0;
    for (int i = 4; i < KEYS + 2; i += 4) {
      if (!("v" + i).equals(map.get(i))) {
        lost++;
      }
    }
    Field sentinels = LongObjectHashMap.class.getDeclaredField("occupiedWithSentinels");
    Field keys = LongObjectHashMap.class.getDeclaredField("keys");
    sentinels.setAccessible(true);
    keys.setAccessible(true);
    System.out.println(
        "MAP "
            + name
            + " size="
            + map.size()
            + " capacity="
            + ((long[]) keys.get(map)).length
            + " tombstones="
            + sentinels.getInt(map)
            + " lost="
            + lost);
  }
}
