package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.testing.SeededCases;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random operation sequences against {@link HashMap} as the oracle, checking the map's contents and
 * its {@link BucketHashMap.Stats} invariants after every step. Small key ranges make deletes hit
 * and miss, sequences long enough straddle doubling and same-size grows, and {@link Collider} keys
 * force long overflow chains.
 */
class MapOracleProperties {

  sealed interface Op
      permits Put, Get, Remove, RemoveValue, IterateRemove, Clear, Trim, PutIfAbsent, Merge {}

  record Put(Object key, int value) implements Op {}

  record Get(Object key) implements Op {}

  record Remove(Object key) implements Op {}

  /**
   * {@code remove(key, value)}, removing only while the key maps to that value: the key's current
   * value when {@code current}, else {@code value}; then {@code keySet().remove(key)}.
   */
  record RemoveValue(Object key, int value, boolean current) implements Op {}

  /** Walks the whole map and removes through the iterator every entry whose value % n == 0. */
  record IterateRemove(int n) implements Op {}

  record Clear() implements Op {}

  record Trim() implements Op {}

  record PutIfAbsent(Object key, int value) implements Op {}

  record Merge(Object key, int value) implements Op {}

  @Test
  void behavesLikeHashMap() {
    SeededCases.check(300, random -> behavesLikeHashMap(ops(random), random.nextLong()));
  }

  private static void behavesLikeHashMap(List<Op> ops, long seed) {
    BucketHashMap<Object, Integer> map = new BucketHashMap<>(0, seed);
    Map<Object, Integer> oracle = new HashMap<>();
    boolean wasGrowing = false;
    boolean deletedDuringGrow = false;
    for (Op op : ops) {
      int sizeBefore = oracle.size();
      apply(op, map, oracle);
      boolean deleted = oracle.size() < sizeBefore;
      BucketHashMap.Stats s = map.stats();
      assertEquals(oracle.size(), s.size(), () -> "size after " + op);
      assertEquals(map.scanTombstones(), s.tombstones(), () -> "tombstone count after " + op);
      assertTrue(s.tombstones() <= s.slots());
      assertTrue(s.size() <= s.slots());
      assertEquals(s.buckets(), s.B() == 0 && s.slots() == 0 ? 0 : 1 << s.B());
      if (op instanceof Trim) {
        assertEquals(0, s.tombstones(), "no tombstones right after trim()");
        assertFalse(s.growing());
        // Only overflow buckets beyond the spare ones, which hashing decides, can add to the
        // promise; without any the map holds exactly the fresh arrays.
        assertTrue(s.estimatedBytes() >= s.trimmedBytes(), "trim() leaves what it promised");
        if (s.overflowBuckets() == 0) {
          assertEquals(s.trimmedBytes(), s.estimatedBytes(), "trim() leaves what it promised");
        }
      }
      if (s.growing()) {
        deletedDuringGrow = (wasGrowing && deletedDuringGrow) || deleted;
      } else if (wasGrowing && !deleted && !deletedDuringGrow && !(op instanceof Clear)) {
        // Evacuation never copies a tombstone: a grow with no deletes until its end ends clean.
        assertEquals(0, s.tombstones(), "no tombstones right after a finished grow");
      }
      wasGrowing = s.growing();
    }
    assertEquals(oracle, map);
    assertEquals(map, oracle);
    assertEquals(oracle.hashCode(), map.hashCode());
  }

  private static void apply(Op op, BucketHashMap<Object, Integer> map, Map<Object, Integer> o) {
    if (op instanceof Put p) {
      assertEquals(o.put(p.key(), p.value()), map.put(p.key(), p.value()));
    } else if (op instanceof Get g) {
      assertEquals(o.get(g.key()), map.get(g.key()));
      assertEquals(o.containsKey(g.key()), map.containsKey(g.key()));
    } else if (op instanceof Remove r) {
      assertEquals(o.remove(r.key()), map.remove(r.key()));
      assertFalse(map.containsKey(r.key()), "a deleted key is absent");
    } else if (op instanceof RemoveValue r) {
      Integer value = r.current() && o.containsKey(r.key()) ? o.get(r.key()) : r.value();
      assertEquals(o.remove(r.key(), value), map.remove(r.key(), value));
      assertEquals(o.containsKey(r.key()), map.containsKey(r.key()));
      assertEquals(o.keySet().remove(r.key()), map.keySet().remove(r.key()));
    } else if (op instanceof IterateRemove ir) {
      List<Object> removed = new ArrayList<>();
      for (Iterator<Map.Entry<Object, Integer>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Object, Integer> e = it.next();
        if (e.getValue() % ir.n() == 0) {
          it.remove();
          removed.add(e.getKey());
        }
      }
      o.values().removeIf(v -> v % ir.n() == 0);
      for (Object k : removed) {
        assertFalse(map.containsKey(k));
      }
    } else if (op instanceof Clear) {
      o.clear();
      map.clear();
    } else if (op instanceof Trim) {
      map.trim();
    } else if (op instanceof PutIfAbsent p) {
      assertEquals(o.putIfAbsent(p.key(), p.value()), map.putIfAbsent(p.key(), p.value()));
    } else if (op instanceof Merge m) {
      assertEquals(
          o.merge(m.key(), m.value(), Integer::sum), map.merge(m.key(), m.value(), Integer::sum));
    }
  }

  /** 50 to 1,500 operations, weighted toward puts and removes. */
  private static List<Op> ops(Random random) {
    int length = random.nextInt(50, 1501);
    List<Op> ops = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      ops.add(op(random));
    }
    return ops;
  }

  private static Op op(Random random) {
    int weight = random.nextInt(79);
    if ((weight -= 30) < 0) {
      return new Put(key(random), value(random));
    } else if ((weight -= 10) < 0) {
      return new Get(key(random));
    } else if ((weight -= 25) < 0) {
      return new Remove(key(random));
    } else if ((weight -= 5) < 0) {
      return new RemoveValue(key(random), value(random), random.nextBoolean());
    } else if ((weight -= 1) < 0) {
      return new IterateRemove(random.nextInt(2, 6));
    } else if ((weight -= 1) < 0) {
      return new Clear();
    } else if ((weight -= 1) < 0) {
      return new Trim();
    } else if ((weight -= 3) < 0) {
      return new PutIfAbsent(key(random), value(random));
    }
    return new Merge(key(random), value(random));
  }

  /** An Integer, a {@link Collider} or null, each a third of the time. */
  private static Object key(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> random.nextInt(0, 301);
      case 1 -> new Collider(random.nextInt(0, 41));
      default -> null;
    };
  }

  private static int value(Random random) {
    return random.nextInt(0, 1001);
  }

  /** Long churn at constant size straddles same-size grows; checks contents throughout. */
  @Test
  void churnThroughSameSizeGrowsKeepsEveryLiveKey() {
    SeededCases.check(20, random -> churnThroughSameSizeGrowsKeepsEveryLiveKey(random.nextLong()));
  }

  private static void churnThroughSameSizeGrowsKeepsEveryLiveKey(long seed) {
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>(0, seed);
    int live = 60;
    for (int i = 0; i < live; i++) {
      map.put(i, i);
    }
    for (int i = live; i < 60_000; i++) {
      assertEquals(i - live, map.remove(i - live));
      map.put(i, i);
      if (i % 997 == 0) {
        for (int k = i - live + 1; k <= i; k++) {
          assertEquals(k, map.get(k));
        }
        assertEquals(map.scanTombstones(), map.stats().tombstones());
      }
    }
    assertTrue(map.stats().sameSizeGrows() > 0);
    assertEquals(live, map.size());
  }
}
