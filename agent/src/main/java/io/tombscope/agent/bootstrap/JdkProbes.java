package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The probes of the JDK's own maps, called through {@link JdkHooks}: {@code HashMap} and its
 * subclasses, {@code ConcurrentHashMap}, {@code WeakHashMap}, {@code IdentityHashMap} and {@code
 * ThreadLocal}'s map. JDK types only, on the boot class path.
 *
 * <p>Assumptions and guarantees, beyond those of {@link Probes}:
 *
 * <ol>
 *   <li>One map constructed in {@code trackedOneIn} is tracked, chosen at random, and so is every
 *       map whose table grows to {@code growSlots} slots, from that resize on, and the map of one
 *       untracked delete in {@link #DELETE_TRACKING_ONE_IN} (per family and thread stripe), from
 *       that delete on, so that a small map that churns is found; only tracked maps pay for a stack
 *       walk. For every other map, each probe is one {@link TrackedMaps} lookup and one striped
 *       atomic add to the family's {@link Untracked} totals.
 *   <li>Counts of a tracked map are exact. Maps that are not thread-safe are written by one thread
 *       at a time, so their counters are plain fields; {@code ConcurrentHashMap}'s are atomic.
 *   <li>Reentrancy: a probe never calls a map method, except site resolution, which uses the
 *       agent's own maps; a map built by a thread while it resolves a site is not sampled. The
 *       guard is a small array of threads, not a ThreadLocal (itself a map). Nothing blocks.
 *   <li>Maps constructed by the agent's own code or threads are never tracked.
 * </ol>
 */
public final class JdkProbes {
  public static final String HASHMAP = "hashmap";
  public static final String CONCURRENT = "concurrent";
  public static final String WEAK = "weak";
  public static final String THREADLOCAL = "threadlocal";
  public static final String IDENTITY = "identity";

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final int MAX_SITE_FRAMES = 8;
  // Deep enough to see the agent's own code (its transformer or writer) above any JDK frames, and
  // the program's own first frame under a library's.
  private static final int MAX_WALK = 64;
  private static final String BOOTSTRAP_PACKAGE = "io.tombscope.agent.bootstrap.";
  private static final String JDK_PROBES = JdkProbes.class.getName();
  private static final String JDK_HOOKS = JdkHooks.class.getName();

  /** Code of the agent's own (its frames mean the agent, not the app, built the map). */
  private static final List<String> AGENT_CODE =
      List.of(
          "io.tombscope.agent.tooling.",
          "io.tombscope.agent.recording.",
          "io.tombscope.agent.release.",
          "io.tombscope.agent.shaded.",
          "io.tombscope.agent.Tombscope");

  /** Threads resolving a site now: a reentrancy guard that needs no ThreadLocal (a map). */
  private static final AtomicReferenceArray<Thread> RESOLVING = new AtomicReferenceArray<>(64);

  private static final AtomicLong UNTRACKED_FULL = new AtomicLong();
  private static final AtomicLong GROWN = new AtomicLong();
  private static final AtomicLong DELETING = new AtomicLong();

  /**
   * One untracked delete in this many (per family and thread stripe) makes its map tracked, at most
   * one every {@link #DELETE_TRACKING_GAP_NANOS}: a map that does a large share of the program's
   * deletes is tracked early in them, whatever its size, and however early it was built (maps built
   * before the agent wove the JDK's classes are seen no other way).
   */
  public static final int DELETE_TRACKING_ONE_IN = 1 << 13;

  /** The least time between two maps tracked for their deletes: at most 50 stack walks a second. */
  public static final long DELETE_TRACKING_GAP_NANOS = 20_000_000L;

  // When the last map was tracked for its deletes (a plain field: a race costs one walk more).
  private static long lastDeleteTracking = System.nanoTime() - DELETE_TRACKING_GAP_NANOS;

  private static final int DELETE_TRACKING_LOG2 =
      Integer.numberOfTrailingZeros(DELETE_TRACKING_ONE_IN);

  private static final VarHandle CLEARS;
  private static final VarHandle RESIZE_HELPERS;
  private static final VarHandle GROWS_LOAD;
  private static final VarHandle GROWS_FINISHED;
  private static final VarHandle ENTRIES_MOVED;
  private static final VarHandle RESIZING;
  private static final VarHandle GROW_HELPERS;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CLEARS = l.findVarHandle(Counts.class, "clears", long.class);
      RESIZE_HELPERS = l.findVarHandle(Counts.class, "resizeHelpers", long.class);
      GROWS_LOAD = l.findVarHandle(Counts.class, "growsLoad", long.class);
      GROWS_FINISHED = l.findVarHandle(Counts.class, "growsFinished", long.class);
      ENTRIES_MOVED = l.findVarHandle(Counts.class, "entriesMoved", long.class);
      RESIZING = l.findVarHandle(MapRecorder.class, "resizing", int.class);
      GROW_HELPERS = l.findVarHandle(MapRecorder.class, "growHelpers", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Set when a tracked map's delete countdown chose its next {@code remove(key)} to be timed: the
   * hook at the start of {@code remove(key)} reads only this plain field until then. Plain fields,
   * as are {@link #timedIdentity} and {@link #timingTries}: a stale read or a race between two
   * threads only skips or delays one sample.
   */
  public static boolean timeNextRemove;

  // The identity hash of the map whose next remove(key) is timed (no reference: it must not keep
  // a map alive), and the other maps' removes left before the choice lapses.
  private static int timedIdentity;
  private static int timingTries;
  private static final int TIMING_TRIES = 64;

  // Written once by the agent before any JDK class is instrumented; a power of two.
  private static int sampleMask = 1023;
  private static int trackedOneIn = 1024;
  // 0: maps are not tracked for growing.
  private static int growSlots = 4096;

  private JdkProbes() {}

  /**
   * Tracks one map in {@code oneIn} (rounded up to a power of two) from now on, and every map whose
   * table grows to {@code growSlots} slots or more (0 for none).
   */
  public static void configure(int oneIn, int growSlots) {
    int n = Integer.highestOneBit(Math.max(1, Math.min(1 << 30, oneIn)));
    n = n < oneIn ? n << 1 : n;
    trackedOneIn = n;
    sampleMask = n - 1;
    JdkProbes.growSlots = Math.max(0, growSlots);
  }

  /** The table size, in slots, from which maps are tracked; 0 if none are for growing. */
  public static int growSlots() {
    return growSlots;
  }

  /** Maps tracked so far because their table grew to {@link #growSlots}. */
  public static long grown() {
    return GROWN.get();
  }

  /** Maps tracked so far because one of their deletes was chosen. */
  public static long trackedAtDelete() {
    return DELETING.get();
  }

  /** One in how many maps is tracked. */
  public static int trackedOneIn() {
    return trackedOneIn;
  }

  /** Maps that were sampled but not tracked because {@link TrackedMaps} was full. */
  public static long untrackedFull() {
    return UNTRACKED_FULL.get();
  }

  // ---------------------------------------------------------------------------------------------
  // Construction: the only probe that can be expensive, and only for the sampled maps.

  /** A JDK map finished its constructor. */
  public static void created(Object map) {
    if ((ThreadLocalRandom.current().nextInt() & sampleMask) == 0) {
      startTracking(map, Family.indexOf(familyOf(map)), Site.SAMPLED, trackedOneIn);
    }
  }

  /**
   * An untracked map's table grew to {@link #growSlots} or more: tracked from now on, at the site
   * where it grew (where it was built is not known). Rare: a map gets here at most once per resize.
   */
  private static void grew(Object map, int family) {
    if (startTracking(map, family, Site.GROWN, 1)) {
      GROWN.incrementAndGet();
    }
  }

  /**
   * An untracked map's delete was chosen ({@link #DELETE_TRACKING_ONE_IN}): tracked from now on, at
   * the site of this delete (where it was built is not known).
   */
  private static void deletedOften(Object map, int family) {
    if (startTracking(map, family, Site.DELETING, 1)) {
      DELETING.incrementAndGet();
    }
  }

  /** Counts an untracked map's deletes, and tracks it when one of them is chosen. */
  private static void untrackedDeleted(Object map, int family, long n) {
    if (Untracked.addAndSample(family, Untracked.HITS, n, DELETE_TRACKING_LOG2)) {
      long now = System.nanoTime();
      if (now - lastDeleteTracking >= DELETE_TRACKING_GAP_NANOS) {
        lastDeleteTracking = now;
        deletedOften(map, family);
      }
    }
  }

  /**
   * Tracks {@code map} at the site of the current stack, unless the agent's own thread or code made
   * it, this thread is already resolving a site, or it is tracked already; true if it now is.
   */
  private static boolean startTracking(Object map, int family, String tracking, int oneIn) {
    Thread self = Thread.currentThread();
    int slot = claimResolving(self);
    if (slot < 0) {
      return false;
    }
    try {
      return !self.getName().startsWith("tombscope-")
          && TrackedMaps.recorderOf(map) == null
          && track(map, family, tracking, oneIn, self);
    } catch (Throwable t) {
      Sites.suppressed(t);
      return false;
    } finally {
      RESOLVING.set(slot, null);
    }
  }

  /** Starts tracking {@code map} at the site of the current stack; true if it now is. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
  private static boolean track(Object map, int family, String tracking, int oneIn, Thread self) {
    Class<?> mapClass = map.getClass();
    Frames frames = siteFrames(mapClass);
    if (frames == null) {
      return false; // constructed or grown by the agent itself
    }
    Site site =
        Sites.siteFor(
            mapClass.getName(),
            Family.NAMES.get(family),
            oneIn,
            tracking,
            List.copyOf(frames.frames()),
            frames.appFrame());
    MapRecorder recorder =
        new MapRecorder(site, self.getId(), Integer.MAX_VALUE, 0, Probes.callSitePeriod());
    recorder.walks = ThreadLanes.schedule(Probes.latencyPeriod());
    if (family == Family.CONCURRENT) {
      recorder.lanes = new ThreadLanes(Probes.latencyPeriod());
    }
    recorder.sizePeak = Math.max(0, JdkGauges.size(map, family));
    int added = Sites.trackJdk(map, recorder);
    if (added == TrackedMaps.FULL) {
      UNTRACKED_FULL.incrementAndGet();
    }
    return added == TrackedMaps.ADDED;
  }

  /**
   * A slot in {@link #RESOLVING} for {@code self}, or -1 if {@code self} is already resolving (a
   * map built while resolving a site) or 64 threads are (this map then goes unsampled).
   */
  private static int claimResolving(Thread self) {
    for (int i = 0; i < RESOLVING.length(); i++) {
      if (RESOLVING.get(i) == self) {
        return -1;
      }
    }
    for (int i = 0; i < RESOLVING.length(); i++) {
      if (RESOLVING.get(i) == null && RESOLVING.compareAndSet(i, null, self)) {
        return i;
      }
    }
    return -1;
  }

  /** The family of a woven map (ThreadLocal's map is the one woven class that is no Map). */
  private static String familyOf(Object map) {
    if (map instanceof ConcurrentHashMap) {
      return CONCURRENT;
    } else if (map instanceof java.util.WeakHashMap) {
      return WEAK;
    } else if (map instanceof java.util.IdentityHashMap) {
      return IDENTITY;
    } else if (map instanceof java.util.HashMap) {
      return HASHMAP;
    }
    return THREADLOCAL;
  }

  /**
   * The first frames outside the map's own classes, or null if the agent built the map. The walk
   * starts in this probe and its hook, which the map's constructor called; below the constructor, a
   * frame of the probes' package is the agent's own bookkeeping (a {@code BucketHashMap}'s new site
   * builds a {@code ConcurrentHashMap} for its delete call sites, under the map's constructor).
   */
  private static Frames siteFrames(Class<?> mapClass) {
    return WALKER.walk(
        s -> {
          List<String> out = new ArrayList<>(MAX_SITE_FRAMES);
          String[] app = new String[1];
          boolean[] agent = new boolean[1];
          boolean[] inProbe = {true};
          s.limit(MAX_WALK)
              .forEach(
                  f -> {
                    String c = f.getClassName();
                    if (inProbe[0] && (c.startsWith(JDK_PROBES) || c.startsWith(JDK_HOOKS))) {
                      return; // this probe and its hook, above the map's constructor
                    }
                    inProbe[0] = false;
                    if (c.startsWith(BOOTSTRAP_PACKAGE) || isAgentCode(c)) {
                      agent[0] = true;
                    } else if (!out.isEmpty() || !ownFrame(c, mapClass)) {
                      if (out.size() < MAX_SITE_FRAMES) {
                        out.add(Probes.describe(f));
                      }
                      if (app[0] == null && AppCode.isApp(f.getDeclaringClass())) {
                        app[0] = Probes.describe(f);
                      }
                    }
                  });
          return agent[0] ? null : new Frames(out, app[0]);
        });
  }

  /** The frames of a site, innermost first, and the program's own first frame (or null). */
  private record Frames(List<String> frames, String appFrame) {}

  /** True for the agent's own classes, the probes included. */
  static boolean isAgentCode(String className) {
    if (className.startsWith(BOOTSTRAP_PACKAGE)) {
      return true;
    }
    for (int i = 0; i < AGENT_CODE.size(); i++) {
      if (className.startsWith(AGENT_CODE.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** A frame of the map's own code: its class, a superclass, or one of their nested classes. */
  private static boolean ownFrame(String className, Class<?> mapClass) {
    if (className.equals("java.lang.ThreadLocal")
        || className.equals("java.util.HashSet")
        || className.equals("java.util.LinkedHashSet")
        || className.equals("java.util.Collections$SetFromMap")) {
      return true; // the map's owner in the JDK: the site is whoever called it
    }
    for (Class<?> c = mapClass; c != null && c != Object.class; c = c.getSuperclass()) {
      String n = c.getName();
      if (className.startsWith(n)
          && (className.length() == n.length() || className.charAt(n.length()) == '$')) {
        return true;
      }
    }
    return false;
  }

  /**
   * A tracked map's delete of one kind ({@link CallSites#DELETES} for a hit, {@link
   * CallSites#MISSES}, {@link CallSites#SILENT}): the callers of the map's first {@link
   * CallSites#FIRST_WALKS} deletes of that kind are walked, then at powers of two up to {@code
   * callsites} (these early walks {@link CallSites#EARLY_WALKS} at most per site, so thousands of
   * small maps cost no more than one), then one in {@code callsites}; each walk stands for the
   * deletes of its kind since the last. The schedule is the map's ({@link MapRecorder#walks}), or a
   * {@code ConcurrentHashMap}'s lane of the deleting thread ({@link ThreadLanes}), whose walks
   * stand for that lane's deletes; its counts are plain, so two threads of one lane may shift a
   * walk, and the call sites are estimates anyway.
   */
  private static void deleteCalled(MapRecorder r, Object map, int kind) {
    long[] walks = r.walks;
    if (walks != null) {
      deleteCalled(r, map, kind, walks);
    }
  }

  private static void deleteCalled(MapRecorder r, Object map, int kind, long[] walks) {
    if (kind != CallSites.SILENT && --walks[ThreadLanes.LATENCY_DUE] <= 0) {
      timeNextRemove(r, map, walks);
    }
    long n = ++walks[ThreadLanes.DELETES + kind];
    long weight = n - walks[ThreadLanes.LAST_WALK + kind];
    int period = Probes.callSitePeriod();
    if (period == 0) {
      return; // callsites=off: no walk at all
    }
    if (!r.site.callSites.walkDue(n, walks[ThreadLanes.LAST_WALK + kind], period)) {
      return;
    }
    walks[ThreadLanes.LAST_WALK + kind] = n;
    r.timedDelete = false; // a walk inside a timed remove would count as the remove's own time
    Thread self = Thread.currentThread();
    int slot = claimResolving(self);
    if (slot < 0) {
      return; // a delete inside the walk itself
    }
    try {
      String[] stack = callStack(map.getClass());
      r.site.callSites.record(stack[0], stack[1], kind, weight);
    } catch (Throwable t) {
      Sites.suppressed(t);
    } finally {
      RESOLVING.set(slot, null);
    }
  }

  /**
   * One delete in {@code sample} of a tracked map: its next {@code remove(key)} is timed, whole
   * (hashing the key, the search, the unlink and the probes), for the site's {@code deleteLatency}.
   * ThreadLocal's map has no timed remove.
   */
  private static void timeNextRemove(MapRecorder r, Object map, long[] schedule) {
    int period = Probes.latencyPeriod();
    if (period == 0) {
      schedule[ThreadLanes.LATENCY_DUE] = Long.MAX_VALUE; // sample=off
      return;
    }
    schedule[ThreadLanes.LATENCY_DUE] = period;
    if (r.site.familyIndex != Family.THREADLOCAL) {
      timedIdentity = System.identityHashCode(map);
      timingTries = TIMING_TRIES;
      timeNextRemove = true;
    }
  }

  /**
   * Start of a {@code remove(key)} while {@link #timeNextRemove} is set: its start time if this is
   * the map chosen to be timed, else 0 (and after {@link #TIMING_TRIES} other removes the choice
   * lapses, so a map that never removes by key again does not keep every remove calling here).
   */
  public static long removeTimingStart(Object map) {
    if (System.identityHashCode(map) != timedIdentity) {
      if (--timingTries <= 0) {
        timeNextRemove = false;
      }
      return 0L;
    }
    timeNextRemove = false;
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      return 0L; // another map with the same identity hash
    }
    r.timedDelete = true;
    long now = System.nanoTime();
    return now != 0L ? now : 1L;
  }

  /** End of the timed {@code remove(key)}: recorded unless a stack walk ran inside it. */
  public static void removeTimed(Object map, long startNanos) {
    long elapsed = System.nanoTime() - startNanos;
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r != null && r.timedDelete) {
      r.timedDelete = false;
      r.site.histogram(Site.DELETE_LATENCY).record(Math.max(0, elapsed));
    }
  }

  /**
   * The frames that called a delete, innermost first: past the probes, the map's own classes and
   * its owner in the JDK ({@code HashSet}, {@code newSetFromMap}, {@code ThreadLocal}); and the
   * first of them that is the program's own code, or null.
   */
  private static String[] callStack(Class<?> mapClass) {
    return WALKER.walk(
        s -> {
          List<StackWalker.StackFrame> frames =
              s.limit(MAX_WALK)
                  .dropWhile(
                      f -> {
                        String c = f.getClassName();
                        return c.startsWith(BOOTSTRAP_PACKAGE) || ownFrame(c, mapClass);
                      })
                  .toList();
          String app = null;
          for (StackWalker.StackFrame f : frames) {
            if (AppCode.isApp(f.getDeclaringClass())) {
              app = Probes.describe(f);
              break;
            }
          }
          return new String[] {CallSites.stackOf(frames.stream()), app};
        });
  }

  /**
   * A tracked map's size fell from {@code before} to {@code after}: the peak before it, and the
   * drained bytes after it, at the table's length now.
   */
  private static void shrank(MapRecorder r, Object map, long before, long after) {
    if (before > r.sizePeak) {
      r.sizePeak = before;
      r.shrinkFloor = Long.MAX_VALUE;
    }
    if (after >= r.shrinkFloor) {
      return; // drained no further than before at this peak and table: churn costs a compare
    }
    r.shrinkFloor = after;
    int family = r.site.familyIndex;
    long drained =
        JdkGauges.drainedSlots(family, JdkGauges.slots(map, family), r.sizePeak, after)
            * JdkGauges.bytesPerSlot(family);
    if (drained > r.drainedBytesPeak) {
      r.drainedBytesPeak = drained;
    }
  }

  /** {@link #shrank} by {@code removed} entries, to the map's size now. */
  private static void shrankBy(MapRecorder r, Object map, long removed) {
    long after = JdkGauges.size(map, r.site.familyIndex);
    if (after >= 0) {
      shrank(r, map, after + removed, after);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HashMap and LinkedHashMap (and IdentityHashMap, WeakHashMap where noted).

  /** A node was unlinked ({@code afterNodeRemoval}: every removal path of HashMap). */
  public static void removed(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      untrackedDeleted(map, Family.HASHMAP, 1);
      return;
    }
    r.deleteHits++;
    shrankBy(r, map, 1);
    deleteCalled(r, map, CallSites.DELETES);
  }

  /** {@code remove} found nothing to remove. */
  public static void removeMissed(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      int family = Family.of(map);
      if (family >= 0) {
        Untracked.add(family, Untracked.MISSES, 1);
      }
      return;
    }
    r.deleteMisses++;
    deleteCalled(r, map, CallSites.MISSES);
  }

  /** {@code remove(key)} removed a key mapped to null, and returned null as a miss does. */
  public static void removedSilently(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r != null) {
      r.silentDeletes++;
      deleteCalled(r, map, CallSites.SILENT);
    }
  }

  /**
   * Start of an {@code IdentityHashMap} iterator's {@code remove()}: the map's size when the map is
   * tracked and the iterator walks its live table, where the removal closes the gap itself instead
   * of calling {@code remove(key)}; otherwise -1 (a walk over a copy calls {@code remove(key)},
   * which counts itself).
   */
  public static int identityIteratorRemoveStart(Object map, Object[] traversalTable) {
    if (TrackedMaps.recorderOf(map) == null) {
      return -1;
    }
    Object[] table = JdkGauges.identityTable(map);
    return table != null && table == traversalTable ? JdkGauges.identitySize(map) : -1;
  }

  /** End of that {@code remove()}: a hit if the size went down. */
  public static void identityIteratorRemoveEnd(Object map, int sizeBefore) {
    if (JdkGauges.identitySize(map) < sizeBefore) {
      MapRecorder r = TrackedMaps.recorderOf(map);
      if (r != null) {
        r.deleteHits++;
        shrankBy(r, map, 1);
        deleteCalled(r, map, CallSites.DELETES);
      }
    }
  }

  /** A removal counted where it returns (IdentityHashMap, WeakHashMap): hit or miss. */
  public static void removeReturned(Object map, boolean hit) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      int family = map instanceof java.util.WeakHashMap ? Family.WEAK : Family.IDENTITY;
      if (hit) {
        untrackedDeleted(map, family, 1);
      } else {
        Untracked.add(family, Untracked.MISSES, 1);
      }
      return;
    }
    if (hit) {
      r.deleteHits++;
      shrankBy(r, map, 1);
    } else {
      r.deleteMisses++;
    }
    deleteCalled(r, map, hit ? CallSites.DELETES : CallSites.MISSES);
  }

  /** A non-empty map is about to be cleared (its table stays as long as it is). */
  public static void cleared(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r != null) {
      r.clears++;
      long before = JdkGauges.size(map, r.site.familyIndex);
      if (before >= 0) {
        shrank(r, map, before, 0);
      }
    }
  }

  /** A resize of a tracked map starts: returns its start time, or 0 for untracked maps. */
  public static long resizeStart(Object map, int oldCapacity) {
    if (oldCapacity == 0) {
      return 0L; // the table's first allocation, not a resize
    }
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      return 0L;
    }
    r.growBegun = Sites.growBegun();
    return System.nanoTime();
  }

  /**
   * A resize (or a table's first allocation) has finished. {@code startNanos} is what {@link
   * #resizeStart} returned: 0 for an untracked map or a first allocation, which may make the map
   * tracked. Capacities are table lengths.
   */
  public static void resizeEnd(
      Object map, long startNanos, int oldCapacity, int newCapacity, int size) {
    if (newCapacity == oldCapacity) {
      return;
    }
    if (startNanos == 0L) {
      if (oldCapacity != 0 || (growSlots > 0 && newCapacity >= growSlots)) {
        untrackedResized(map, oldCapacity, newCapacity);
      }
      return;
    }
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      return;
    }
    long duration = System.nanoTime() - startNanos;
    r.growsLoad++;
    r.growsFinished++;
    r.entriesMoved += size;
    r.shrinkFloor = Long.MAX_VALUE;
    if (size > r.sizePeak) {
      r.sizePeak = size;
    }
    finishedResize(r, oldCapacity, newCapacity, duration, size, 0);
  }

  /** An untracked map resized: counted, and tracked from now on if its table is big enough. */
  private static void untrackedResized(Object map, int oldCapacity, int newCapacity) {
    int family = Family.of(map);
    if (family < 0) {
      return;
    }
    if (oldCapacity != 0) {
      Untracked.add(family, Untracked.RESIZES, 1);
    }
    int slots = family == Family.IDENTITY ? newCapacity / 2 : newCapacity;
    if (growSlots > 0 && slots >= growSlots) {
      grew(map, family);
    }
  }

  private static void finishedResize(
      MapRecorder r, int oldCapacity, int newCapacity, long duration, long moved, int helpers) {
    r.site.histogram(Site.GROW_DURATION).record(duration);
    Sites.queueGrow(
        new GrowEvent(
            System.currentTimeMillis(),
            r.site.id,
            GrowEvent.RESIZE,
            log2(oldCapacity),
            log2(newCapacity),
            duration,
            0,
            moved,
            0,
            helpers),
        r.site,
        r.takeGrowBegun());
  }

  private static int log2(int capacity) {
    return 31 - Integer.numberOfLeadingZeros(Math.max(1, capacity));
  }

  // ---------------------------------------------------------------------------------------------
  // ConcurrentHashMap: any thread may write, so every count is atomic, and deletes are counted in
  // the deleting thread's lane (ThreadLanes).

  /** {@code addCount} with a negative delta, before it applies: mappings were removed. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
  public static void concurrentRemoved(Object map, long removed) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      untrackedDeleted(map, Family.CONCURRENT, removed);
      return;
    }
    long self = Thread.currentThread().getId();
    long[] lane = r.lanes.lane(self);
    ThreadLanes.hit(lane, self, removed);
    if (!JdkGauges.countContended(map) || ThreadLanes.sizeDue(lane)) {
      long before = ((ConcurrentHashMap<?, ?>) map).mappingCount();
      shrank(r, map, before, before - removed);
    }
    deleteCalled(r, map, CallSites.DELETES, lane);
  }

  /**
   * A {@code ConcurrentHashMap} was cleared of {@code removed} mappings, before {@code addCount}
   * applies it (a clear, not deletes, as for the other maps).
   */
  public static void concurrentCleared(Object map, long removed) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r != null) {
      CLEARS.getAndAdd(r, 1L);
      long before = ((ConcurrentHashMap<?, ?>) map).mappingCount();
      shrank(r, map, before, Math.max(0, before - removed));
    }
  }

  /** {@code remove} found nothing to remove. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
  public static void concurrentRemoveMissed(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      Untracked.add(Family.CONCURRENT, Untracked.MISSES, 1);
      return;
    }
    long self = Thread.currentThread().getId();
    long[] lane = r.lanes.lane(self);
    ThreadLanes.miss(lane, self);
    deleteCalled(r, map, CallSites.MISSES, lane);
  }

  /**
   * A thread enters {@code transfer}: the one that starts a resize ({@code starting}) or one that
   * helps it.
   */
  public static void transferEnter(Object map, boolean starting) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      if (starting) {
        Untracked.add(Family.CONCURRENT, Untracked.RESIZES, 1);
      }
      return;
    }
    if (starting) {
      if (RESIZING.compareAndSet(r, 0, 1)) {
        r.growBegun = Sites.growBegun();
        r.growStartNanos = System.nanoTime();
        r.growHelpers = 0;
        GROWS_LOAD.getAndAdd(r, 1L);
      }
    } else {
      GROW_HELPERS.getAndAdd(r, 1);
      RESIZE_HELPERS.getAndAdd(r, 1L);
    }
  }

  /**
   * A thread leaves {@code transfer}; {@code finished} when the new table is installed. Exactly one
   * thread records the resize's end; an untracked map whose new table is big enough is tracked from
   * now on.
   */
  public static void transferExit(Object map, boolean finished, int oldCapacity, int newCapacity) {
    if (!finished) {
      return;
    }
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      if (growSlots > 0 && newCapacity >= growSlots) {
        grew(map, Family.CONCURRENT);
      }
      return;
    }
    if (!RESIZING.compareAndSet(r, 1, 0)) {
      return;
    }
    long duration = System.nanoTime() - r.growStartNanos;
    long moved = ((ConcurrentHashMap<?, ?>) map).mappingCount();
    GROWS_FINISHED.getAndAdd(r, 1L);
    ENTRIES_MOVED.getAndAdd(r, moved);
    r.shrinkFloor = Long.MAX_VALUE;
    if (moved > r.sizePeak) {
      r.sizePeak = moved;
    }
    finishedResize(r, oldCapacity, newCapacity, duration, moved, r.growHelpers);
  }

  // ---------------------------------------------------------------------------------------------
  // WeakHashMap and ThreadLocal's map: stale entries are their tombstones.

  /** An expunge removed {@code removed} stale entries. */
  public static void expunged(Object map, int removed) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      // ThreadLocal's map: an explicit remove expunges too, so stale entries are not told apart.
      if (map instanceof java.util.WeakHashMap) {
        Untracked.add(Family.WEAK, Untracked.STALE_EXPUNGED, removed);
      }
      return;
    }
    shrankBy(r, map, removed);
    if (r.explicitRemove) {
      // ThreadLocal.remove() clears its entry and expunges it: that one is a delete, not stale.
      r.explicitRemove = false;
      r.deleteHits++;
      deleteCalled(r, map, CallSites.DELETES);
      removed--;
    }
    if (removed > 0) {
      r.expunges++;
      r.staleExpunged += removed;
      r.site.histogram(Site.EXPUNGE_STALE).record(removed);
    }
  }

  /** {@code ThreadLocalMap.remove} begins. */
  public static void threadLocalRemoveStart(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r != null) {
      r.explicitRemove = true;
    }
  }

  /** {@code ThreadLocalMap.remove} returns: if it expunged nothing, the key was absent. */
  public static void threadLocalRemoveEnd(Object map) {
    MapRecorder r = TrackedMaps.recorderOf(map);
    if (r == null) {
      Untracked.add(Family.THREADLOCAL, Untracked.HITS, 1);
      return;
    }
    if (r.explicitRemove) {
      r.explicitRemove = false;
      r.deleteMisses++;
      deleteCalled(r, map, CallSites.MISSES);
    }
  }
}
