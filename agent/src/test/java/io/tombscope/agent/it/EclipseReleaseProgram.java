package io.tombscope.agent.it;

import java.lang.reflect.Field;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.collections.impl.map.mutable.UnifiedMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.UnifiedSet;

/**
 * Three drained Eclipse Collections maps (their sentinels stay: nothing inserts into them), a
 * drained {@code UnifiedMap} and {@code UnifiedSet} (their tables stay at their peak), and a
 * release asked for by the main thread: its own maps compact at once, a worker's map and set at the
 * worker's next insert of a new key during the release, and an idle thread's map stays pending.
 * Prints the release event and each map's state afterwards, in the library's terms.
 */
public final class EclipseReleaseProgram {
  private static final int KEYS = 20_000;

  public static void main(String[] args) throws Exception {
    LongObjectHashMap<String> own = drained();
    UnifiedMap<Long, String> ownUnified = drainedUnified();
    @SuppressWarnings("unchecked")
    UnifiedSet<Long>[] writerSet = new UnifiedSet[1];
    CountDownLatch built = new CountDownLatch(2);
    CountDownLatch released = new CountDownLatch(1);
    @SuppressWarnings("unchecked")
    LongObjectHashMap<String>[] others = new LongObjectHashMap[2];
    Thread writer =
        new Thread(
            () -> {
              others[0] = drained();
              writerSet[0] = drainedSet();
              built.countDown();
              try {
                // An insert of a key and its remove until the release is over: one insert, after
                // the release asks, compacts the map in this thread. The last remove leaves one
                // sentinel (each insert takes back the one before).
                while (!released.await(20, TimeUnit.MILLISECONDS)) {
                  others[0].put(-5, "probe");
                  others[0].removeKey(-5);
                  writerSet[0].add(-5L);
                  writerSet[0].remove(-5L);
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
    print("ownUnified", ownUnified.size(), ownUnified, 2);
    print("writerSet", writerSet[0].size(), writerSet[0], 1);
  }

  /** 20,000 keys in, three in four removed: the table stays at the size of 20,000. */
  private static UnifiedMap<Long, String> drainedUnified() {
    UnifiedMap<Long, String> map = new UnifiedMap<>();
    for (long i = 2; i < KEYS + 2; i++) {
      map.put(i, "v" + i);
    }
    for (long i = 2; i < KEYS + 2; i++) {
      if (i % 4 != 0) {
        map.remove(i);
      }
    }
    return map;
  }

  private static UnifiedSet<Long> drainedSet() {
    UnifiedSet<Long> set = new UnifiedSet<>();
    for (long i = 2; i < KEYS + 2; i++) {
      set.add(i);
    }
    for (long i = 2; i < KEYS + 2; i++) {
      if (i % 4 != 0) {
        set.remove(i);
      }
    }
    return set;
  }

  /** A unified map's or set's size and capacity (its table holds {@code perEntry} slots each). */
  private static void print(String name, int size, Object map, int perEntry) throws Exception {
    Field table = map.getClass().getDeclaredField("table");
    table.setAccessible(true);
    System.out.println(
        "MAP "
            + name
            + " size="
            + size
            + " capacity="
            + ((Object[]) table.get(map)).length / perEntry
            + " tombstones=0 lost=0");
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
