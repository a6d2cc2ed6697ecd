package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trim() that fails part way (a key's hashCode throws) leaves the map exactly as it was. */
class TrimFailureTest {
  /** A key whose hashCode() throws once its countdown of calls runs out. */
  static final class FragileKey {
    static int callsLeft = Integer.MAX_VALUE;
    final int id;

    FragileKey(int id) {
      this.id = id;
    }

    @Override
    public int hashCode() {
      if (--callsLeft < 0) {
        throw new IllegalStateException("hashCode failed");
      }
      return Integer.hashCode(id);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FragileKey k && k.id == id;
    }
  }

  @Test
  void aTrimThatFailsPartWayLeavesEveryEntryWhereItWas() {
    for (boolean growing : new boolean[] {false, true}) {
      FragileKey.callsLeft = Integer.MAX_VALUE;
      BucketHashMap<FragileKey, Integer> map = new BucketHashMap<>(0, 11L);
      Map<FragileKey, Integer> oracle = new HashMap<>();
      int n = 5_000;
      for (int i = 0; i < n; i++) {
        map.put(new FragileKey(i), i);
        oracle.put(new FragileKey(i), i);
      }
      for (int i = 0; i < n; i += 3) {
        map.remove(new FragileKey(i));
        oracle.remove(new FragileKey(i));
      }
      // Then, for the second round, new keys until a grow starts: it stays in progress, so the
      // failed trim has two generations to put back.
      while (growing && !map.stats().growing()) {
        map.put(new FragileKey(n), n);
        oracle.put(new FragileKey(n), n);
        n++;
      }
      BucketHashMap.Stats before = map.stats();
      assertEquals(growing, before.growing());

      FragileKey.callsLeft = map.size() / 2;
      IllegalStateException e = assertThrows(IllegalStateException.class, map::trim);
      assertEquals("hashCode failed", e.getMessage());
      FragileKey.callsLeft = Integer.MAX_VALUE;

      assertEquals(before, map.stats());
      assertEquals(oracle, map);
      assertTrue(map.equals(oracle) && oracle.equals(map));
      map.put(new FragileKey(-1), -1); // and it is not stuck in the middle of a write
      map.trim();
      assertEquals(0, map.stats().tombstones());
      assertSame(null, map.get(new FragileKey(n + 1)));
    }
  }
}
