package io.tombscope.agent.bootstrap;

/**
 * What the JDK's map classes call once the agent has woven them (the agent's {@code
 * JdkInstrumentation} lists where): each method is the entry or the exit of one JDK method. The
 * woven code only loads values and calls here; every decision (hit or miss, timed or not) is made
 * here, and the work is {@link JdkProbes}'.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>No hook throws: each catches and counts whatever its probes throw ({@link
 *       Sites#suppressed}), so the woven methods gain neither a branch nor an exception handler.
 *   <li>An exit's first parameter, when it has one, is the value the JDK method returns, as it lies
 *       on the stack.
 *   <li>Every hook is a few bytes of bytecode around one probe call, small enough to be inlined
 *       wherever the JDK method is.
 * </ol>
 */
public final class JdkHooks {
  private JdkHooks() {}

  // --- Construction -------------------------------------------------------------------------

  /** The end of every constructor of every woven map class; the probe tells the families apart. */
  public static void created(Object map) {
    try {
      JdkProbes.created(map);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  // --- HashMap and LinkedHashMap ------------------------------------------------------------

  /** {@code afterNodeRemoval}: every path that unlinks a node passes here. */
  public static void nodeRemoved(Object map) {
    try {
      JdkProbes.removed(map);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * The start of a {@code remove(key)}: its start time if it is the one that a tracked map's delete
   * countdown chose to time ({@link JdkProbes#timeNextRemove}), else 0.
   */
  public static long removeStart(Object map) {
    try {
      return JdkProbes.timeNextRemove ? JdkProbes.removeTimingStart(map) : 0L;
    } catch (Throwable t) {
      Sites.suppressed(t);
      return 0L;
    }
  }

  /**
   * HashMap's {@code remove(key)} returned {@code removed}: a miss leaves the size alone; a hit
   * that returns null is silent (the hit itself is counted where the node is unlinked).
   */
  public static void removeKeyReturned(
      Object removed, Object map, int sizeBefore, long startNanos, int sizeAfter) {
    try {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      if (sizeAfter == sizeBefore) {
        JdkProbes.removeMissed(map);
      } else if (removed == null) {
        JdkProbes.removedSilently(map);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * {@code remove(key, value)} of HashMap, and {@code Map}'s default that WeakHashMap and, before
   * Java 20, IdentityHashMap inherit: false is a miss. A hit is counted where the node is unlinked,
   * or by the {@code remove(key)} that the default calls.
   */
  public static void removeKeyValueReturned(boolean removed, Object map) {
    try {
      if (!removed) {
        JdkProbes.removeMissed(map);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** A table's length, 0 before its first allocation. */
  public static int capacity(Object[] table) {
    return table == null ? 0 : table.length;
  }

  /**
   * The start of a resize: timed for tracked maps ({@link JdkProbes#resizeStart}); the first
   * allocation of a table is not a resize.
   */
  public static long resizeStart(Object map, int oldCapacity) {
    try {
      return JdkProbes.resizeStart(map, oldCapacity);
    } catch (Throwable t) {
      Sites.suppressed(t);
      return 0L;
    }
  }

  /**
   * A resize ended with {@code table} (HashMap's returns it, the others' is their field): counted
   * for every map, whose table may have grown big enough to be tracked from then on.
   */
  public static void resized(
      Object[] table, Object map, long startNanos, int oldCapacity, int size) {
    try {
      JdkProbes.resizeEnd(map, startNanos, oldCapacity, table.length, size);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * The start of {@code clear()} (HashMap, WeakHashMap, IdentityHashMap): only one with entries.
   */
  public static void clearing(Object map, int size) {
    try {
      if (size > 0) {
        JdkProbes.cleared(map);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  // --- IdentityHashMap and WeakHashMap ------------------------------------------------------

  /** IdentityHashMap's {@code remove(key)} returned: the size tells hit from miss. */
  public static void sizeRemoveReturned(
      Object map, int sizeBefore, long startNanos, int sizeAfter) {
    try {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      JdkProbes.removeReturned(map, sizeAfter < sizeBefore);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** A removal that returns whether it removed ({@code IdentityHashMap.removeMapping}). */
  public static void removeReturned(boolean removed, Object map) {
    try {
      JdkProbes.removeReturned(map, removed);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * The start of an IdentityHashMap iterator's {@code remove()}, which over the live table unlinks
   * the entry and closes the gap without calling {@code remove(key)}: the map's size, or -1 when
   * the removal counts itself or the map is not tracked.
   */
  public static int identityIteratorRemoveStart(Object map, Object[] traversalTable) {
    try {
      return JdkProbes.identityIteratorRemoveStart(map, traversalTable);
    } catch (Throwable t) {
      Sites.suppressed(t);
      return -1;
    }
  }

  /** The end of that {@code remove()}. */
  public static void identityIteratorRemoveEnded(Object map, int sizeBefore) {
    try {
      if (sizeBefore >= 0) {
        JdkProbes.identityIteratorRemoveEnd(map, sizeBefore);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * WeakHashMap's {@code remove(key)} returned: its size also drops by the stale entries it
   * expunges first, but only a removal of the key itself counts a modification, so {@code modCount}
   * tells hit from miss; a hit that returns null (a key mapped to null) is silent.
   */
  public static void weakRemoveReturned(
      Object removed, Object map, int modCountBefore, long startNanos, int modCountAfter) {
    try {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      boolean hit = modCountAfter != modCountBefore;
      JdkProbes.removeReturned(map, hit);
      if (hit && removed == null) {
        JdkProbes.removedSilently(map);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** An expunge of stale entries (WeakHashMap, ThreadLocal's map) ended: the size drop. */
  public static void expungeEnded(Object map, int sizeBefore, int sizeAfter) {
    try {
      if (sizeAfter < sizeBefore) {
        JdkProbes.expunged(map, sizeBefore - sizeAfter);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  // --- ThreadLocal's map ----------------------------------------------------------------------

  /** The start of {@code ThreadLocalMap.remove}. */
  public static void threadLocalRemoveStart(Object map) {
    try {
      JdkProbes.threadLocalRemoveStart(map);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** The end of {@code ThreadLocalMap.remove}. */
  public static void threadLocalRemoveEnded(Object map) {
    try {
      JdkProbes.threadLocalRemoveEnd(map);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  // --- ConcurrentHashMap ----------------------------------------------------------------------

  /**
   * The start of {@code addCount}: every removal passes -1 (remove, replace with null, compute,
   * merge, iterator and view removals); only {@code clear()} passes the whole count of a clear at
   * once, so a delta below -1 is a clear (a clear of a single mapping reads as a delete).
   */
  public static void addCount(Object map, long delta) {
    try {
      if (delta == -1L) {
        JdkProbes.concurrentRemoved(map, 1L);
      } else if (delta < -1L) {
        JdkProbes.concurrentCleared(map, -delta);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** ConcurrentHashMap's {@code remove(key)} returned: null is a miss (it holds no null values). */
  public static void concurrentRemoveKeyReturned(Object removed, Object map, long startNanos) {
    try {
      if (startNanos != 0L) {
        JdkProbes.removeTimed(map, startNanos);
      }
      if (removed == null) {
        JdkProbes.concurrentRemoveMissed(map);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** ConcurrentHashMap's {@code remove(key, value)} returned: false is a miss. */
  public static void concurrentRemoveKeyValueReturned(boolean removed, Object map) {
    try {
      if (!removed) {
        JdkProbes.concurrentRemoveMissed(map);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * The start of {@code transfer(tab, nextTab)}, called with a null {@code nextTab} by the thread
   * that starts a resize and with the new table by each helper: the old table's length.
   */
  public static int transferStart(Object map, Object[] table, Object[] nextTable) {
    int oldLength = 0;
    try {
      oldLength = table.length;
      JdkProbes.transferEnter(map, nextTable == null);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
    return oldLength;
  }

  /** The end of {@code transfer}: the resize is over when {@code nextTable} is null again. */
  public static void transferEnded(Object map, int oldLength, Object[] nextTable, Object[] table) {
    try {
      JdkProbes.transferExit(map, nextTable == null, oldLength, table.length);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }
}
