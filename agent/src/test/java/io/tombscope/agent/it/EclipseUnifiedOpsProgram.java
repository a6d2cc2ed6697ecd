package io.tombscope.agent.it;

import static io.tombscope.agent.it.EclipseOpsProgram.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.collections.api.block.HashingStrategy;
import org.eclipse.collections.api.iterator.MutableBooleanIterator;
import org.eclipse.collections.api.map.MutableMap;
import org.eclipse.collections.impl.block.factory.HashingStrategies;
import org.eclipse.collections.impl.map.mutable.UnifiedMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntBooleanHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectBooleanHashMap;
import org.eclipse.collections.impl.map.strategy.mutable.UnifiedMapWithHashingStrategy;
import org.eclipse.collections.impl.set.AbstractUnifiedSet;
import org.eclipse.collections.impl.set.mutable.UnifiedSet;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.strategy.mutable.UnifiedSetWithHashingStrategy;

/**
 * Random operations on {@code UnifiedMap}, {@code UnifiedSet}, their siblings with a hashing
 * strategy, {@code IntBooleanHashMap} and {@code ObjectBooleanHashMap}, as {@link
 * EclipseOpsProgram} runs them on the primitive maps: each result checked against {@code
 * java.util.HashMap} or {@code HashSet} as it happens, with null keys and elements, removes through
 * the map, its key set, entry set and iterators, {@code removeIf}, {@code retainAll} (of a set, and
 * of a list: the set then swaps in a new table; of the primitive-keyed map's key set, which does
 * too), the keys 0 and 1 that the primitive-keyed map keeps beside its table, {@code trimToSize()}
 * and {@code clear()}. The output must be the same with and without the agent.
 *
 * <p>Arguments: first seed, number of cases, operations per case.
 */
public final class EclipseUnifiedOpsProgram {
  private EclipseUnifiedOpsProgram() {}

  public static void main(String[] args) {
    EclipseOpsProgram.run(
        args,
        6,
        (kind, mismatches, seed) ->
            switch (kind) {
              case 0 -> new Unified(mismatches, seed, false);
              case 1 -> new UnifiedElements(mismatches, seed, false);
              case 2 -> new IntBooleans(mismatches, seed);
              case 3 -> new ObjectBooleans(mismatches, seed);
              case 4 -> new Unified(mismatches, seed, true);
              default -> new UnifiedElements(mismatches, seed, true);
            });
  }

  /**
   * trimToSize() or compact(), where the class has either ({@code ObjectBooleanHashMap} 11.x has
   * none).
   */
  private static void trimIfAny(Object map) {
    for (var m : map.getClass().getMethods()) {
      if ((m.getName().equals("trimToSize") || m.getName().equals("compact"))
          && m.getParameterCount() == 0) {
        EclipseOpsProgram.trim(map);
        return;
      }
    }
  }

  /** Hashes through {@code hashCode} and {@code equals}, and takes null. */
  private static <T> HashingStrategy<T> strategy() {
    return HashingStrategies.nullSafeHashingStrategy(HashingStrategies.defaultStrategy());
  }

  /** A {@code UnifiedMap}, or ({@code strategy}) a {@code UnifiedMapWithHashingStrategy}. */
  private static final class Unified implements EclipseOpsProgram.Case {
    private final MutableMap<String, Integer> map;
    private final BooleanSupplier trimToSize;
    private final Map<String, Integer> oracle = new HashMap<>();
    private final List<String> mismatches;
    private final long seed;

    Unified(List<String> mismatches, long seed, boolean strategy) {
      this.mismatches = mismatches;
      this.seed = seed;
      if (strategy) {
        UnifiedMapWithHashingStrategy<String, Integer> m =
            new UnifiedMapWithHashingStrategy<>(strategy());
        map = m;
        trimToSize = m::trimToSize;
      } else {
        UnifiedMap<String, Integer> m = new UnifiedMap<>();
        map = m;
        trimToSize = m::trimToSize;
      }
    }

    @Override
    public long step(Random r, int keyRange) {
      int n = r.nextInt(keyRange);
      String k = n == 0 ? null : "k" + n;
      int v = r.nextInt(1000);
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        got = map.put(k, v);
        want = oracle.put(k, v);
      } else if (op < 60) {
        got = map.remove(k);
        want = oracle.remove(k);
      } else if (op < 68) {
        got = map.get(k);
        want = oracle.get(k);
      } else if (op < 73) {
        got = map.keySet().remove(k);
        want = oracle.containsKey(k);
        oracle.remove(k);
      } else if (op < 78) {
        got = map.entrySet().remove(new java.util.AbstractMap.SimpleEntry<>(k, v));
        want = oracle.remove(k, v);
      } else if (op < 83) {
        got = map.getIfAbsentPut(k, v);
        want = oracle.computeIfAbsent(k, x -> v);
      } else if (op < 88) {
        int removed = 0;
        Iterator<?> it = op % 2 == 0 ? map.values().iterator() : map.entrySet().iterator();
        while (it.hasNext()) {
          Object next = it.next();
          int value = next instanceof Map.Entry<?, ?> e ? (Integer) e.getValue() : (Integer) next;
          if (value % 3 == 0) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.values().removeIf(x -> x % 3 == 0);
        got = removed;
        want = before - oracle.size();
      } else if (op < 92) {
        got = map.removeIf((key, value) -> value % 4 == 1);
        want = oracle.values().removeIf(x -> x % 4 == 1);
      } else if (op < 95) {
        Set<String> keep = new HashSet<>();
        for (int i = n; i < n + keyRange / 2; i++) {
          keep.add("k" + i);
        }
        got = map.keySet().retainAll(keep);
        want = oracle.keySet().retainAll(keep);
      } else if (op < 98) {
        got = trimToSize.getAsBoolean();
        want = got;
      } else {
        map.clear();
        oracle.clear();
        got = 0;
        want = 0;
      }
      check(mismatches, seed, "op " + op + " key " + k, got, want);
      check(mismatches, seed, "size after op " + op, map.size(), oracle.size());
      return Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (Map.Entry<String, Integer> e : oracle.entrySet()) {
        check(mismatches, seed, "contents " + e.getKey(), map.get(e.getKey()), e.getValue());
        h += Objects.hashCode(e.getKey()) * 31L + e.getValue();
      }
      check(mismatches, seed, "final size", map.size(), oracle.size());
      return h;
    }
  }

  /** A {@code UnifiedSet}, or ({@code strategy}) a {@code UnifiedSetWithHashingStrategy}. */
  private static final class UnifiedElements implements EclipseOpsProgram.Case {
    private final AbstractUnifiedSet<String> set;
    private final BooleanSupplier trimToSize;
    private final Set<String> oracle = new HashSet<>();
    private final List<String> mismatches;
    private final long seed;

    UnifiedElements(List<String> mismatches, long seed, boolean strategy) {
      this.mismatches = mismatches;
      this.seed = seed;
      if (strategy) {
        UnifiedSetWithHashingStrategy<String> s = new UnifiedSetWithHashingStrategy<>(strategy());
        set = s;
        trimToSize = s::trimToSize;
      } else {
        UnifiedSet<String> s = new UnifiedSet<>();
        set = s;
        trimToSize = s::trimToSize;
      }
    }

    @Override
    public long step(Random r, int keyRange) {
      int n = r.nextInt(keyRange);
      String k = n == 0 ? null : "e" + n;
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        got = set.add(k);
        want = oracle.add(k);
      } else if (op < 65) {
        got = set.remove(k);
        want = oracle.remove(k);
      } else if (op < 72) {
        got = set.removeFromPool(k);
        want = oracle.remove(k) ? k : null;
      } else if (op < 82) {
        got = set.contains(k);
        want = oracle.contains(k);
      } else if (op < 88) {
        int removed = 0;
        for (Iterator<String> it = set.iterator(); it.hasNext(); ) {
          if (Objects.hashCode(it.next()) % 3 == 0) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.removeIf(e -> Objects.hashCode(e) % 3 == 0);
        got = removed;
        want = before - oracle.size();
      } else if (op < 94) {
        List<String> keep = new ArrayList<>();
        for (int i = n; i < n + keyRange / 2; i++) {
          keep.add("e" + i);
        }
        // a list: the set builds a new table of the kept; a set: it removes in place
        got = op % 2 == 0 ? set.retainAll(keep) : set.retainAll(new HashSet<>(keep));
        want = oracle.retainAll(new HashSet<>(keep));
      } else if (op < 98) {
        got = trimToSize.getAsBoolean();
        want = got;
      } else {
        set.clear();
        oracle.clear();
        got = 0;
        want = 0;
      }
      check(mismatches, seed, "op " + op + " element " + k, got, want);
      check(mismatches, seed, "size after op " + op, set.size(), oracle.size());
      return Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (String e : oracle) {
        check(mismatches, seed, "contents " + e, set.contains(e), true);
        h += Objects.hashCode(e) * 31L;
      }
      check(mismatches, seed, "final size", set.size(), oracle.size());
      return h;
    }
  }

  private static final class IntBooleans implements EclipseOpsProgram.Case {
    private final IntBooleanHashMap map = new IntBooleanHashMap();
    private final Map<Integer, Boolean> oracle = new HashMap<>();
    private final List<String> mismatches;
    private final long seed;

    IntBooleans(List<String> mismatches, long seed) {
      this.mismatches = mismatches;
      this.seed = seed;
    }

    @Override
    public long step(Random r, int keyRange) {
      int k = r.nextInt(keyRange) - 2;
      boolean v = r.nextBoolean();
      int op = r.nextInt(100);
      Object got;
      Object want;
      if (op < 40) {
        map.put(k, v);
        oracle.put(k, v);
        got = map.get(k);
        want = v;
      } else if (op < 55) {
        map.removeKey(k);
        oracle.remove(k);
        got = map.containsKey(k);
        want = false;
      } else if (op < 62) {
        map.remove(k);
        oracle.remove(k);
        got = map.size();
        want = oracle.size();
      } else if (op < 75) {
        got = map.removeKeyIfAbsent(k, v);
        Boolean old = oracle.remove(k);
        want = old == null ? v : old;
      } else if (op < 80) {
        got = map.keySet().remove(k);
        want = oracle.remove(k) != null;
      } else if (op < 88) {
        got = map.getIfAbsentPut(k, v);
        want = oracle.computeIfAbsent(k, x -> v);
      } else if (op < 95) {
        // removeKey of each (IntBooleanHashMap's own iterators fail once sentinels are in the
        // table, with or without the agent: not used here)
        got = map.keySet().removeAll(k, k + 1, k + 2);
        boolean any = false;
        for (int i = k; i < k + 3; i++) {
          any |= oracle.remove(i) != null;
        }
        want = any;
      } else if (op < 97) {
        // the key set's retainAll swaps in a rebuilt table
        IntHashSet keep = new IntHashSet();
        for (int i = k; i < k + keyRange / 2; i++) {
          keep.add(i);
        }
        got = map.keySet().retainAll(keep);
        want = oracle.keySet().removeIf(x -> !keep.contains(x));
      } else if (op < 99) {
        trimIfAny(map);
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
      return Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (Map.Entry<Integer, Boolean> e : oracle.entrySet()) {
        check(mismatches, seed, "contents " + e.getKey(), map.get(e.getKey()), e.getValue());
        h += e.getKey() * 31L + (e.getValue() ? 1 : 2);
      }
      check(mismatches, seed, "final size", map.size(), oracle.size());
      return h;
    }
  }

  private static final class ObjectBooleans implements EclipseOpsProgram.Case {
    private final ObjectBooleanHashMap<String> map = new ObjectBooleanHashMap<>();
    private final Map<String, Boolean> oracle = new HashMap<>();
    private final List<String> mismatches;
    private final long seed;

    ObjectBooleans(List<String> mismatches, long seed) {
      this.mismatches = mismatches;
      this.seed = seed;
    }

    @Override
    public long step(Random r, int keyRange) {
      // No null key, as for ObjectLongHashMap: the library's own iterator remove fails on it.
      String k = "k" + r.nextInt(keyRange);
      boolean v = r.nextBoolean();
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
        got = map.removeKeyIfAbsent(k, v);
        Boolean old = oracle.remove(k);
        want = old == null ? v : old;
      } else if (op < 80) {
        got = map.keySet().remove(k);
        want = oracle.remove(k) != null;
      } else if (op < 88) {
        got = map.getIfAbsentPut(k, v);
        want = oracle.computeIfAbsent(k, x -> v);
      } else if (op < 95) {
        int removed = 0;
        for (MutableBooleanIterator it = map.booleanIterator(); it.hasNext(); ) {
          if (!it.next()) {
            it.remove();
            removed++;
          }
        }
        int before = oracle.size();
        oracle.values().removeIf(x -> !x);
        got = removed;
        want = before - oracle.size();
      } else if (op < 99) {
        trimIfAny(map);
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
      return Objects.hashCode(got);
    }

    @Override
    public long contents() {
      long h = 0;
      for (Map.Entry<String, Boolean> e : oracle.entrySet()) {
        check(mismatches, seed, "contents " + e.getKey(), map.get(e.getKey()), e.getValue());
        h += e.getKey().hashCode() * 31L + (e.getValue() ? 1 : 2);
      }
      check(mismatches, seed, "final size", map.size(), oracle.size());
      return h;
    }
  }
}
