package io.tombscope.agent.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.collections.api.iterator.MutableIntIterator;
import org.eclipse.collections.api.iterator.MutableLongIterator;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Random operations on Eclipse Collections' primitive maps and a primitive set ({@code
 * LongHashSet}: its bit field of 0 to 31, {@code retainAll} and copies too), one seeded sequence
 * per case, each result checked against a {@code java.util.HashMap} as it happens: puts, removes of
 * present and absent keys (0 and 1 included, the keys the primitive-keyed maps keep beside the
 * table), {@code removeKeyIfAbsent}, iterator and key-set removes, {@code getIfAbsentPut}, {@code
 * addToValue}, {@code trimToSize()} or {@code compact()}, {@code clear()}. Prints one line per case
 * with a hash of every result and the final contents, and {@code MISMATCH} lines if a map ever
 * disagreed with the oracle: the output must be the same with and without the agent.
 *
 * <p>Arguments: first seed, number of cases, operations per case.
 */
public final class EclipseOpsProgram {
  /** One map under test and its oracle: each step returns a value that goes into the hash. */
  interface Case {
    long step(Random r, int keyRange);

    long contents();
  }

  /** The case of {@code kind} for {@code seed}, reporting to {@code mismatches}. */
  @FunctionalInterface
  interface Cases {
    Case of(int kind, List<String> mismatches, long seed);
  }

  public static void main(String[] args) throws Exception {
    run(
        args,
        4,
        (kind, mismatches, seed) ->
            switch (kind) {
              case 0 -> new LongObjects(mismatches, seed);
              case 1 -> new ObjectLongs(mismatches, seed);
              case 2 -> new IntInts(mismatches, seed);
              default -> new LongSet(mismatches, seed);
            });
  }

  /**
   * Runs the cases of {@code args} (first seed, number of cases, operations per case), each of kind
   * {@code seed mod kinds}, and prints a line per case and the mismatches.
   */
  static void run(String[] args, int kinds, Cases cases) {
    long firstSeed = Long.parseLong(args[0]);
    int count = Integer.parseInt(args[1]);
    int ops = Integer.parseInt(args[2]);
    List<String> mismatches = new ArrayList<>();
    for (long seed = firstSeed; seed < firstSeed + count; seed++) {
      Random r = new Random(seed);
      int kind = (int) Math.floorMod(seed, kinds);
      Case c = cases.of(kind, mismatches, seed);
      // Small key ranges churn a few slots; large ones grow the table and leave many sentinels.
      int keyRange = 4 << r.nextInt(12);
      long hash = 17;
      for (int i = 0; i < ops; i++) {
        hash = hash * 31 + c.step(r, keyRange);
      }
      System.out.println("CASE " + seed + " " + kind + " " + hash + " " + c.contents());
    }
    for (String m : mismatches) {
      System.out.println("MISMATCH " + m);
    }
  }

  static void check(List<String> mismatches, long seed, String op, Object got, Object want) {
    if (!java.util.Objects.equals(got, want) && mismatches.size() < 20) {
      mismatches.add(seed + " " + op + ": " + got + " where the oracle has " + want);
    }
  }

  /** trimToSize() since 12.0, compact() before. */
  static void trim(Object map) {
    try {
      try {
        map.getClass().getMethod("trimToSize").invoke(map);
      } catch (NoSuchMethodException e) {
        map.getClass().getMethod("compact").invoke(map);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class LongObjects implements Case {
    private final LongObjectHashMap<String> map = new LongObjectHashMap<>();
    private final Map<Long, String> oracle = new HashMap<>();
    private final List<String> mismatches;
    private final long seed;

    LongObjects(List<String> mismatches, long seed) {
      this.mismatches = mismatches;
      this.seed = seed;
    }

    @Override
    public long step(Random r, int keyRange) {
      long k = r.nextInt(keyRange) - 2;
      String v = "v" + r.nextInt(1000);
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        got = map.put(k, v);
        want = oracle.put(k, v);
      } else if (op < 75) {
        got = map.removeKey(k);
        want = oracle.remove(k);
      } else if (op < 85) {
        got = map.get(k);
        want = oracle.get(k);
      } else if (op < 90) {
        got = map.getIfAbsentPut(k, v);
        want = oracle.computeIfAbsent(k, x -> v);
      } else if (op < 95) {
        got = map.keySet().remove(k);
        want = oracle.remove(k) != null;
      } else if (op < 98) {
        int removed = 0;
        for (Iterator<String> it = map.iterator(); it.hasNext(); ) {
          if (it.next().hashCode() % 3 == 0) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.values().removeIf(s -> s.hashCode() % 3 == 0);
        got = removed;
        want = before - oracle.size();
      } else if (op < 99) {
        trim(map);
        got = map.size();
        want = oracle.size();
      } else {
        map.clear();
        oracle.clear();
        got = 0;
        want = 0;
      }
      check(mismatches, seed, "op " + op + " key " + k, got, want);
      check(mismatches, seed, "size after op " + op, map.size(), oracle.size());
      return java.util.Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (long k : map.keySet().toArray()) {
        check(mismatches, seed, "contents " + k, map.get(k), oracle.get(k));
        h += Long.hashCode(k) * 31L + map.get(k).hashCode();
      }
      check(mismatches, seed, "final size", map.size(), oracle.size());
      return h;
    }
  }

  private static final class ObjectLongs implements Case {
    private final ObjectLongHashMap<String> map = new ObjectLongHashMap<>();
    private final Map<String, Long> oracle = new HashMap<>();
    private final List<String> mismatches;
    private final long seed;

    ObjectLongs(List<String> mismatches, long seed) {
      this.mismatches = mismatches;
      this.seed = seed;
    }

    @Override
    public long step(Random r, int keyRange) {
      // No null key: the library's own longIterator().remove() fails on it (it probes with its
      // internal NULL_KEY, whose hashCode() throws), with or without the agent.
      String k = "k" + r.nextInt(keyRange);
      long v = r.nextInt(1000);
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        map.put(k, v);
        oracle.put(k, v);
        got = map.get(k);
        want = v;
      } else if (op < 60) {
        map.removeKey(k);
        oracle.remove(k);
        got = map.containsKey(k);
        want = false;
      } else if (op < 75) {
        got = map.removeKeyIfAbsent(k, -1L);
        Long old = oracle.remove(k);
        want = old == null ? -1L : old;
      } else if (op < 85) {
        got = map.getIfAbsentPut(k, v);
        want = oracle.computeIfAbsent(k, x -> v);
      } else if (op < 90) {
        got = map.addToValue(k, 5);
        want = oracle.merge(k, 5L, Long::sum);
      } else if (op < 97) {
        int removed = 0;
        for (MutableLongIterator it = map.longIterator(); it.hasNext(); ) {
          if (it.next() % 3 == 0) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.values().removeIf(x -> x % 3 == 0);
        got = removed;
        want = before - oracle.size();
      } else if (op < 99) {
        trim(map);
        got = map.size();
        want = oracle.size();
      } else {
        map.clear();
        oracle.clear();
        got = 0;
        want = 0;
      }
      check(mismatches, seed, "op " + op + " key " + k, got, want);
      check(mismatches, seed, "size after op " + op, map.size(), oracle.size());
      return java.util.Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (Map.Entry<String, Long> e : oracle.entrySet()) {
        check(mismatches, seed, "contents " + e.getKey(), map.get(e.getKey()), e.getValue());
        h += java.util.Objects.hashCode(e.getKey()) * 31L + e.getValue();
      }
      check(mismatches, seed, "final size", map.size(), oracle.size());
      return h;
    }
  }

  private static final class IntInts implements Case {
    private final IntIntHashMap map = new IntIntHashMap();
    private final Map<Integer, Integer> oracle = new HashMap<>();
    private final List<String> mismatches;
    private final long seed;

    IntInts(List<String> mismatches, long seed) {
      this.mismatches = mismatches;
      this.seed = seed;
    }

    @Override
    public long step(Random r, int keyRange) {
      int k = r.nextInt(keyRange) - 2;
      int v = r.nextInt(1000);
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        map.put(k, v);
        oracle.put(k, v);
        got = map.get(k);
        want = v;
      } else if (op < 60) {
        map.removeKey(k);
        oracle.remove(k);
        got = map.containsKey(k);
        want = false;
      } else if (op < 75) {
        got = map.removeKeyIfAbsent(k, -1);
        Integer old = oracle.remove(k);
        want = old == null ? -1 : old;
      } else if (op < 80) {
        got = map.keySet().remove(k);
        want = oracle.remove(k) != null;
      } else if (op < 88) {
        got = map.getIfAbsentPut(k, v);
        want = oracle.computeIfAbsent(k, x -> v);
      } else if (op < 91) {
        got = map.addToValue(k, 7);
        want = oracle.merge(k, 7, Integer::sum);
      } else if (op < 97) {
        int removed = 0;
        for (MutableIntIterator it = map.intIterator(); it.hasNext(); ) {
          if (it.next() % 3 == 0) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.values().removeIf(x -> x % 3 == 0);
        got = removed;
        want = before - oracle.size();
      } else if (op < 99) {
        trim(map);
        got = map.size();
        want = oracle.size();
      } else {
        map.clear();
        oracle.clear();
        got = 0;
        want = 0;
      }
      check(mismatches, seed, "op " + op + " key " + k, got, want);
      check(mismatches, seed, "size after op " + op, map.size(), oracle.size());
      return java.util.Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (Map.Entry<Integer, Integer> e : oracle.entrySet()) {
        check(mismatches, seed, "contents " + e.getKey(), map.get(e.getKey()), e.getValue());
        h += e.getKey() * 31L + e.getValue();
      }
      check(mismatches, seed, "final size", map.size(), oracle.size());
      return h;
    }
  }

  private static final class LongSet implements Case {
    private LongHashSet set = new LongHashSet();
    private final java.util.Set<Long> oracle = new java.util.HashSet<>();
    private final List<String> mismatches;
    private final long seed;

    LongSet(List<String> mismatches, long seed) {
      this.mismatches = mismatches;
      this.seed = seed;
    }

    @Override
    public long step(Random r, int keyRange) {
      long k = r.nextInt(keyRange) - 2;
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        got = set.add(k);
        want = oracle.add(k);
      } else if (op < 75) {
        got = set.remove(k);
        want = oracle.remove(k);
      } else if (op < 88) {
        got = set.contains(k);
        want = oracle.contains(k);
      } else if (op < 94) {
        int removed = 0;
        for (MutableLongIterator it = set.longIterator(); it.hasNext(); ) {
          if (it.next() % 3 == 0) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.removeIf(v -> v % 3 == 0);
        got = removed;
        want = before - oracle.size();
      } else if (op < 96) {
        LongHashSet keep = new LongHashSet();
        for (long v = k; v < k + keyRange / 2; v++) {
          keep.add(v);
        }
        got = set.retainAll(keep);
        want = oracle.removeIf(v -> !keep.contains(v));
      } else if (op < 97) {
        set = LongHashSet.newSet(set); // a copy, its sentinels and all
        got = set.size();
        want = oracle.size();
      } else if (op < 99) {
        trim(set);
        got = set.size();
        want = oracle.size();
      } else {
        set.clear();
        oracle.clear();
        got = 0;
        want = 0;
      }
      check(mismatches, seed, "op " + op + " value " + k, got, want);
      check(mismatches, seed, "size after op " + op, set.size(), oracle.size());
      return java.util.Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (long v : oracle) {
        check(mismatches, seed, "contents " + v, set.contains(v), true);
        h += Long.hashCode(v * 31L);
      }
      check(mismatches, seed, "final size", set.size(), oracle.size());
      return h;
    }
  }
}
