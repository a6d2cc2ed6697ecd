package io.tombscope.agent.it;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Random;
import org.eclipse.collections.api.iterator.MutableIntIterator;
import org.eclipse.collections.api.iterator.MutableLongIterator;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectLongHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Works three Eclipse Collections primitive maps and a primitive set through phases (fill, churn
 * with misses, drain with iterator removes, refill into the sentinels, explicit trimToSize or
 * compact, clear) and prints, after each phase, what the library's own state says: delete hits and
 * misses, sentinels now ({@code occupiedWithSentinels}) and at their most, and the rehashes by
 * cause, each told by its new table array. Between phases it idles for a few recording intervals,
 * so the recording's last lines before {@code idleUntil} hold the phase's totals.
 *
 * <p>The last line, {@code RESULT}, is a checksum of the maps' contents: it must not change under
 * the agent.
 */
public final class EclipseProgram {
  // Long enough for several recording intervals even on a busy machine.
  private static final long IDLE_MILLIS = 1_500;
  private static final int LIVE = 3_000;
  // The set holds key - 2 + SET_OFFSET for each key of the maps: above its bit field of 0 to 31.
  private static final int SET_OFFSET = 100;

  /** The library's state of one map, read through reflection after each operation. */
  static final class Watched {
    final String name;
    final Object map;
    private final Field sentinels;
    private final Field data;
    private final Field table;
    private final boolean pairs;
    long deleteHits;
    long deleteMisses;
    long peak;
    long growsLoad;
    long growsOverflow;
    long shrinks;
    long trims;
    long clears;
    private Object lastTable;

    Watched(String name, Object map) throws ReflectiveOperationException {
      this.name = name;
      this.map = map;
      Class<?> c = map.getClass();
      sentinels = c.getDeclaredField("occupiedWithSentinels");
      data = c.getDeclaredField("occupiedWithData");
      Field t;
      boolean p = false;
      try {
        t = c.getDeclaredField("keys");
      } catch (NoSuchFieldException e) {
        try {
          t = c.getDeclaredField("keysValues");
          p = true;
        } catch (NoSuchFieldException notAMap) {
          t = c.getDeclaredField("table"); // a primitive set
        }
      }
      table = t;
      pairs = p;
      sentinels.setAccessible(true);
      data.setAccessible(true);
      table.setAccessible(true);
      lastTable = table();
    }

    long sentinels() {
      return read(sentinels);
    }

    long size() {
      return read(data);
    }

    long capacity() {
      int length = Array.getLength(table());
      return pairs ? length / 2 : length;
    }

    private int read(Field f) {
      try {
        return f.getInt(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    private Object table() {
      try {
        return table.get(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A remove returned, having found its key or not. */
    void removed(boolean hit) {
      if (hit) {
        deleteHits++;
        peak = Math.max(peak, sentinels());
      } else {
        deleteMisses++;
      }
      rehashed();
    }

    /**
     * A remove returned that may have rebuilt the table inside it (the primitive-keyed maps with
     * boolean values do once their sentinels pass a limit): a hit held {@code sentinelsBefore} + 1
     * sentinels at once.
     */
    void removed(boolean hit, long sentinelsBefore) {
      removed(hit);
      if (hit) {
        peak = Math.max(peak, sentinelsBefore + 1);
      }
    }

    /** A write returned: if it rebuilt the table, count the rebuild by how the capacity moved. */
    void rehashed() {
      Object now = table();
      if (now == lastTable) {
        return;
      }
      long before = Array.getLength(lastTable) / (pairs ? 2 : 1);
      lastTable = now;
      long after = capacity();
      if (after > before) {
        growsLoad++;
      } else if (after == before) {
        growsOverflow++;
      } else {
        shrinks++;
      }
    }

    /** trimToSize() (12.0 on) or compact(), the library's explicit cleanup. */
    void trim() throws ReflectiveOperationException {
      Method m;
      try {
        m = map.getClass().getMethod("trimToSize");
      } catch (NoSuchMethodException e) {
        m = map.getClass().getMethod("compact");
      }
      m.invoke(map);
      Object now = table();
      if (now != lastTable) {
        trims++;
        lastTable = now;
      }
    }

    String truth() {
      return "deleteHits="
          + deleteHits
          + ",deleteMisses="
          + deleteMisses
          + ",tombstones="
          + sentinels()
          + ",tombstonesPeak="
          + peak
          + ",growsLoad="
          + growsLoad
          + ",growsOverflow="
          + growsOverflow
          + ",shrinks="
          + shrinks
          + ",trims="
          + trims
          + ",clears="
          + clears
          + ",size="
          + size()
          + ",slots="
          + capacity();
    }
  }

  public static void main(String[] args) throws Exception {
    Random random = new Random(42);
    LongObjectHashMap<String> longMap = longObjectMap();
    ObjectLongHashMap<String> objectMap = objectLongMap();
    IntIntHashMap intMap = intIntMap();
    LongHashSet set = longHashSet();
    Watched longs = new Watched("longs", longMap);
    Watched objects = new Watched("objects", objectMap);
    Watched ints = new Watched("ints", intMap);
    Watched longSet = new Watched("longSet", set);
    Watched[] all = {longs, objects, ints, longSet};

    // fill: keys from 2, since 0 and 1 are kept beside the table; the set's values from 32 (0 to
    // 31 are kept in a bit field beside its table), but for two in the bit field
    set.add(5);
    set.add(6);
    for (int i = 0; i < LIVE; i++) {
      put(longMap, objectMap, intMap, i + 2);
      set.add(i + SET_OFFSET);
      for (Watched w : all) {
        w.rehashed();
      }
    }
    phase("fill", all);

    // churn: remove the oldest key (or one already gone now and then), put a new one, and remove
    // an absent one every tenth turn. The size stays the same, so the sentinels pile up until the
    // table is rebuilt at the same capacity.
    int next = LIVE + 2;
    for (int i = 0; i < 40_000; i++) {
      int victim = next - LIVE - (random.nextInt(50) == 0 ? 1 : 0);
      longs.removed(longMap.removeKey(victim) != null);
      boolean present = objectMap.containsKey("k" + victim);
      objectMap.removeKey("k" + victim);
      objects.removed(present);
      present = intMap.containsKey(victim);
      intMap.removeKey(victim);
      ints.removed(present);
      longSet.removed(set.remove(victim - 2 + SET_OFFSET));
      put(longMap, objectMap, intMap, next);
      set.add(next - 2 + SET_OFFSET);
      for (Watched w : all) {
        w.rehashed();
      }
      next++;
      if (i % 10 == 0) {
        int absent = -5 - i;
        longs.removed(longMap.remove(absent) != null);
        objects.removed(objectMap.removeKeyIfAbsent("absent" + i, -1L) != -1L);
        ints.removed(intMap.removeKeyIfAbsent(absent, -1) != -1);
        longSet.removed(set.remove(absent));
      }
    }
    // removes in the bit field, present and absent, write no sentinel and are not counted
    set.remove(5);
    set.remove(7);
    phase("churn", all);

    // drain: iterator removes of most entries, so sentinels outnumber the live entries
    int kept = 0;
    for (var it = longMap.iterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 != 0) {
        it.remove();
        longs.removed(true);
      }
    }
    kept = 0;
    for (MutableLongIterator it = objectMap.longIterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 != 0) {
        it.remove();
        objects.removed(true);
      }
    }
    kept = 0;
    for (MutableIntIterator it = intMap.intIterator(); it.hasNext(); ) {
      it.next();
      if (kept++ % 10 != 0) {
        it.remove();
        ints.removed(true);
      }
    }
    kept = 0;
    for (MutableLongIterator it = set.longIterator(); it.hasNext(); ) {
      long value = it.next();
      if (kept++ % 10 != 0) {
        it.remove();
        if (value >= 32) {
          longSet.removed(true);
        }
      }
    }
    phase("drain", all);

    // refill with new keys: inserts take sentinels' slots, and once data and sentinels pass half
    // the table the library rebuilds it, smaller: few live entries among many sentinels
    for (int i = 0; i < LIVE / 2; i++) {
      set.add(next - 2 + SET_OFFSET);
      put(longMap, objectMap, intMap, next++);
      for (Watched w : all) {
        w.rehashed();
      }
    }
    phase("refill", all);

    // drain again, then the explicit cleanup, and clear one map
    for (int i = next - LIVE / 2; i < next - 100; i++) {
      longs.removed(longMap.removeKey(i) != null);
      boolean present = objectMap.containsKey("k" + i);
      objectMap.removeKey("k" + i);
      objects.removed(present);
      present = intMap.containsKey(i);
      intMap.removeKey(i);
      ints.removed(present);
      longSet.removed(set.remove(i - 2 + SET_OFFSET));
    }
    for (Watched w : all) {
      w.trim();
    }
    intMap.clear();
    ints.clears++;
    phase("trim", all);

    long checksum = 0;
    for (long k : longMap.keySet().toSortedArray()) {
      checksum = checksum * 31 + k + longMap.get(k).hashCode();
    }
    for (String k : objectMap.keySet()) {
      checksum += k.hashCode() ^ objectMap.get(k);
    }
    for (long v : set.toSortedArray()) {
      checksum = checksum * 31 + v;
    }
    System.out.println(
        "RESULT "
            + longMap.size()
            + " "
            + objectMap.size()
            + " "
            + intMap.size()
            + " "
            + set.size()
            + " "
            + checksum);
  }

  private static void put(
      LongObjectHashMap<String> longMap,
      ObjectLongHashMap<String> objectMap,
      IntIntHashMap intMap,
      int key) {
    longMap.put(key, "v" + key);
    objectMap.put("k" + key, key);
    intMap.put(key, key * 3);
  }

  private static LongObjectHashMap<String> longObjectMap() {
    return new LongObjectHashMap<>();
  }

  private static ObjectLongHashMap<String> objectLongMap() {
    return new ObjectLongHashMap<>();
  }

  private static IntIntHashMap intIntMap() {
    return new IntIntHashMap();
  }

  private static LongHashSet longHashSet() {
    return new LongHashSet();
  }

  private static void phase(String name, Watched... maps) throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    for (Watched w : maps) {
      System.out.println("PHASE " + name + " " + w.name + " " + idleUntil + " " + w.truth());
    }
  }
}
