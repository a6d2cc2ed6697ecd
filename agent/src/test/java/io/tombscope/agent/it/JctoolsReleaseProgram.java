package io.tombscope.agent.it;

import org.jctools.maps.NonBlockingHashMap;

/**
 * Three drained JCTools maps, each with 15,000 dead keys, owned by the three threads of {@link
 * OwnedMapsRelease}, and a release asked for by the main thread: none of them is compacted, all
 * three are reported pending. Prints the release event and each map's state afterwards, in JCTools'
 * terms.
 */
public final class JctoolsReleaseProgram {
  private static final int KEYS = 20_000;

  public static void main(String[] args) throws Exception {
    OwnedMapsRelease.Outcome<NonBlockingHashMap<Integer, String>> run =
        OwnedMapsRelease.run(JctoolsReleaseProgram::drained, map -> map.remove(-1), 20);
    System.out.println("RELEASE " + run.event());
    print("own", run.own());
    print("writer", run.writer());
    print("idle", run.idle());
  }

  /** 20,000 keys in, three in four removed: 15,000 dead keys that only a resize would drop. */
  private static NonBlockingHashMap<Integer, String> drained() {
    NonBlockingHashMap<Integer, String> map = new NonBlockingHashMap<>();
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

  private static void print(String name, NonBlockingHashMap<Integer, String> map) throws Exception {
    int lost = 0;
    for (int i = 0; i < KEYS; i += 4) {
      if (!("v" + i).equals(map.get(i))) {
        lost++;
      }
    }
    JctoolsProgram.Watched watched = new JctoolsProgram.Watched(name, map);
    System.out.println(
        "MAP "
            + name
            + " size="
            + map.size()
            + " deadKeys="
            + watched.deadKeys()
            + " lost="
            + lost);
  }
}
