package io.tombscope.agent.it;

import it.unimi.dsi.fastutil.ints.Int2IntOpenCustomHashMap;
import it.unimi.dsi.fastutil.ints.IntHash;
import it.unimi.dsi.fastutil.ints.IntIterator;
import it.unimi.dsi.fastutil.ints.IntLinkedOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectIterator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Runs seeded random operations on three kinds of fastutil map (open, linked, custom-hashed) and a
 * linked set, and holds each, after every operation, to a JDK map or set given the same operations:
 * every return value, size and content, through puts, removes of present and absent keys, iterator
 * removes (that wrap around the table's end), a linked map's {@code removeFirst}/{@code
 * removeLast}, {@code trim()}, {@code clear()} and {@code clone()}. Small key ranges churn around
 * the quarter-full point where fastutil halves a table and doubles it again.
 *
 * <p>Prints, per seed, a digest of every value the maps returned and their table sizes; the same
 * seeds must print the same lines with and without the agent. A divergence from the JDK map is a
 * {@code MISMATCH} line and exit status 1.
 */
public final class FastutilSameBehaviourProgram {
  private static final IntHash.Strategy COLLIDING =
      new IntHash.Strategy() {
        @Override
        public int hashCode(int e) {
          return e & 0x3f; // many keys in few runs: long backward shifts
        }

        @Override
        public boolean equals(int a, int b) {
          return a == b;
        }
      };

  private long digest;

  public static void main(String[] args) throws Exception {
    int seeds = Integer.parseInt(args[0]);
    int operations = Integer.parseInt(args[1]);
    boolean ok = true;
    for (int seed = 1; seed <= seeds; seed++) {
      FastutilSameBehaviourProgram p = new FastutilSameBehaviourProgram();
      String failure = p.run(new Random(seed), operations);
      if (failure != null) {
        System.out.println("MISMATCH seed=" + seed + " " + failure);
        ok = false;
      } else {
        System.out.println("SEED " + seed + " " + Long.toHexString(p.digest));
      }
    }
    System.exit(ok ? 0 : 1);
  }

  private void note(Object value) {
    digest = digest * 1_000_003 + Objects.hashCode(value);
  }

  private String run(Random random, int operations) {
    Long2ObjectOpenHashMap<String> open = new Long2ObjectOpenHashMap<>();
    Map<Long, String> openOracle = new HashMap<>();
    Object2IntLinkedOpenHashMap<String> linked = new Object2IntLinkedOpenHashMap<>();
    LinkedHashMap<String, Integer> linkedOracle = new LinkedHashMap<>();
    Int2IntOpenCustomHashMap custom = new Int2IntOpenCustomHashMap(COLLIDING);
    Map<Integer, Integer> customOracle = new HashMap<>();
    IntLinkedOpenHashSet set = new IntLinkedOpenHashSet();
    LinkedHashSet<Integer> setOracle = new LinkedHashSet<>();
    for (int i = 0; i < operations; i++) {
      int range = random.nextInt(10) == 0 ? 5_000 : 400;
      long k = random.nextInt(range);
      int op = random.nextInt(100);
      String failure;
      if (op < 40) {
        String v = "v" + random.nextInt(1_000);
        failure =
            same("put", open.put(k, v), openOracle.put(k, v))
                + same(
                    "put", linked.put("k" + k, (int) k), orZero(linkedOracle.put("k" + k, (int) k)))
                + same("put", custom.put((int) k, i), orZero(customOracle.put((int) k, i)))
                + same("add", set.add((int) k), setOracle.add((int) k));
      } else if (op < 80) {
        failure =
            same("remove", open.remove(k), openOracle.remove(k))
                + same("remove", linked.removeInt("k" + k), orZero(linkedOracle.remove("k" + k)))
                + same("remove", custom.remove((int) k), orZero(customOracle.remove((int) k)))
                + same("remove", set.remove((int) k), setOracle.remove((int) k));
      } else if (op < 88) {
        failure =
            iteratorRemoves(random, open, openOracle, linked, linkedOracle, custom, customOracle);
        int modulus = 2 + random.nextInt(3);
        for (IntIterator it = set.iterator(); it.hasNext(); ) {
          if (it.nextInt() % modulus == 0) {
            it.remove();
          }
        }
        setOracle.removeIf(v -> v % modulus == 0);
      } else if (op < 93) {
        failure = firstOrLast(random, linked, linkedOracle);
        if (!setOracle.isEmpty()) {
          Integer first = setOracle.iterator().next();
          setOracle.remove(first);
          failure += same("removeFirst", set.removeFirstInt(), first);
        }
      } else if (op < 96) {
        note(open.trim());
        note(linked.trim());
        note(custom.trim());
        note(set.trim());
        failure = "";
      } else if (op < 98) {
        Long2ObjectOpenHashMap<String> copy = open.clone();
        failure = matches("clone", copy, openOracle);
        open = copy;
      } else {
        open.clear();
        openOracle.clear();
        linked.clear();
        linkedOracle.clear();
        set.clear();
        setOracle.clear();
        failure = "";
      }
      failure +=
          matches("open", open, openOracle)
              + matches("custom", custom, customOracle)
              + matches("linked", linked, linkedOracle)
              + matches(
                  "linked order",
                  new ArrayList<>(linked.keySet()),
                  new ArrayList<>(linkedOracle.keySet()))
              + matches("set order", new ArrayList<>(set), new ArrayList<>(setOracle));
      if (!failure.isEmpty()) {
        return "operation " + i + ": " + failure;
      }
      note(tableSize(open));
      note(tableSize(linked));
      note(tableSize(custom));
      note(tableSize(set));
    }
    return null;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  /** Compares a value the maps returned, and adds it to the digest. */
  private String same(String what, Object actual, Object expected) {
    note(actual);
    return matches(what, actual, expected);
  }

  private static String matches(String what, Object actual, Object expected) {
    return Objects.equals(actual, expected) ? "" : what + ": " + actual + " != " + expected + "; ";
  }

  private String iteratorRemoves(
      Random random,
      Long2ObjectOpenHashMap<String> open,
      Map<Long, String> openOracle,
      Object2IntLinkedOpenHashMap<String> linked,
      Map<String, Integer> linkedOracle,
      Int2IntOpenCustomHashMap custom,
      Map<Integer, Integer> customOracle) {
    int modulus = 2 + random.nextInt(3);
    for (ObjectIterator<Long2ObjectMap.Entry<String>> it =
            open.long2ObjectEntrySet().fastIterator();
        it.hasNext(); ) {
      long key = it.next().getLongKey();
      if (key % modulus == 0) {
        it.remove();
        openOracle.remove(key);
      }
    }
    for (Iterator<String> it = linked.keySet().iterator(); it.hasNext(); ) {
      String key = it.next();
      if (key.length() % modulus == 0) {
        it.remove();
        linkedOracle.remove(key);
      }
    }
    int removed = 0;
    for (Iterator<Integer> it = custom.values().iterator(); it.hasNext(); ) {
      if (it.next() % modulus == 0) {
        it.remove();
        removed++;
      }
    }
    customOracle.values().removeIf(v -> v % modulus == 0);
    note(removed);
    return "";
  }

  private String firstOrLast(
      Random random, Object2IntLinkedOpenHashMap<String> linked, Map<String, Integer> oracle) {
    if (oracle.isEmpty()) {
      return "";
    }
    List<String> keys = new ArrayList<>(oracle.keySet());
    boolean first = random.nextBoolean();
    String key = first ? keys.get(0) : keys.get(keys.size() - 1);
    int expected = oracle.remove(key);
    return same(
        first ? "removeFirst" : "removeLast",
        first ? linked.removeFirstInt() : linked.removeLastInt(),
        expected);
  }

  private static int tableSize(Object map) {
    try {
      java.lang.reflect.Field n = map.getClass().getDeclaredField("n");
      n.setAccessible(true);
      return n.getInt(map);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
