package io.tombscope.agent.it;

import gnu.trove.map.hash.TIntObjectHashMap;
import java.lang.reflect.Field;

/**
 * Three drained Trove maps (auto-compaction off, so their tombstones stay) and a release asked for
 * by the main thread: its own map compacts at once, a worker's map at the worker's next write (a
 * remove) during the release, and an idle thread's map stays pending. Prints the release event and
 * each map's state afterwards, in Trove's terms.
 */
public final class TroveReleaseProgram {
  private static final int KEYS = 20_000;

  public static void main(String[] args) throws Exception {
    // The writer's writes change nothing (removes of an absent key): one of them, after the
    // release asks, compacts the map in its thread.
    OwnedMapsRelease.Outcome<TIntObjectHashMap<String>> run =
        OwnedMapsRelease.run(TroveReleaseProgram::drained, map -> map.remove(-1), 20);
    System.out.println("RELEASE " + run.event());
    print("own", run.own());
    print("writer", run.writer());
    print("idle", run.idle());
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
