package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sampled delete call sites of one allocation site: at most {@link #MAX_FRAMES} distinct call
 * stacks, and {@link #MAX_TOTAL} over all sites, the rest counted under {@link #OTHER}. A call
 * stack is the frame that called delete and its callers, innermost first, {@link #STACK_DEPTH}
 * frames at most, joined by {@link #SEPARATOR}. Each sample stands for {@code period} deletes.
 */
public final class CallSites {
  /** Most distinct call stacks kept per allocation site. */
  public static final int MAX_FRAMES = 64;

  /**
   * Most distinct call stacks kept over all sites (about 400 bytes each): without it, 10,000 sites
   * of 64 stacks each could hold a quarter of a gigabyte.
   */
  public static final int MAX_TOTAL = 20_000;

  private static final AtomicInteger TOTAL = new AtomicInteger();

  // Stack walks for delete callers; what callsites=off saves, counted for the tests that prove it.
  private static final LongAdder WALKS = new LongAdder();

  /** Frames recorded per call stack: the caller of delete and its callers. */
  public static final int STACK_DEPTH = 4;

  /** Between the frames of one call stack (a frame never holds a line break). */
  public static final String SEPARATOR = "\n";

  /** The frame under which call sites beyond the limit are counted. */
  public static final String OTHER = "(other)";

  /** Index in a call stack's counts: deletes (hits and misses), estimated. */
  public static final int DELETES = 0;

  /** Index in a call stack's counts: deletes that removed nothing, estimated. */
  public static final int MISSES = 1;

  /** Index in a call stack's counts: hits that returned null like a miss (JDK maps), estimated. */
  public static final int SILENT = 2;

  /**
   * Most walks per site of the deletes before a map's {@code callsites}th: enough for the first few
   * callers of every site, while a site of thousands of small maps walks no more than one big map.
   */
  public static final int EARLY_WALKS = 256;

  /** The deletes of each map whose callers are all walked, before the powers of two. */
  public static final int FIRST_WALKS = 8;

  private static final VarHandle EARLY_WALKS_TAKEN;
  private static final VarHandle APP_FRAMES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      EARLY_WALKS_TAKEN = lookup.findVarHandle(CallSites.class, "earlyWalks", int.class);
      APP_FRAMES = lookup.findVarHandle(CallSites.class, "appFrames", ConcurrentHashMap.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Fields and small tables rather than atomics and default tables: every site has one of these,
  // and most sites have a call stack or two.
  private volatile int earlyWalks;

  private final ConcurrentHashMap<String, AtomicLongArray> frames = new ConcurrentHashMap<>(1);

  /**
   * The program's own first frame of a call stack, where it is not the stack's own first; null
   * until there is one (JDK maps only).
   */
  private volatile ConcurrentHashMap<String, String> appFrames;

  /**
   * The call stack of a delete, from the frames that start at its caller: the first {@link
   * #STACK_DEPTH} of them, joined; {@code "(unknown)"} when there are none.
   */
  static String stackOf(Stream<StackWalker.StackFrame> fromCaller) {
    WALKS.increment();
    String stack =
        fromCaller.limit(STACK_DEPTH).map(Probes::describe).collect(Collectors.joining(SEPARATOR));
    return stack.isEmpty() ? "(unknown)" : stack;
  }

  void record(String frame, boolean hit, int period) {
    record(frame, null, hit ? DELETES : MISSES, period);
  }

  /**
   * Adds {@code weight} deletes of one kind ({@link #DELETES} for a hit, {@link #MISSES} for a
   * miss, {@link #SILENT} for a silent delete, which its hit counted already) to a call stack,
   * whose program frame is {@code appFrame} (null if none was found).
   */
  void record(String frame, String appFrame, int kind, long weight) {
    AtomicLongArray counts = frames.get(frame);
    if (counts == null) {
      // Maps of many sites are often deleted from by the same code: one string for its stack.
      String key = frames.size() >= MAX_FRAMES || TOTAL.get() >= MAX_TOTAL ? OTHER : frame.intern();
      counts =
          frames.computeIfAbsent(
              key,
              k -> {
                TOTAL.incrementAndGet();
                return new AtomicLongArray(3);
              });
      if (appFrame != null && key != OTHER) {
        appFrames().putIfAbsent(key, appFrame.intern());
      }
    }
    if (kind != SILENT) {
      counts.addAndGet(DELETES, weight);
    }
    if (kind != DELETES) {
      counts.addAndGet(kind, weight);
    }
  }

  /** Stack walks made so far to find the callers of deletes, over all sites. */
  public static long walks() {
    return WALKS.sum();
  }

  /**
   * Whether a map's {@code n}th delete (counted from 1), whose previous walk was at its {@code
   * lastWalk}th (0 for none), is walked for its caller, at one walk in {@code period} deletes: the
   * first {@link #FIRST_WALKS}, then the powers of two up to {@code period}, while the site has
   * {@link #EARLY_WALKS} left (taking one); past {@code period}, once {@code period} deletes after
   * the previous walk. So every site with deletes names its first callers, and a map's steady state
   * walks one delete in {@code period}.
   */
  boolean walkDue(long n, long lastWalk, int period) {
    return n > period
        ? n - lastWalk >= period
        : (n <= FIRST_WALKS || (n & (n - 1)) == 0) && claimEarlyWalk();
  }

  /**
   * The next delete of a map, after its {@code n}th, that {@link #walkDue} may walk: what a
   * countdown to the next walk is set to, so that the deletes between cost no more than before.
   */
  long nextWalkCheck(long n, long lastWalk, int period) {
    long regular = Math.max(lastWalk + period, (long) period + 1);
    if (n < period && earlyWalks < EARLY_WALKS) {
      return n < FIRST_WALKS ? n + 1 : Math.min(Long.highestOneBit(n) << 1, period);
    }
    return Math.max(n + 1, regular);
  }

  /** Takes one of the site's {@link #EARLY_WALKS}; false when they are spent. */
  boolean claimEarlyWalk() {
    return earlyWalks < EARLY_WALKS
        && (int) EARLY_WALKS_TAKEN.getAndAdd(this, 1) + 1 <= EARLY_WALKS;
  }

  /** The program's own first frame of a call stack, or null if none was found. */
  public String appFrameOf(String stack) {
    ConcurrentHashMap<String, String> app = appFrames;
    return app == null ? null : app.get(stack);
  }

  private ConcurrentHashMap<String, String> appFrames() {
    ConcurrentHashMap<String, String> app = appFrames;
    if (app == null) {
      APP_FRAMES.compareAndSet(this, null, new ConcurrentHashMap<String, String>(1));
      app = appFrames;
    }
    return app;
  }

  /** Call stack → {deletes, deleteMisses, silentDeletes}, estimated (samples × period). */
  public Map<String, AtomicLongArray> frames() {
    return frames;
  }
}
