package io.tombscope.agent.it;

import gnu.trove.iterator.TIntObjectIterator;
import gnu.trove.map.hash.THashMap;
import gnu.trove.map.hash.TIntObjectHashMap;
import gnu.trove.set.hash.TLongHashSet;
import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

/**
 * Works three Trove maps through phases (fill, churn with misses, iterator and bulk removes,
 * explicit compaction and clear) and prints, after each phase, what Trove's own state says: delete
 * hits and misses, tombstones now ({@code capacity() − size() − _free}) and at their most, and the
 * rehashes by cause, each told by its new table array. Between phases it idles for a few recording
 * intervals, so the recording's last lines before {@code idleUntil} hold the phase's totals.
 *
 * <p>The last line, {@code RESULT}, is a checksum of the maps' contents: it must not change under
 * the agent.
 */
public final class TroveProgram {
  // Long enough for several recording intervals even on a busy machine.
  private static final long IDLE_MILLIS = 1_500;
  private static final int OBJECT_KEYS = 500;

  /** Trove's state of one map, read through reflection after each operation. */
  static final class Watched {
    final String name;
    final Object map;
    final gnu.trove.impl.hash.THash hash;
    long deleteHits;
    long deleteMisses;
    long peakTombstones;
    long growsLoad;
    long growsOverflow;
    long autoCompactions;
    long compactions;
    long clears;
    private Object table;
    private final java.util.Map<String, Field> fields = new java.util.HashMap<>();

    Watched(String name, gnu.trove.impl.hash.THash hash) {
      this.name = name;
      this.map = hash;
      this.hash = hash;
      this.table = table();
    }

    long tombstones() {
      return hash.capacity() - hash.size() - (int) read("_free");
    }

    private Object table() {
      return read("_set");
    }

    private Object read(String name) {
      try {
        return fields.computeIfAbsent(name, this::field).get(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    private Field field(String name) {
      for (Class<?> c = map.getClass(); c != null; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (f.getName().equals(name)) {
            f.setAccessible(true);
            return f;
          }
        }
      }
      throw new IllegalStateException("no field " + name + " in " + map.getClass());
    }

    /** A removal returned: a hit made one tombstone, perhaps compacted away at once. */
    void removed(boolean hit, long tombstonesBefore, int capacityBefore) {
      if (hit) {
        deleteHits++;
        peakTombstones = Math.max(peakTombstones, tombstonesBefore + 1);
        if (rehashed()) {
          autoCompactions++;
        }
      } else {
        deleteMisses++;
      }
    }

    /** An insert returned. */
    void inserted(int capacityBefore) {
      if (rehashed()) {
        if (hash.capacity() > capacityBefore) {
          growsLoad++;
        } else {
          growsOverflow++;
        }
      }
    }

    boolean rehashed() {
      Object now = table();
      boolean changed = now != table;
      table = now;
      return changed;
    }

    String truth() {
      return "deleteHits="
          + deleteHits
          + ",deleteMisses="
          + deleteMisses
          + ",tombstones="
          + tombstones()
          + ",tombstonesPeak="
          + peakTombstones
          + ",growsLoad="
          + growsLoad
          + ",growsOverflow="
          + growsOverflow
          + ",autoCompactions="
          + autoCompactions
          + ",trims="
          + compactions
          + ",clears="
          + clears
          + ",size="
          + hash.size()
          + ",slots="
          + hash.capacity();
    }
  }

  public static void main(String[] args) throws Exception {
    Random random = new Random(42);
    Watched ints = new Watched("ints", intObjectMap());
    Watched objects = new Watched("objects", objectMap());
    Watched longs = new Watched("longs", longSet());
    // Same-size rehashes need tombstones to pile up: Trove's auto-compaction off for this one.
    ((THashMap<?, ?>) objects.map).setAutoCompactionFactor(0f);
    @SuppressWarnings("unchecked")
    TIntObjectHashMap<String> intMap = (TIntObjectHashMap<String>) ints.map;
    @SuppressWarnings("unchecked")
    THashMap<String, Integer> objectMap = (THashMap<String, Integer>) objects.map;
    TLongHashSet longSet = (TLongHashSet) longs.map;

    // fill
    for (int i = 0; i < 20_000; i++) {
      int c = ints.hash.capacity();
      intMap.put(i, "v" + i);
      ints.inserted(c);
      if (i < OBJECT_KEYS) {
        c = objects.hash.capacity();
        objectMap.put("k" + i, i);
        objects.inserted(c);
      }
      c = longs.hash.capacity();
      longSet.add(i * 7L);
      longs.inserted(c);
    }
    phase("fill", ints, objects, longs);

    // churn: remove a key (the oldest, or one already gone now and then), put a new one, and
    // remove an absent one every tenth turn. The sizes stay about the same, so the small map that
    // does not compact on its own runs out of free slots and rehashes at the same capacity.
    int next = 20_000;
    for (int i = 0; i < 60_000; i++) {
      int victim = next - 20_000 - (random.nextInt(50) == 0 ? 1 : 0);
      long t = ints.tombstones();
      int c = ints.hash.capacity();
      ints.removed(intMap.remove(victim) != null, t, c);
      t = objects.tombstones();
      c = objects.hash.capacity();
      int objectVictim = next - OBJECT_KEYS - (victim < next - 20_000 ? 1 : 0);
      objects.removed(objectMap.remove("k" + objectVictim) != null, t, c);
      t = longs.tombstones();
      c = longs.hash.capacity();
      longs.removed(longSet.remove(victim * 7L), t, c);
      c = ints.hash.capacity();
      intMap.put(next, "v" + next);
      ints.inserted(c);
      c = objects.hash.capacity();
      objectMap.put("k" + next, next);
      objects.inserted(c);
      c = longs.hash.capacity();
      longSet.add(next * 7L);
      longs.inserted(c);
      next++;
      if (i % 10 == 0) {
        int absent = -1 - i;
        t = ints.tombstones();
        ints.removed(intMap.remove(absent) != null, t, 0);
        t = objects.tombstones();
        objects.removed(objectMap.remove("absent" + i) != null, t, 0);
        t = longs.tombstones();
        longs.removed(longSet.remove(absent), t, 0);
      }
    }
    phase("churn", ints, objects, longs);

    // iterator removes (Trove holds auto-compaction off inside them), and most of the set
    for (TIntObjectIterator<String> it = intMap.iterator(); it.hasNext(); ) {
      it.advance();
      if (it.key() % 3 == 0) {
        long t = ints.tombstones();
        it.remove();
        ints.removed(true, t, 0);
      }
    }
    for (Iterator<Map.Entry<String, Integer>> it = objectMap.entrySet().iterator();
        it.hasNext(); ) {
      if (it.next().getValue() % 3 == 0) {
        long t = objects.tombstones();
        it.remove();
        objects.removed(true, t, 0);
      }
    }
    for (long v : longSet.toArray()) {
      if (v % 3 != 0) {
        long t = longs.tombstones();
        longs.removed(longSet.remove(v), t, 0);
      }
    }
    phase("remove", ints, objects, longs);

    // explicit compaction, then clear
    for (Watched w : new Watched[] {ints, objects}) {
      w.hash.compact();
      w.rehashed();
      w.compactions++;
    }
    objectMap.clear();
    objects.clears++;
    phase("compact", ints, objects, longs);

    long checksum = 0;
    for (int k : intMap.keys()) {
      checksum = checksum * 31 + k + intMap.get(k).hashCode();
    }
    for (Map.Entry<String, Integer> e : objectMap.entrySet()) {
      checksum += e.getKey().hashCode() ^ e.getValue();
    }
    for (long v : longSet.toArray()) {
      checksum += Long.hashCode(v * 31);
    }
    System.out.println(
        "RESULT " + intMap.size() + " " + objectMap.size() + " " + longSet.size() + " " + checksum);
  }

  private static gnu.trove.impl.hash.THash intObjectMap() {
    return new TIntObjectHashMap<String>();
  }

  private static gnu.trove.impl.hash.THash objectMap() {
    return new THashMap<String, Integer>();
  }

  private static gnu.trove.impl.hash.THash longSet() {
    return new TLongHashSet();
  }

  private static void phase(String name, Watched... maps) throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    for (Watched w : maps) {
      System.out.println("PHASE " + name + " " + w.name + " " + idleUntil + " " + w.truth());
    }
  }
}
