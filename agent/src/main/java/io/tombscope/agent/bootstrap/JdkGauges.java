package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the state of a tracked JDK map from the flusher's thread: table length, size, stale
 * entries, dead slots and estimated bytes. The fields are private, so the agent opens {@code
 * java.util}, {@code java.util.concurrent} and {@code java.lang} to this class's module (the boot
 * loader's unnamed module, which holds only classes appended to the boot class path) before the
 * first read.
 *
 * <p>Reads are racy snapshots of a map that its own thread may be writing: plain field and array
 * reads only, never a map method with side effects ({@code WeakHashMap.size()} would expunge), and
 * every walk is bounded, so a read can be stale but never harms the map or hangs.
 */
public final class JdkGauges {
  public static final int SIZE = 0;
  public static final int SLOTS = 1;
  public static final int STALE = 2;
  public static final int DEAD_SLOTS = 3;
  public static final int BYTES = 4;

  private static final int REF = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;
  private static final int HEADER = REF == 4 ? 12 : 16;

  private static volatile Fields fields;

  private record Fields(
      VarHandle hashMapTable,
      VarHandle hashMapSize,
      VarHandle hashMapLoadFactor,
      VarHandle concurrentTable,
      VarHandle weakTable,
      VarHandle weakSize,
      VarHandle weakNext,
      VarHandle identityTable,
      VarHandle identitySize,
      VarHandle threadLocalTable,
      VarHandle threadLocalSize) {}

  private JdkGauges() {}

  /** Makes the field handles; call once the packages are open. Throws if they cannot be made. */
  public static void init() throws ReflectiveOperationException {
    Class<?> threadLocalMap = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
    Class<?> weakEntry = Class.forName("java.util.WeakHashMap$Entry");
    fields =
        new Fields(
            handle(java.util.HashMap.class, "table"),
            handle(java.util.HashMap.class, "size"),
            handle(java.util.HashMap.class, "loadFactor"),
            handle(ConcurrentHashMap.class, "table"),
            handle(java.util.WeakHashMap.class, "table"),
            handle(java.util.WeakHashMap.class, "size"),
            handle(weakEntry, "next"),
            handle(java.util.IdentityHashMap.class, "table"),
            handle(java.util.IdentityHashMap.class, "size"),
            handle(threadLocalMap, "table"),
            handle(threadLocalMap, "size"));
  }

  private static VarHandle handle(Class<?> owner, String name) throws ReflectiveOperationException {
    java.lang.reflect.Field f = owner.getDeclaredField(name);
    return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).unreflectVarHandle(f);
  }

  /** An {@code IdentityHashMap}'s table, or null if the fields cannot be read. */
  static Object[] identityTable(Object map) {
    Fields f = fields;
    return f == null ? null : (Object[]) f.identityTable.get(map);
  }

  /** An {@code IdentityHashMap}'s size, or -1 if the fields cannot be read. */
  static int identitySize(Object map) {
    Fields f = fields;
    return f == null ? -1 : (int) f.identitySize.get(map);
  }

  /** The gauge values of {@code map} (indexed by the constants above), or null if unreadable. */
  public static long[] read(Object map, String family) {
    Fields f = fields;
    if (f == null) {
      return null;
    }
    try {
      return switch (family) {
        case JdkProbes.HASHMAP -> hashMap(f, map);
        case JdkProbes.CONCURRENT -> concurrent(f, (ConcurrentHashMap<?, ?>) map);
        case JdkProbes.WEAK -> weak(f, map);
        case JdkProbes.IDENTITY -> identity(f, map);
        case JdkProbes.THREADLOCAL -> threadLocal(f, map);
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long[] hashMap(Fields f, Object map) {
    Object[] table = (Object[]) f.hashMapTable.get(map);
    int size = (int) f.hashMapSize.get(map);
    float loadFactor = (float) f.hashMapLoadFactor.get(map);
    int slots = table == null ? 0 : table.length;
    // new HashMap<>(map): the smallest power of two that holds size / loadFactor.
    int fresh = size == 0 ? 0 : powerOfTwoAtLeast((int) Math.min(1 << 30, size / loadFactor + 1));
    int node =
        map instanceof java.util.LinkedHashMap ? HEADER + 4 * 4 + 4 * REF : HEADER + 4 + 3 * REF;
    return gauge(
        size, slots, 0, slots - Math.min(slots, fresh), array(slots) + (long) size * align(node));
  }

  private static long[] concurrent(Fields f, ConcurrentHashMap<?, ?> map) {
    Object[] table = (Object[]) f.concurrentTable.getVolatile(map);
    long size = map.mappingCount();
    int slots = table == null ? 0 : table.length;
    // new ConcurrentHashMap<>(map) presizes to tableSizeFor(1.5 * size + 1), at least 16.
    int fresh =
        size == 0
            ? 0
            : Math.max(16, powerOfTwoAtLeast((int) Math.min(1 << 30, size + (size >>> 1) + 1)));
    long node = align(HEADER + 4 + 3 * REF);
    return gauge(size, slots, 0, slots - Math.min(slots, fresh), array(slots) + size * node);
  }

  private static long[] weak(Fields f, Object map) {
    Object[] table = (Object[]) f.weakTable.get(map);
    int size = (int) f.weakSize.get(map);
    long stale = 0;
    long budget = (long) table.length + size + 1024; // a racy walk could chase a moved chain
    for (int i = 0; i < table.length && budget > 0; i++) {
      for (Object e = table[i]; e != null && budget-- > 0; e = f.weakNext.get(e)) {
        if (((Reference<?>) e).refersTo(null)) {
          stale++;
        }
      }
    }
    long live = Math.max(0, size - stale);
    // new WeakHashMap<>(map): capacity for live / 0.75, at least 16.
    int fresh =
        Math.max(16, powerOfTwoAtLeast((int) Math.min(1 << 30, (long) Math.ceil(live / 0.75))));
    // An entry is a WeakReference (referent, queue, next, discovered) plus value, hash and next.
    long entry = align(HEADER + 4 * REF + 2 * REF + 4);
    return gauge(
        size,
        table.length,
        stale,
        table.length - Math.min(table.length, fresh),
        array(table.length) + size * entry);
  }

  private static long[] identity(Fields f, Object map) {
    Object[] table = (Object[]) f.identityTable.get(map);
    int size = (int) f.identitySize.get(map);
    int slots = table.length / 2;
    // new IdentityHashMap<>(map) sizes for (1 + size) * 1.1 expected entries, at load 2/3.
    int expected = (int) ((1 + size) * 1.1);
    int fresh = expected <= 2 ? 4 : Integer.highestOneBit(expected + (expected << 1));
    return gauge(size, slots, 0, slots - Math.min(slots, fresh), array(table.length));
  }

  private static long[] threadLocal(Fields f, Object map) {
    Object[] table = (Object[]) f.threadLocalTable.get(map);
    int size = (int) f.threadLocalSize.get(map);
    long stale = 0;
    for (Object e : table) {
      if (e != null && ((Reference<?>) e).refersTo(null)) {
        stale++;
      }
    }
    long live = Math.max(0, size - stale);
    // The table doubles when it is half full (after expunging), from 16.
    int fresh = Math.max(16, powerOfTwoAtLeast((int) Math.min(1 << 30, 2 * live + 1)));
    long entry = align(HEADER + 4 * REF + REF);
    return gauge(
        size,
        table.length,
        stale,
        table.length - Math.min(table.length, fresh),
        array(table.length) + size * entry);
  }

  private static long[] gauge(long size, long slots, long stale, long deadSlots, long bytes) {
    return new long[] {size, slots, stale, deadSlots, bytes};
  }

  private static long array(int length) {
    return align(16 + (long) REF * length);
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  private static int powerOfTwoAtLeast(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }
}
