package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import org.openjdk.jol.info.GraphLayout;

/**
 * Bulk load then drain, then a release asked for by the map's own thread through JMX. Prints the
 * release event ({@code RELEASE {json}}) and what JOL measures of the map afterwards against a
 * fresh map holding the same entries ({@code JOL trimmed=.. fresh=..}).
 */
public final class ReleaseProgram {
  private ReleaseProgram() {}

  public static void main(String[] args) throws Exception {
    int loaded = Integer.parseInt(args[0]);
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>();
    for (int i = 0; i < loaded; i++) {
      map.put(i, i);
    }
    for (int i = 0; i < loaded; i++) {
      if (i % 20 != 0) {
        map.remove(i);
      }
    }
    String event = JmxRelease.releaseAsJson("api");
    System.out.println("RELEASE " + event);
    BucketHashMap<Integer, Integer> fresh = new BucketHashMap<>();
    map.forEach(fresh::put);
    System.out.println(
        "JOL trimmed="
            + structureBytes(map)
            + " fresh="
            + structureBytes(fresh)
            + " tombstones="
            + map.stats().tombstones()
            + " size="
            + map.size());
  }

  /** The map's own objects: its whole graph minus the keys and values it holds. */
  private static long structureBytes(BucketHashMap<Integer, Integer> map) {
    long total = GraphLayout.parseInstance(map).totalSize();
    long payload = 0;
    for (var e : map.entrySet()) {
      payload += GraphLayout.parseInstance(e.getKey()).totalSize();
    }
    return total - payload; // values are the same Integer objects as the keys
  }
}
