package io.tombscope.agent.it;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.lang.reflect.Field;

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
    // The writer inserts new keys, one every 50 ms: one of them, after the release asks, trims
    // the map in its thread. (Removes would not do: with this much table, fastutil halves it on
    // every remove by itself.)
    int[] next = {0};
    OwnedMapsRelease.Outcome<Int2ObjectOpenHashMap<String>> run =
        OwnedMapsRelease.run(
            FastutilReleaseProgram::cleared, map -> map.put(-1 - next[0]++, "x"), 50);
    System.out.println("RELEASE " + run.event());
    print("own", run.own());
    print("writer", run.writer());
    print("idle", run.idle());
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
