package io.tombscope.agent.it;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntIterator;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.Long2ObjectMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntLinkedOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectIterator;
import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.Random;

/**
 * Works three fastutil maps and a set through phases (fill, a shrink/grow thrash with misses,
 * iterator and linked removes, explicit {@code trim()} and {@code clear()}) and prints, after each
 * phase, what fastutil's own state says: delete hits and misses, and the rehashes by cause, each
 * told by the map's new key array and its table size {@code n} before and after, with the entries
 * each moved. Between phases it idles for a few recording intervals, so the recording's last lines
 * before {@code idleUntil} hold the phase's totals.
 *
 * <p>The last line, {@code RESULT}, is a checksum of the maps' contents: it must not change under
 * the agent.
 */
public final class FastutilProgram {
  // Long enough for several recording intervals even on a busy machine.
  private static final long IDLE_MILLIS = 1_500;

  /** fastutil's state of one map, read through reflection around each operation. */
  static final class Watched {
    final String name;
    final Object map;
    long deleteHits;
    long deleteMisses;
    long growsLoad;
    long shrinks;
    long trims;
    long clears;
    long entriesMoved;
    private final Field key;
    private final Field n;
    private final Field size;
    private Object table;
    private int tableSize;
    private int sizeBefore;

    Watched(String name, Object map) {
      this.name = name;
      this.map = map;
      this.key = field("key");
      this.n = field("n");
      this.size = field("size");
      this.table = read(key);
      this.tableSize = (int) read(n);
    }

    private Field field(String name) {
      try {
        Field f = map.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f;
      } catch (NoSuchFieldException e) {
        throw new IllegalStateException("no field " + name + " in " + map.getClass(), e);
      }
    }

    private Object read(Field f) {
      try {
        return f.get(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    int size() {
      return (int) read(size);
    }

    int slots() {
      return (int) read(n);
    }

    /** Before an operation. */
    void before() {
      sizeBefore = size();
    }

    /** After a removal: a hit if the size fell; any rehash it ran is a shrink. */
    void removed() {
      if (size() < sizeBefore) {
        deleteHits++;
      } else {
        deleteMisses++;
      }
      rehashed(false);
    }

    /** After any other operation, explicit trims told apart. */
    void rehashed(boolean trim) {
      Object now = read(key);
      if (now == table) {
        return;
      }
      int newSize = slots();
      if (trim) {
        trims++;
      } else if (newSize > tableSize) {
        growsLoad++;
      } else {
        shrinks++;
      }
      entriesMoved += size();
      table = now;
      tableSize = newSize;
    }

    String truth() {
      return "deleteHits="
          + deleteHits
          + ",deleteMisses="
          + deleteMisses
          + ",growsLoad="
          + growsLoad
          + ",shrinks="
          + shrinks
          + ",trims="
          + trims
          + ",clears="
          + clears
          + ",entriesMoved="
          + entriesMoved
          + ",tombstones=0,size="
          + size()
          + ",slots="
          + slots();
    }
  }

  public static void main(String[] args) throws Exception {
    Random random = new Random(42);
    Long2ObjectOpenHashMap<String> longMap = longMap();
    Object2IntLinkedOpenHashMap<String> linkedMap = linkedMap();
    Int2IntOpenHashMap intMap = intMap();
    Watched longs = new Watched("longs", longMap);
    Watched linked = new Watched("linked", linkedMap);
    Watched ints = new Watched("ints", intMap);
    IntOpenHashSet set = intSet();
    Watched intSet = new Watched("intSet", set);

    // fill
    for (int i = 0; i < 20_000; i++) {
      longMap.put(i, "v" + i);
      longs.rehashed(false);
      if (i < 3_000) {
        linkedMap.put("k" + i, i);
        linked.rehashed(false);
      }
    }
    phase("fill", longs, linked, ints, intSet);

    // thrash: the int map fills to 1,000 and drains to 10 again and again, halving on the way
    // down and doubling on the way up; every tenth turn removes an absent key; the long map
    // churns at a steady size.
    int next = 20_000;
    for (int round = 0; round < 30; round++) {
      for (int i = 0; i < 1_000; i++) {
        intMap.put(round * 1_000 + i, i);
        ints.rehashed(false);
      }
      for (int i = 10; i < 1_000; i++) {
        ints.before();
        intMap.remove(round * 1_000 + i);
        ints.removed();
        if (i % 10 == 0) {
          ints.before();
          intMap.remove(-1 - i);
          ints.removed();
        }
      }
      for (int i = 0; i < 1_000; i++) {
        set.add(round * 1_000 + i);
        intSet.rehashed(false);
      }
      for (int i = 10; i < 1_000; i++) {
        intSet.before();
        set.remove(round * 1_000 + i);
        intSet.removed();
        if (i % 10 == 0) {
          intSet.before();
          set.remove(-1 - i);
          intSet.removed();
        }
      }
      for (int i = 0; i < 200; i++) {
        longs.before();
        longMap.remove(next - 20_000 - (random.nextInt(50) == 0 ? 1 : 0));
        longs.removed();
        longMap.put(next++, "v");
        longs.rehashed(false);
      }
    }
    phase("thrash", longs, linked, ints, intSet);

    // iterator removes of two keys in three (some hand a wrapped-around entry to the map's own
    // remove), and a linked map's removeFirst/removeLast
    for (ObjectIterator<Long2ObjectMap.Entry<String>> it =
            longMap.long2ObjectEntrySet().fastIterator();
        it.hasNext(); ) {
      if (it.next().getLongKey() % 3 != 0) {
        longs.before();
        it.remove();
        longs.removed();
      }
    }
    for (Iterator<String> it = linkedMap.keySet().iterator(); it.hasNext(); ) {
      if (it.next().hashCode() % 2 == 0) {
        linked.before();
        it.remove();
        linked.removed();
      }
    }
    for (int i = 0; i < 5_000; i++) {
      set.add(i * 7);
      intSet.rehashed(false);
    }
    for (IntIterator it = set.iterator(); it.hasNext(); ) {
      if (it.nextInt() % 3 != 0) {
        intSet.before();
        it.remove();
        intSet.removed();
      }
    }
    for (int i = 0; i < 200; i++) {
      linked.before();
      if (i % 2 == 0) {
        linkedMap.removeFirstInt();
      } else {
        linkedMap.removeLastInt();
      }
      linked.removed();
    }
    for (int i = 0; i < 100; i++) {
      linked.before();
      linkedMap.removeInt("absent" + i);
      linked.removed();
    }
    phase("remove", longs, linked, ints, intSet);

    // the explicit cleanup, then clear (which keeps the table)
    longMap.trim();
    longs.rehashed(true);
    linkedMap.trim();
    linked.rehashed(true);
    intMap.clear();
    ints.clears++;
    intMap.trim();
    ints.rehashed(true);
    set.trim();
    intSet.rehashed(true);
    phase("trim", longs, linked, ints, intSet);

    long checksum = 0;
    for (Long2ObjectMap.Entry<String> e : longMap.long2ObjectEntrySet()) {
      checksum = checksum * 31 + e.getLongKey() + e.getValue().hashCode();
    }
    for (String k : linkedMap.keySet()) {
      checksum = checksum * 31 + k.hashCode() + linkedMap.getInt(k);
    }
    for (int v : set.toIntArray()) {
      checksum += v;
    }
    System.out.println(
        "RESULT "
            + longMap.size()
            + " "
            + linkedMap.size()
            + " "
            + intMap.size()
            + " "
            + set.size()
            + " "
            + checksum);
  }

  private static Long2ObjectOpenHashMap<String> longMap() {
    return new Long2ObjectOpenHashMap<>();
  }

  private static Object2IntLinkedOpenHashMap<String> linkedMap() {
    return new Object2IntLinkedOpenHashMap<>();
  }

  private static Int2IntOpenHashMap intMap() {
    return new Int2IntOpenHashMap();
  }

  private static IntOpenHashSet intSet() {
    return new IntOpenHashSet();
  }

  private static void phase(String name, Watched... maps) throws InterruptedException {
    Thread.sleep(IDLE_MILLIS);
    long idleUntil = System.currentTimeMillis();
    for (Watched w : maps) {
      System.out.println("PHASE " + name + " " + w.name + " " + idleUntil + " " + w.truth());
    }
  }
}
