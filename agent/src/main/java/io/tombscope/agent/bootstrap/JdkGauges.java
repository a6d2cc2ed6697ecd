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

  // Set by init once the handles exist, before any map is woven (retransformation publishes it);
  // until then, or if they cannot be made, every read answers "unreadable" and never touches
  // Handles.
  private static boolean ready;

  /**
   * The field handles, static finals so that the JIT treats them as constants and a read compiles
   * to a plain field load; a handle that is not a constant is invoked through its generic path, a
   * call at each read, and a tracked map's hooks read at every delete ({@link #countContended},
   * {@link #size}). Initialized by {@link #init}, once the agent opened the packages.
   */
  private static final class Handles {
    static final VarHandle HASH_MAP_TABLE = handle(java.util.HashMap.class, "table");
    static final VarHandle HASH_MAP_SIZE = handle(java.util.HashMap.class, "size");
    static final VarHandle HASH_MAP_LOAD_FACTOR = handle(java.util.HashMap.class, "loadFactor");
    static final VarHandle CONCURRENT_TABLE = handle(ConcurrentHashMap.class, "table");
    static final VarHandle CONCURRENT_CELLS = handle(ConcurrentHashMap.class, "counterCells");
    static final VarHandle WEAK_TABLE = handle(java.util.WeakHashMap.class, "table");
    static final VarHandle WEAK_SIZE = handle(java.util.WeakHashMap.class, "size");
    static final VarHandle WEAK_NEXT = handle("java.util.WeakHashMap$Entry", "next");
    static final VarHandle IDENTITY_TABLE = handle(java.util.IdentityHashMap.class, "table");
    static final VarHandle IDENTITY_SIZE = handle(java.util.IdentityHashMap.class, "size");
    static final VarHandle THREAD_LOCAL_TABLE =
        handle("java.lang.ThreadLocal$ThreadLocalMap", "table");
    static final VarHandle THREAD_LOCAL_SIZE =
        handle("java.lang.ThreadLocal$ThreadLocalMap", "size");

    private Handles() {}

    private static VarHandle handle(String owner, String name) {
      try {
        return handle(Class.forName(owner), name);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }

    private static VarHandle handle(Class<?> owner, String name) {
      try {
        java.lang.reflect.Field f = owner.getDeclaredField(name);
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).unreflectVarHandle(f);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private JdkGauges() {}

  /** Makes the field handles; call once the packages are open. Throws if they cannot be made. */
  public static void init() {
    try {
      Class.forName(Handles.class.getName(), true, JdkGauges.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    ready = true;
  }

  /**
   * Whether threads have contended on a {@code ConcurrentHashMap}'s count, so that its size is
   * summed over counter cells that other threads write (true too if the fields cannot be read).
   */
  static boolean countContended(Object map) {
    return !ready || Handles.CONCURRENT_CELLS.get(map) != null;
  }

  /** An {@code IdentityHashMap}'s table, or null if the fields cannot be read. */
  static Object[] identityTable(Object map) {
    return ready ? (Object[]) Handles.IDENTITY_TABLE.get(map) : null;
  }

  /** An {@code IdentityHashMap}'s size, or -1 if the fields cannot be read. */
  static int identitySize(Object map) {
    return ready ? (int) Handles.IDENTITY_SIZE.get(map) : -1;
  }

  /** The size of a map of a {@link Family} now (stale entries included), or -1 if unreadable. */
  static long size(Object map, int family) {
    if (!ready) {
      return -1;
    }
    return switch (family) {
      case Family.HASHMAP -> (int) Handles.HASH_MAP_SIZE.get(map);
      case Family.CONCURRENT -> ((ConcurrentHashMap<?, ?>) map).mappingCount();
      case Family.WEAK -> (int) Handles.WEAK_SIZE.get(map);
      case Family.IDENTITY -> (int) Handles.IDENTITY_SIZE.get(map);
      case Family.THREADLOCAL -> (int) Handles.THREAD_LOCAL_SIZE.get(map);
      default -> -1;
    };
  }

  /** The slots of a map of a {@link Family} now (key/value pairs for identity), or -1. */
  static long slots(Object map, int family) {
    if (!ready) {
      return -1;
    }
    Object[] table =
        switch (family) {
          case Family.HASHMAP -> (Object[]) Handles.HASH_MAP_TABLE.get(map);
          case Family.CONCURRENT -> (Object[]) Handles.CONCURRENT_TABLE.getVolatile(map);
          case Family.WEAK -> (Object[]) Handles.WEAK_TABLE.get(map);
          case Family.IDENTITY -> (Object[]) Handles.IDENTITY_TABLE.get(map);
          case Family.THREADLOCAL -> (Object[]) Handles.THREAD_LOCAL_TABLE.get(map);
          default -> null;
        };
    int length = table == null ? 0 : table.length;
    return family == Family.IDENTITY ? length / 2 : length;
  }

  /**
   * The slots a copy of a map of {@code size} entries would get ({@code new HashMap<>(map)} and so
   * on, at the default load factor): what a table needs for that size.
   */
  public static long freshSlots(int family, long size) {
    int n = (int) Math.min(1 << 29, Math.max(0, size));
    return switch (family) {
      case Family.HASHMAP -> n == 0 ? 0 : powerOfTwoAtLeast((int) (n / 0.75f + 1));
      // tableSizeFor(1.5 * size + 1), at least 16.
      case Family.CONCURRENT -> n == 0 ? 0 : Math.max(16, powerOfTwoAtLeast(n + (n >>> 1) + 1));
      case Family.WEAK -> Math.max(16, powerOfTwoAtLeast((int) Math.ceil(n / 0.75)));
      // IdentityHashMap sizes for (1 + size) * 1.1 expected entries, at load 2/3.
      case Family.IDENTITY -> {
        int expected = (int) ((1 + n) * 1.1);
        yield expected <= 2 ? 4 : Integer.highestOneBit(expected + (expected << 1));
      }
      // ThreadLocal's map doubles when it is half full, from 16.
      case Family.THREADLOCAL -> Math.max(16, powerOfTwoAtLeast(2 * n + 1));
      default -> 0;
    };
  }

  /**
   * Slots a map keeps only because it once held more entries: those a table for its peak has beyond
   * a table for its size now, within the slots it has. Zero for a map at its peak.
   */
  public static long drainedSlots(int family, long slots, long sizePeak, long size) {
    return Math.max(0, Math.min(slots, freshSlots(family, sizePeak)) - freshSlots(family, size));
  }

  /** Bytes of one slot of a table of {@code family}: a reference, two for identity. */
  public static long bytesPerSlot(int family) {
    return family == Family.IDENTITY ? 2L * REF : REF;
  }

  /** The gauge values of {@code map} (indexed by the constants above), or null if unreadable. */
  public static long[] read(Object map, String family) {
    if (!ready) {
      return null;
    }
    try {
      return switch (family) {
        case JdkProbes.HASHMAP -> hashMap(map);
        case JdkProbes.CONCURRENT -> concurrent((ConcurrentHashMap<?, ?>) map);
        case JdkProbes.WEAK -> weak(map);
        case JdkProbes.IDENTITY -> identity(map);
        case JdkProbes.THREADLOCAL -> threadLocal(map);
        default -> null;
      };
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long[] hashMap(Object map) {
    Object[] table = (Object[]) Handles.HASH_MAP_TABLE.get(map);
    int size = (int) Handles.HASH_MAP_SIZE.get(map);
    float loadFactor = (float) Handles.HASH_MAP_LOAD_FACTOR.get(map);
    int slots = table == null ? 0 : table.length;
    // new HashMap<>(map): the smallest power of two that holds size / loadFactor.
    int fresh = size == 0 ? 0 : powerOfTwoAtLeast((int) Math.min(1 << 30, size / loadFactor + 1));
    int node =
        map instanceof java.util.LinkedHashMap ? HEADER + 4 * 4 + 4 * REF : HEADER + 4 + 3 * REF;
    return gauge(
        size, slots, 0, slots - Math.min(slots, fresh), array(slots) + (long) size * align(node));
  }

  private static long[] concurrent(ConcurrentHashMap<?, ?> map) {
    Object[] table = (Object[]) Handles.CONCURRENT_TABLE.getVolatile(map);
    long size = map.mappingCount();
    int slots = table == null ? 0 : table.length;
    long fresh = freshSlots(Family.CONCURRENT, size);
    long node = align(HEADER + 4 + 3 * REF);
    return gauge(size, slots, 0, slots - Math.min(slots, fresh), array(slots) + size * node);
  }

  private static long[] weak(Object map) {
    Object[] table = (Object[]) Handles.WEAK_TABLE.get(map);
    int size = (int) Handles.WEAK_SIZE.get(map);
    long stale = 0;
    long budget = (long) table.length + size + 1024; // a racy walk could chase a moved chain
    for (int i = 0; i < table.length && budget > 0; i++) {
      for (Object e = table[i]; e != null && budget-- > 0; e = Handles.WEAK_NEXT.get(e)) {
        if (((Reference<?>) e).refersTo(null)) {
          stale++;
        }
      }
    }
    long live = Math.max(0, size - stale);
    long fresh = freshSlots(Family.WEAK, live);
    // An entry is a WeakReference (referent, queue, next, discovered) plus value, hash and next.
    long entry = align(HEADER + 4 * REF + 2 * REF + 4);
    return gauge(
        size,
        table.length,
        stale,
        table.length - Math.min(table.length, fresh),
        array(table.length) + size * entry);
  }

  private static long[] identity(Object map) {
    Object[] table = (Object[]) Handles.IDENTITY_TABLE.get(map);
    int size = (int) Handles.IDENTITY_SIZE.get(map);
    int slots = table.length / 2;
    long fresh = freshSlots(Family.IDENTITY, size);
    return gauge(size, slots, 0, slots - Math.min(slots, fresh), array(table.length));
  }

  private static long[] threadLocal(Object map) {
    Object[] table = (Object[]) Handles.THREAD_LOCAL_TABLE.get(map);
    int size = (int) Handles.THREAD_LOCAL_SIZE.get(map);
    long stale = 0;
    for (Object e : table) {
      if (e != null && ((Reference<?>) e).refersTo(null)) {
        stale++;
      }
    }
    long live = Math.max(0, size - stale);
    long fresh = freshSlots(Family.THREADLOCAL, live);
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
