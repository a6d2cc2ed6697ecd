package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.util.HashMap;
import java.util.Map;

/**
 * A release asked for by the thread that built a map, from inside one of that map's writes: a key's
 * {@code equals} runs while {@code put} holds the map's concurrent-write flag. The release must not
 * trim the map under its own write; the map compacts at its next write. Prints {@code RELEASE
 * {json}}, then {@code MAP tombstonesBefore=.. tombstonesAfterPut=.. tombstonesAfterNextWrite=..
 * lost=..}, where {@code lost} is 1 if the map and a {@link HashMap} oracle differ.
 */
public final class MidWriteReleaseProgram {
  private MidWriteReleaseProgram() {}

  /** Keys that all collide, so that inserting one compares it with the others. */
  static final class Key {
    static boolean releaseOnEquals;
    static String event;
    final int id;

    Key(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      return 7;
    }

    @Override
    public boolean equals(Object o) {
      if (releaseOnEquals) {
        releaseOnEquals = false;
        try {
          event = JmxRelease.releaseAsJson("api");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return o instanceof Key k && k.id == id;
    }
  }

  public static void main(String[] args) throws Exception {
    int loaded = Integer.parseInt(args[0]);
    BucketHashMap<Object, Integer> map = new BucketHashMap<>();
    Map<Object, Integer> oracle = new HashMap<>();
    for (int i = 0; i < loaded; i++) {
      map.put(i, i);
      oracle.put(i, i);
    }
    for (int i = 0; i < loaded; i++) {
      if (i % 10 != 0) {
        map.remove(i);
        oracle.remove(i);
      }
    }
    Key first = new Key(1);
    map.put(first, 1);
    oracle.put(first, 1);
    long before = map.stats().tombstones();
    Key.releaseOnEquals = true;
    Key second = new Key(2);
    map.put(second, 2); // compares second with first: the release runs inside this write
    oracle.put(second, 2);
    long afterPut = map.stats().tombstones();
    map.put(-1, -1);
    oracle.put(-1, -1);
    long afterNextWrite = map.stats().tombstones();
    int lost = map.equals(oracle) && oracle.equals(map) ? 0 : 1;
    System.out.println("RELEASE " + Key.event);
    System.out.println(
        "MAP tombstonesBefore="
            + before
            + " tombstonesAfterPut="
            + afterPut
            + " tombstonesAfterNextWrite="
            + afterNextWrite
            + " lost="
            + lost);
  }
}
