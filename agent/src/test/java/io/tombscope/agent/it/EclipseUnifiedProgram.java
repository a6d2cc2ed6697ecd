package io.tombscope.agent.it;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.eclipse.collections.api.iterator.MutableBooleanIterator;
import org.eclipse.collections.api.map.MutableMap;
import org.eclipse.collections.impl.block.factory.HashingStrategies;
import org.eclipse.collections.impl.map.mutable.UnifiedMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntBooleanHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectBooleanHashMap;
import org.eclipse.collections.impl.map.strategy.mutable.UnifiedMapWithHashingStrategy;
import org.eclipse.collections.impl.set.AbstractUnifiedSet;
import org.eclipse.collections.impl.set.mutable.UnifiedSet;
import org.eclipse.collections.impl.set.strategy.mutable.UnifiedSetWithHashingStrategy;

/**
 * Works Eclipse Collections' {@code UnifiedMap} and {@code UnifiedSet}, their siblings with a
 * hashing strategy ({@code UnifiedMapWithHashingStrategy}, {@code UnifiedSetWithHashingStrategy})
 * and two maps with {@code boolean} values ({@code IntBooleanHashMap}, {@code
 * ObjectBooleanHashMap}) through phases (fill, churn with misses, drain through iterators and
 * views, explicit trimToSize, clear) and prints, after each phase, what the library's own state
 * says: delete hits and misses, the rehashes by cause, each told by its new table array, size and
 * capacity; for the maps with {@code boolean} values their sentinels too ({@link
 * EclipseProgram.Watched}). Between phases it idles for a few recording intervals, as {@link
 * EclipseProgram} does.
 *
 * <p>The last line, {@code RESULT}, is a checksum of the contents: it must not change under the
 * agent.
 */
public final class EclipseUnifiedProgram {
  private static final long IDLE_MILLIS = 1_500;
  private static final int LIVE = 3_000;

  /** The library's state of a {@code UnifiedMap} or {@code UnifiedSet}, read by reflection. */
  static final class Unified {
    final String name;
    final Object map;
    private final Field occupied;
    private final Field table;
    private final boolean pairs;
    long deleteHits;
    long deleteMisses;
    long growsLoad;
    long trims;
    long clears;
    private Object[] lastTable;

    Unified(String name, Object map, Class<?> declaring, boolean pairs)
        throws ReflectiveOperationException {
      this.name = name;
      this.map = map;
      this.pairs = pairs;
      occupied = declaring.getDeclaredField("occupied");
      table = declaring.getDeclaredField("table");
      occupied.setAccessible(true);
      table.setAccessible(true);
      lastTable = table();
    }

    long size() {
      try {
        return occupied.getInt(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    long capacity() {
      return pairs ? table().length / 2 : table().length;
    }

    private Object[] table() {
      try {
        return (Object[]) table.get(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A remove of one key returned, having found it or not. */
    void removed(boolean hit) {
      if (hit) {
        deleteHits++;
      } else {
        deleteMisses++;
      }
    }

    /** A write returned: a new table is a grow (nothing else rebuilds it but trimToSize). */
    void written() {
      Object[] now = table();
      if (now != lastTable) {
        if (now.length <= lastTable.length) {
          throw new IllegalStateException(name + " rebuilt its table smaller on a write");
        }
        growsLoad++;
        lastTable = now;
      }
    }

    /** trimToSize(), which says whether it rebuilt the table. */
    void trimmed(boolean rebuilt) {
      if (rebuilt != (table() != lastTable)) {
        throw new IllegalStateException(name + " trimToSize() said " + rebuilt);
      }
      if (rebuilt) {
        trims++;
        lastTable = table();
      }
    }

    String truth() {
      return "deleteHits="
          + deleteHits
          + ",deleteMisses="
          + deleteMisses
          + ",growsLoad="
          + growsLoad
          + ",growsOverflow=0,shrinks=0,trims="
          + trims
          + ",clears="
          + clears
          + ",tombstones=0,tombstonesPeak=0,size="
          + size()
          + ",slots="
          + capacity();
    }
  }

  /**
   * A map and a set of one kind, worked alike: {@code UnifiedMap} and {@code UnifiedSet}, or their
   * siblings with a hashing strategy; their {@code trimToSize()}, which no interface declares.
   */
  private record Kind(
      MutableMap<String, Integer> map,
      AbstractUnifiedSet<String> set,
      Unified umap,
      Unified uset,
      BooleanSupplier trimMap,
      BooleanSupplier trimSet) {}

  public static void main(String[] args) throws Exception {
    Random random = new Random(7);
    UnifiedMap<String, Integer> map = unifiedMap();
    UnifiedSet<String> set = unifiedSet();
    UnifiedMapWithHashingStrategy<String, Integer> smap = strategyMap();
    UnifiedSetWithHashingStrategy<String> sset = strategySet();
    IntBooleanHashMap ints = intBooleanMap();
    ObjectBooleanHashMap<String> objects = objectBooleanMap();
    Kind[] kinds = {
      new Kind(
          map,
          set,
          new Unified("umap", map, UnifiedMap.class, true),
          new Unified("uset", set, UnifiedSet.class, false),
          map::trimToSize,
          set::trimToSize),
      new Kind(
          smap,
          sset,
          new Unified("smap", smap, UnifiedMapWithHashingStrategy.class, true),
          new Unified("sset", sset, UnifiedSetWithHashingStrategy.class, false),
          smap::trimToSize,
          sset::trimToSize)
    };
    EclipseProgram.Watched intBools = new EclipseProgram.Watched("intBools", ints);
    EclipseProgram.Watched objectBools = new EclipseProgram.Watched("objectBools", objects);
    EclipseProgram.Watched[] bools = {intBools, objectBools};

    // fill: the int keys from 2, since 0 and 1 are kept beside the table
    for (int i = 0; i < LIVE; i++) {
      put(kinds, ints, objects, i + 2);
      for (EclipseProgram.Watched w : bools) {
        w.rehashed();
      }
    }
    phase("fill", kinds, bools);

    // churn: remove the oldest key (or one already gone now and then) through the map, its key
    // set or its entry set, put a new one, and remove an absent one every tenth turn
    int next = LIVE + 2;
    for (int i = 0; i < 20_000; i++) {
      int victim = next - LIVE - (random.nextInt(50) == 0 ? 1 : 0);
      String k = "k" + victim;
      for (Kind kind : kinds) {
        switch (i % 3) {
          case 0 -> kind.umap.removed(kind.map.remove(k) != null);
          case 1 -> kind.umap.removed(kind.map.keySet().remove(k));
          default -> kind.umap.removed(kind.map.entrySet().remove(Map.entry(k, victim)));
        }
        kind.uset.removed(i % 2 == 0 ? kind.set.remove(k) : kind.set.removeFromPool(k) != null);
      }
      boolean present = ints.containsKey(victim);
      long sentinels = intBools.sentinels();
      ints.removeKey(victim);
      intBools.removed(present, sentinels);
      present = objects.containsKey(k);
      objects.removeKey(k);
      objectBools.removed(present);
      put(kinds, ints, objects, next++);
      for (EclipseProgram.Watched w : bools) {
        w.rehashed();
      }
      if (i % 10 == 0) {
        int absent = -5 - i;
        for (Kind kind : kinds) {
          kind.umap.removed(kind.map.removeKey("absent" + i) != null);
          kind.uset.removed(kind.set.remove("absent" + i));
          // an entry of a present key with another value is no entry of the map
          kind.umap.removed(kind.map.entrySet().remove(Map.entry("k" + (next - 1), -1)));
        }
        long sentinelsBefore = intBools.sentinels();
        intBools.removed(ints.removeKeyIfAbsent(absent, true) != true, sentinelsBefore);
        objectBools.removed(objects.removeKeyIfAbsent("absent" + i, true) != true);
      }
    }
    phase("churn", kinds, bools);

    // drain: nine in ten go through iterators, removeIf and retainAll, so the tables keep the
    // capacity of their peak for a tenth of the entries
    for (Kind kind : kinds) {
      drain(kind);
    }
    // (IntBooleanHashMap's own iterators fail with sentinels in the table, in 11.1 and 13.0: an
    // ArrayIndexOutOfBoundsException from next() after a remove, with or without the agent)
    int kept = 0;
    for (int k : ints.keySet().toArray()) {
      if (kept++ % 10 != 0) {
        long sentinels = intBools.sentinels();
        boolean hit;
        if (kept % 2 == 0) {
          hit = ints.keySet().remove(k);
        } else {
          hit = ints.containsKey(k);
          ints.remove(k);
        }
        intBools.removed(hit, sentinels);
      }
    }
    kept = 0;
    for (MutableBooleanIterator it = objects.booleanIterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 != 0) {
        it.remove();
        objectBools.removed(true);
      }
    }
    phase("drain", kinds, bools);

    // the explicit cleanup (ObjectBooleanHashMap has none before 12.0), and clear one map
    for (Kind kind : kinds) {
      kind.umap.trimmed(kind.trimMap.getAsBoolean());
      kind.uset.trimmed(kind.trimSet.getAsBoolean());
    }
    intBools.trim();
    if (hasTrim(objects)) {
      objectBools.trim();
    }
    ints.clear();
    intBools.clears++;
    phase("trim", kinds, bools);

    long checksum = 0;
    for (Kind kind : kinds) {
      for (Map.Entry<String, Integer> e : kind.map.entrySet()) {
        checksum += e.getKey().hashCode() ^ e.getValue();
      }
      for (String s : kind.set) {
        checksum += s.hashCode() * 7L;
      }
      checksum = checksum * 31 + kind.map.size() * 17L + kind.set.size();
    }
    for (String k : objects.keySet()) {
      checksum += k.hashCode() ^ (objects.get(k) ? 1 : 2);
    }
    System.out.println(
        "RESULT "
            + map.size()
            + " "
            + set.size()
            + " "
            + ints.size()
            + " "
            + objects.size()
            + " "
            + checksum);
  }

  /**
   * Nine in ten of a kind's entries go, through the map's key set iterator, its {@code removeIf}
   * (the interface's in 11.x for the map with a hashing strategy: through its entry set's
   * iterator), the set's iterator and its {@code retainAll}.
   */
  private static void drain(Kind kind) {
    int kept = 0;
    for (Iterator<String> it = kind.map.keySet().iterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 > 4) {
        it.remove();
        kind.umap.removed(true);
      }
    }
    int before = kind.map.size();
    kind.map.removeIf((key, value) -> value % 10 != 0 && value % 2 == 0);
    kind.umap.deleteHits += before - kind.map.size();
    kept = 0;
    for (Iterator<String> it = kind.set.iterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 > 4) {
        it.remove();
        kind.uset.removed(true);
      }
    }
    before = kind.set.size();
    // retainAll of a Set removes through the set's own iterator, in place
    kind.set.retainAll(new HashSet<>(List.copyOf(kind.set).subList(0, kind.set.size() / 5)));
    kind.uset.deleteHits += before - kind.set.size();
  }

  private static boolean hasTrim(Object map) {
    for (String name : new String[] {"trimToSize", "compact"}) {
      try {
        map.getClass().getMethod(name);
        return true;
      } catch (NoSuchMethodException e) {
        // not in this release
      }
    }
    return false;
  }

  private static void put(
      Kind[] kinds, IntBooleanHashMap ints, ObjectBooleanHashMap<String> objects, int key) {
    for (Kind kind : kinds) {
      kind.map.put("k" + key, key);
      kind.set.add("k" + key);
      kind.umap.written();
      kind.uset.written();
    }
    ints.put(key, key % 3 == 0);
    objects.put("k" + key, key % 5 == 0);
  }

  private static UnifiedMap<String, Integer> unifiedMap() {
    return new UnifiedMap<>();
  }

  private static UnifiedSet<String> unifiedSet() {
    return new UnifiedSet<>();
  }

  private static IntBooleanHashMap intBooleanMap() {
    return new IntBooleanHashMap();
  }

  private static ObjectBooleanHashMap<String> objectBooleanMap() {
    return new ObjectBooleanHashMap<>();
  }

  private static UnifiedMapWithHashingStrategy<String, Integer> strategyMap() {
    return new UnifiedMapWithHashingStrategy<>(HashingStrategies.defaultStrategy());
  }

  private static UnifiedSetWithHashingStrategy<String> strategySet() {
    return new UnifiedSetWithHashingStrategy<>(HashingStrategies.defaultStrategy());
  }

  private static void phase(String name, Kind[] kinds, EclipseProgram.Watched... maps)
      throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    for (Kind kind : kinds) {
      for (Unified u : List.of(kind.umap, kind.uset)) {
        System.out.println("PHASE " + name + " " + u.name + " " + idleUntil + " " + u.truth());
      }
    }
    for (EclipseProgram.Watched w : maps) {
      System.out.println("PHASE " + name + " " + w.name + " " + idleUntil + " " + w.truth());
    }
  }
}
