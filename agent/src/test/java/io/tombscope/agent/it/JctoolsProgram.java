package io.tombscope.agent.it;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.jctools.maps.NonBlockingHashMap;
import org.jctools.maps.NonBlockingHashMapLong;
import org.jctools.maps.NonBlockingHashSet;
import org.jctools.maps.NonBlockingIdentityHashMap;

/**
 * Works JCTools maps (a {@code NonBlockingHashMap}, a {@code NonBlockingHashMapLong}, a {@code
 * NonBlockingIdentityHashMap}, and the map inside a {@code NonBlockingHashSet}) through phases, one
 * writer at a time (fill, churn with misses and revived keys, removes through iterators, views and
 * {@code remove(key, value)}, clear), then eight threads on one map, and prints after each phase
 * what JCTools' own state says: delete hits and misses as its methods returned them, dead keys now
 * ({@code _slots − _size} of the current table) and at their most, and each resize by cause with
 * the dead keys it dropped ({@code _slots} of the old table less the live entries then) and the
 * entries it moved, each told by the table chain. Between phases it idles for a few recording
 * intervals.
 *
 * <p>The last line, {@code RESULT}, is a checksum of the maps' contents: it must not change under
 * the agent.
 */
public final class JctoolsProgram {
  private static final long IDLE_MILLIS = 1_500;
  private static final int THREADS = 8;

  /** JCTools' state of one map, read through reflection around each operation. */
  static final class Watched {
    final String name;
    final Object map;
    final boolean isLong;
    long deleteHits;
    long deleteMisses;
    long peak;
    long growsLoad;
    long growsOverflow;
    long reclaimedByResize;
    long entriesMoved;
    long clears;
    long reclaimedByClear;
    private final Field top;
    private final Field next;
    private final Field keys;
    private final Method slots;
    private final Method size;
    private final Map<Object, Boolean> counted = new IdentityHashMap<>();

    Watched(String name, Object map) throws ReflectiveOperationException {
      this.name = name;
      this.map = map;
      this.isLong = map instanceof NonBlockingHashMapLong;
      Class<?> c =
          isLong
              ? NonBlockingHashMapLong.class
              : map instanceof NonBlockingIdentityHashMap
                  ? NonBlockingIdentityHashMap.class
                  : NonBlockingHashMap.class;
      Class<?> chm = Class.forName(c.getName() + "$CHM");
      top = open(c.getDeclaredField(isLong ? "_chm" : "_kvs"));
      next = open(chm.getDeclaredField(isLong ? "_newchm" : "_newkvs"));
      keys = isLong ? open(chm.getDeclaredField("_keys")) : null;
      slots = open(chm.getDeclaredMethod("slots"));
      size = open(chm.getDeclaredMethod("size"));
    }

    private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
      member.setAccessible(true);
      return member;
    }

    Object top() {
      return get(top, map);
    }

    private Object chm(Object table) {
      return isLong ? table : ((Object[]) table)[0];
    }

    Object next(Object table) {
      return get(next, chm(table));
    }

    long length(Object table) {
      return isLong ? ((long[]) get(keys, table)).length : (((Object[]) table).length - 2) >> 1;
    }

    long slots(Object table) {
      return call(slots, chm(table));
    }

    long size(Object table) {
      return call(size, chm(table));
    }

    long deadKeys() {
      Object t = top();
      return slots(t) - size(t);
    }

    private static Object get(Field f, Object o) {
      try {
        return f.get(o);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    private static long call(Method m, Object o) {
      try {
        return ((Number) m.invoke(o)).longValue();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Runs one operation; counts it as a delete if {@code delete}, and any resize it started. */
    boolean op(boolean delete, BooleanSupplier operation) {
      Object before = top();
      long sizeBefore = size(before);
      boolean hit = operation.getAsBoolean();
      if (delete) {
        if (hit) {
          deleteHits++;
        } else {
          deleteMisses++;
        }
      }
      // Every table of the chain from the one before that has a next table was resized, once.
      for (Object t = before; t != null; t = next(t)) {
        Object n = next(t);
        if (n != null && counted.put(t, Boolean.TRUE) == null) {
          if (length(n) > length(t)) {
            growsLoad++;
          } else {
            growsOverflow++;
          }
          reclaimedByResize += slots(t) - sizeBefore;
          entriesMoved += sizeBefore;
        }
      }
      peak = Math.max(peak, deadKeys());
      return hit;
    }

    void clear(Runnable clear) {
      long dead = deadKeys();
      if (size(top()) > 0) {
        clears++;
      }
      reclaimedByClear += dead;
      clear.run();
    }

    String truth() {
      Object t = top();
      return "deleteHits="
          + deleteHits
          + ",deleteMisses="
          + deleteMisses
          + ",tombstones="
          + (slots(t) - size(t))
          + ",tombstonesPeak="
          + peak
          + ",growsLoad="
          + growsLoad
          + ",growsOverflow="
          + growsOverflow
          + ",tombstonesReclaimedByEvacuation="
          + reclaimedByResize
          + ",entriesMoved="
          + entriesMoved
          + ",clears="
          + clears
          + ",tombstonesReclaimedByClear="
          + reclaimedByClear
          + ",size="
          + ((Map<?, ?>) map).size()
          + ",slots="
          + length(t);
    }
  }

  public static void main(String[] args) throws Exception {
    Random random = new Random(42);
    NonBlockingHashMap<String, Integer> objectMap = objectMap();
    NonBlockingHashMapLong<String> longMap = longMap();
    Watched objects = new Watched("objects", objectMap);
    Watched longs = new Watched("longs", longMap);
    NonBlockingIdentityHashMap<String, Integer> identityMap = identityMap();
    Watched identity = new Watched("identity", identityMap);
    NonBlockingHashSet<String> set = setMap();
    Watched sets = new Watched("set", mapOf(set));
    Watched[] single = {objects, longs, identity, sets};

    // fill
    for (int i = 1; i <= 300; i++) {
      int k = i;
      objects.op(false, () -> objectMap.put("k" + k, k) == null);
      longs.op(false, () -> longMap.put(k, "v" + k) == null);
      identity.op(false, () -> identityMap.put(key(k), k) == null);
      sets.op(false, () -> set.add("k" + k));
    }
    phase("fill", single);

    // churn: remove the oldest key, put a new one; every fifth turn remove an absent key, every
    // seventh remove a key and put it back (its slot revives)
    int next = 301;
    for (int i = 0; i < 4_000; i++) {
      int victim = next - 300;
      objects.op(true, () -> objectMap.remove("k" + victim) != null);
      longs.op(true, () -> longMap.remove(victim) != null);
      identity.op(true, () -> identityMap.remove(key(victim)) != null);
      sets.op(true, () -> set.remove("k" + victim));
      int k = next++;
      objects.op(false, () -> objectMap.put("k" + k, k) == null);
      longs.op(false, () -> longMap.put(k, "v" + k) == null);
      identity.op(false, () -> identityMap.put(key(k), k) == null);
      sets.op(false, () -> set.add("k" + k));
      if (i % 5 == 0) {
        objects.op(true, () -> objectMap.remove("absent" + k) != null);
        longs.op(true, () -> longMap.remove(-k) != null);
        // an equal string, but another object: absent from an identity map
        identity.op(true, () -> identityMap.remove(new String(key(k))) != null);
        sets.op(true, () -> set.remove("absent" + k));
      }
      if (i % 7 == 0) {
        int back = k - random.nextInt(200);
        objects.op(true, () -> objectMap.remove("k" + back) != null);
        objects.op(false, () -> objectMap.put("k" + back, back) == null);
        longs.op(true, () -> longMap.remove(back) != null);
        longs.op(false, () -> longMap.put(back, "v" + back) == null);
        identity.op(true, () -> identityMap.remove(key(back)) != null);
        identity.op(false, () -> identityMap.put(key(back), back) == null);
      }
    }
    phase("churn", single);

    // removes through iterators, views, remove(key, value) and compute
    for (Iterator<Map.Entry<String, Integer>> it = objectMap.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Integer> e = it.next();
      if (e.getValue() % 3 == 0) {
        objects.op(
            true,
            () -> {
              it.remove();
              return true;
            });
      }
    }
    for (Iterator<Long> it = longMap.keySet().iterator(); it.hasNext(); ) {
      long k = it.next();
      if (k % 3 == 0) {
        longs.op(
            true,
            () -> {
              it.remove();
              return true;
            });
      }
    }
    List<Integer> values = new ArrayList<>(objectMap.values());
    for (int v : values) {
      if (v % 5 == 0) {
        objects.op(true, () -> objectMap.remove("k" + v, v + 1)); // a miss: another value
        objects.op(true, () -> objectMap.remove("k" + v, v));
      } else if (v % 7 == 0) {
        objects.op(true, () -> objectMap.keySet().remove("k" + v));
      } else if (v % 11 == 0) {
        objects.op(true, () -> objectMap.computeIfPresent("k" + v, (key, old) -> null) == null);
      }
    }
    for (long k : new ArrayList<>(longMap.keySet())) {
      if (k % 5 == 0) {
        String v = longMap.get(k);
        longs.op(true, () -> longMap.remove(k, "other"));
        longs.op(true, () -> longMap.remove(k, v));
      }
    }
    for (Iterator<String> it = identityMap.keySet().iterator(); it.hasNext(); ) {
      if (it.next().hashCode() % 3 == 0) {
        identity.op(
            true,
            () -> {
              it.remove();
              return true;
            });
      }
    }
    for (Iterator<String> it = set.iterator(); it.hasNext(); ) {
      if (it.next().hashCode() % 3 == 0) {
        sets.op(
            true,
            () -> {
              it.remove();
              return true;
            });
      }
    }
    phase("remove", single);

    // clear, then a few more writes on the new table
    objects.clear(objectMap::clear);
    longs.clear(longMap::clear);
    identity.clear(identityMap::clear);
    sets.clear(set::clear);
    for (int i = 1; i <= 50; i++) {
      int k = i;
      objects.op(false, () -> objectMap.put("k" + k, k) == null);
      longs.op(false, () -> longMap.put(k, "v" + k) == null);
      identity.op(false, () -> identityMap.put(key(k), k) == null);
      sets.op(false, () -> set.add("k" + k));
    }
    for (int i = 1; i <= 50; i += 2) {
      int k = i;
      objects.op(true, () -> objectMap.remove("k" + k) != null);
      longs.op(true, () -> longMap.remove(k) != null);
      identity.op(true, () -> identityMap.remove(key(k)) != null);
      sets.op(true, () -> set.remove("k" + k));
    }
    phase("clear", single);

    // eight threads on one map: each churns its own keys and misses some
    NonBlockingHashMap<Long, Long> sharedMap = sharedMap();
    Watched shared = new Watched("shared", sharedMap);
    long[] hits = new long[THREADS];
    long[] misses = new long[THREADS];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread thread =
          new Thread(
              () -> {
                long base = (long) id << 32;
                for (long i = 0; i < 20_000; i++) {
                  sharedMap.put(base + i, i);
                  if (i >= 100) {
                    if (sharedMap.remove(base + i - 100) != null) {
                      hits[id]++;
                    } else {
                      misses[id]++;
                    }
                  }
                  if (i % 10 == 0) {
                    if (sharedMap.remove(-1 - base - i, i)
                        || sharedMap.remove(-1 - base - i) != null) {
                      hits[id]++;
                    } else {
                      misses[id] += 2;
                    }
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    for (int t = 0; t < THREADS; t++) {
      shared.deleteHits += hits[t];
      shared.deleteMisses += misses[t];
    }
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    Object t = shared.top();
    System.out.println(
        "PHASE threads shared "
            + idleUntil
            + " deleteHits="
            + shared.deleteHits
            + ",deleteMisses="
            + shared.deleteMisses
            + ",tombstones="
            + (shared.slots(t) - shared.size(t))
            + ",size="
            + sharedMap.size()
            + ",slots="
            + shared.length(t));

    long checksum = 0;
    for (Map.Entry<String, Integer> e : objectMap.entrySet()) {
      checksum += e.getKey().hashCode() ^ e.getValue();
    }
    for (Map.Entry<Long, String> e : longMap.entrySet()) {
      checksum += Long.hashCode(e.getKey() * 31) ^ e.getValue().hashCode();
    }
    for (Map.Entry<Long, Long> e : sharedMap.entrySet()) {
      checksum += Long.hashCode(e.getKey() * 17 + e.getValue());
    }
    for (Map.Entry<String, Integer> e : identityMap.entrySet()) {
      checksum += e.getKey().hashCode() * 7 ^ e.getValue();
    }
    for (String e : set) {
      checksum += e.hashCode() * 3;
    }
    System.out.println(
        "RESULT "
            + objectMap.size()
            + " "
            + longMap.size()
            + " "
            + sharedMap.size()
            + " "
            + identityMap.size()
            + " "
            + set.size()
            + " "
            + checksum);
  }

  private static NonBlockingHashMap<String, Integer> objectMap() {
    return new NonBlockingHashMap<>();
  }

  private static NonBlockingHashMapLong<String> longMap() {
    return new NonBlockingHashMapLong<>();
  }

  private static NonBlockingHashMap<Long, Long> sharedMap() {
    return new NonBlockingHashMap<>();
  }

  private static NonBlockingIdentityHashMap<String, Integer> identityMap() {
    return new NonBlockingIdentityHashMap<>();
  }

  /** A set; the agent records the map inside it, whose site is where the set was built. */
  private static NonBlockingHashSet<String> setMap() {
    return new NonBlockingHashSet<>();
  }

  /** The {@code NonBlockingHashMap} a {@code NonBlockingHashSet} keeps its elements in. */
  private static Object mapOf(NonBlockingHashSet<?> set) throws ReflectiveOperationException {
    Field map = NonBlockingHashSet.class.getDeclaredField("_map");
    map.setAccessible(true);
    return map.get(set);
  }

  // The identity map's keys: one String object per number, so that a lookup finds it.
  private static final Map<Integer, String> KEYS = new java.util.HashMap<>();

  private static String key(int k) {
    return KEYS.computeIfAbsent(k, n -> "k" + n);
  }

  private static void phase(String name, Watched... maps) throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    for (Watched w : maps) {
      System.out.println("PHASE " + name + " " + w.name + " " + idleUntil + " " + w.truth());
    }
  }
}
