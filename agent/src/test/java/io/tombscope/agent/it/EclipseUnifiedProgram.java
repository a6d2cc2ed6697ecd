package io.tombscope.agent.it;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.collections.api.iterator.MutableBooleanIterator;
import org.eclipse.collections.impl.map.mutable.UnifiedMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntBooleanHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectBooleanHashMap;
import org.eclipse.collections.impl.set.mutable.UnifiedSet;

/**
 * Works Eclipse Collections' {@code UnifiedMap} and {@code UnifiedSet} and two maps with {@code
 * boolean} values ({@code IntBooleanHashMap}, {@code ObjectBooleanHashMap}) through phases (fill,
 * churn with misses, drain through iterators and views, explicit trimToSize, clear) and prints,
 * after each phase, what the library's own state says: delete hits and misses, the rehashes by
 * cause, each told by its new table array, size and capacity; for the maps with {@code boolean}
 * values their sentinels too ({@link EclipseProgram.Watched}). Between phases it idles for a few
 * recording intervals, as {@link EclipseProgram} does.
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

  public static void main(String[] args) throws Exception {
    Random random = new Random(7);
    UnifiedMap<String, Integer> map = unifiedMap();
    UnifiedSet<String> set = unifiedSet();
    IntBooleanHashMap ints = intBooleanMap();
    ObjectBooleanHashMap<String> objects = objectBooleanMap();
    Unified umap = new Unified("umap", map, UnifiedMap.class, true);
    Unified uset = new Unified("uset", set, UnifiedSet.class, false);
    EclipseProgram.Watched intBools = new EclipseProgram.Watched("intBools", ints);
    EclipseProgram.Watched objectBools = new EclipseProgram.Watched("objectBools", objects);
    EclipseProgram.Watched[] bools = {intBools, objectBools};

    // fill: the int keys from 2, since 0 and 1 are kept beside the table
    for (int i = 0; i < LIVE; i++) {
      put(map, set, ints, objects, i + 2);
      umap.written();
      uset.written();
      for (EclipseProgram.Watched w : bools) {
        w.rehashed();
      }
    }
    phase("fill", umap, uset, bools);

    // churn: remove the oldest key (or one already gone now and then) through the map, its key
    // set or its entry set, put a new one, and remove an absent one every tenth turn
    int next = LIVE + 2;
    for (int i = 0; i < 20_000; i++) {
      int victim = next - LIVE - (random.nextInt(50) == 0 ? 1 : 0);
      String k = "k" + victim;
      switch (i % 3) {
        case 0 -> umap.removed(map.remove(k) != null);
        case 1 -> umap.removed(map.keySet().remove(k));
        default -> umap.removed(map.entrySet().remove(Map.entry(k, victim)));
      }
      uset.removed(i % 2 == 0 ? set.remove(k) : set.removeFromPool(k) != null);
      boolean present = ints.containsKey(victim);
      long sentinels = intBools.sentinels();
      ints.removeKey(victim);
      intBools.removed(present, sentinels);
      present = objects.containsKey(k);
      objects.removeKey(k);
      objectBools.removed(present);
      put(map, set, ints, objects, next++);
      umap.written();
      uset.written();
      for (EclipseProgram.Watched w : bools) {
        w.rehashed();
      }
      if (i % 10 == 0) {
        int absent = -5 - i;
        umap.removed(map.removeKey("absent" + i) != null);
        uset.removed(set.remove("absent" + i));
        long sentinelsBefore = intBools.sentinels();
        intBools.removed(ints.removeKeyIfAbsent(absent, true) != true, sentinelsBefore);
        objectBools.removed(objects.removeKeyIfAbsent("absent" + i, true) != true);
        // an entry of a present key with another value is no entry of the map
        umap.removed(map.entrySet().remove(Map.entry("k" + (next - 1), -1)));
      }
    }
    phase("churn", umap, uset, bools);

    // drain: nine in ten go through iterators, removeIf and retainAll, so the tables keep the
    // capacity of their peak for a tenth of the entries
    int kept = 0;
    for (Iterator<String> it = map.keySet().iterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 > 4) {
        it.remove();
        umap.removed(true);
      }
    }
    int before = map.size();
    map.removeIf((key, value) -> value % 10 != 0 && value % 2 == 0);
    umap.deleteHits += before - map.size();
    kept = 0;
    for (Iterator<String> it = set.iterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 > 4) {
        it.remove();
        uset.removed(true);
      }
    }
    before = set.size();
    // retainAll of a Set removes through the set's own iterator, in place
    set.retainAll(new HashSet<>(List.copyOf(set).subList(0, set.size() / 5)));
    uset.deleteHits += before - set.size();
    // (IntBooleanHashMap's own iterators fail with sentinels in the table, in 11.1 and 13.0: an
    // ArrayIndexOutOfBoundsException from next() after a remove, with or without the agent)
    kept = 0;
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
    phase("drain", umap, uset, bools);

    // the explicit cleanup (ObjectBooleanHashMap has none before 12.0), and clear one map
    umap.trimmed(map.trimToSize());
    uset.trimmed(set.trimToSize());
    intBools.trim();
    if (hasTrim(objects)) {
      objectBools.trim();
    }
    ints.clear();
    intBools.clears++;
    phase("trim", umap, uset, bools);

    long checksum = 0;
    for (Map.Entry<String, Integer> e : map.entrySet()) {
      checksum += e.getKey().hashCode() ^ e.getValue();
    }
    for (String s : set) {
      checksum += s.hashCode() * 7L;
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
      UnifiedMap<String, Integer> map,
      UnifiedSet<String> set,
      IntBooleanHashMap ints,
      ObjectBooleanHashMap<String> objects,
      int key) {
    map.put("k" + key, key);
    set.add("k" + key);
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

  private static void phase(String name, Unified umap, Unified uset, EclipseProgram.Watched... maps)
      throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    System.out.println("PHASE " + name + " umap " + idleUntil + " " + umap.truth());
    System.out.println("PHASE " + name + " uset " + idleUntil + " " + uset.truth());
    for (EclipseProgram.Watched w : maps) {
      System.out.println("PHASE " + name + " " + w.name + " " + idleUntil + " " + w.truth());
    }
  }
}
