package io.tombscope.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Property(tries = 300)
  void behavesLikeHashMap(@ForAll("ops") List<Op> ops, @ForAll long seed) {
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

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Object> keys =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300).map(i -> (Object) i),
            Arbitraries.integers().between(0, 40).map(i -> (Object) new Collider(i)),
            Arbitraries.just(null));
    Arbitrary<Integer> values = Arbitraries.integers().between(0, 1000);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(30, Combinators.combine(keys, values).as(Put::new)),
            net.jqwik.api.Tuple.of(10, keys.map(Get::new)),
            net.jqwik.api.Tuple.of(25, keys.map(Remove::new)),
            net.jqwik.api.Tuple.of(
                5,
                Combinators.combine(keys, values, Arbitraries.of(true, false))
                    .as(RemoveValue::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 5).map(IterateRemove::new)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Clear())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Trim())),
            net.jqwik.api.Tuple.of(3, Combinators.combine(keys, values).as(PutIfAbsent::new)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(keys, values).as(Merge::new)));
    return op.list().ofMinSize(50).ofMaxSize(1500);
  }

  /** Long churn at constant size straddles same-size grows; checks contents throughout. */
  @Property(tries = 20)
  void churnThroughSameSizeGrowsKeepsEveryLiveKey(@ForAll long seed) {
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
