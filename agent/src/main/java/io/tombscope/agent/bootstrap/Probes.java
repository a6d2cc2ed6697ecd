package io.tombscope.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * The static entry points that advice inlined into instrumented maps calls. JDK types only, on the
 * bootstrap class path, so a map in any class loader can reach them.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>The {@code observer} argument is the map's own {@link MapRecorder}, or null for a map that
 *       the agent does not track; every probe then returns at once.
 *   <li>A map is used by one thread at a time, so the hot probes (delete, reuse, evacuation) use
 *       plain field increments: no allocation (after a map's first delete), no lock, no atomics.
 *   <li>Timing is sampled: one delete or evacuation step in {@code latencyPeriod} calls {@code
 *       System.nanoTime()}; a map's first deletes, then one in {@code callSitePeriod}, walk the
 *       stack for their caller ({@link CallSites#walkDue}). An unsampled delete costs two type
 *       checks, a flag, one countdown and a few field increments: both samplings share the
 *       countdown, which runs at the end of a delete and chooses the next one to sample there, so
 *       the start of a delete only reads whether it is timed.
 *   <li>No probe throws: callers wrap them in {@code suppress = Throwable.class}, and probes that
 *       do more than arithmetic catch and count their own failures.
 *   <li>Probes never call map code, so they cannot recurse into themselves; the one path that could
 *       (site resolution at construction) is guarded per thread.
 * </ol>
 */
public final class Probes {
  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final String MAP_PREFIX = "io.tombscope.map.BucketHashMap";
  private static final String AGENT_PREFIX = "io.tombscope.agent.bootstrap.";
  private static final int MAX_SITE_FRAMES = 8;
  private static final ThreadLocal<boolean[]> IN_CREATE =
      ThreadLocal.withInitial(() -> new boolean[1]);

  // Written once by the agent before any map is instrumented; plain reads are enough after that
  // because class retransformation publishes them (and a stale default only changes sampling).
  private static int latencyPeriod = 256;
  private static int callSitePeriod = 65536;
  // Deletes between two visits to the sampling slow path: the shorter of the two periods.
  private static int deleteSamplePeriod = 256;

  private Probes() {}

  /**
   * Sets the sampling periods: time one event in {@code latencyPeriod} and walk the stack of one
   * delete in {@code callSitePeriod}; 0 for never.
   */
  public static void configure(int latencyPeriod, int callSitePeriod) {
    int latency = Math.max(0, latencyPeriod);
    int callSites = Math.max(0, callSitePeriod);
    Probes.latencyPeriod = latency;
    Probes.callSitePeriod = callSites;
    Probes.deleteSamplePeriod =
        latency > 0 && callSites > 0
            ? Math.min(latency, callSites)
            : latency > 0 ? latency : callSites > 0 ? callSites : Integer.MAX_VALUE;
  }

  /** Deletes per call-stack sample: the agent option {@code callsites}; 0 for never. */
  static int callSitePeriod() {
    return callSitePeriod;
  }

  /** Events per timed one: the agent option {@code sample}; 0 for never. */
  static int latencyPeriod() {
    return latencyPeriod;
  }

  /** A recorder for a new map of {@code site}, owned by the calling thread. */
  static MapRecorder newRecorder(Site site) {
    MapRecorder r =
        new MapRecorder(
            site,
            Thread.currentThread().getId(),
            deleteSamplePeriod,
            latencyPeriod,
            callSitePeriod);
    // The first delete is checked when callers are walked (CallSites.walkDue), else the first
    // period's last.
    r.nextSampleCheck = callSitePeriod > 0 ? 1 : deleteSamplePeriod;
    planSamples(r, 0);
    return r;
  }

  /** A new map finished its constructor: find its site and give it a recorder. */
  public static Object created(Object map) {
    boolean[] guard = IN_CREATE.get();
    if (guard[0]) {
      return null;
    }
    guard[0] = true;
    try {
      List<String> frames =
          WALKER.walk(
              s ->
                  s.filter(f -> !isOwnFrame(f.getClassName()))
                      .limit(MAX_SITE_FRAMES)
                      .map(Probes::describe)
                      .collect(java.util.stream.Collectors.toCollection(ArrayList::new)));
      Site site = Sites.siteFor(map.getClass().getName(), frames);
      MapRecorder recorder = newRecorder(site);
      Sites.track(map, recorder);
      return recorder;
    } catch (Throwable t) {
      Sites.suppressed(t);
      return null;
    } finally {
      guard[0] = false;
    }
  }

  private static boolean isOwnFrame(String className) {
    return className.startsWith(MAP_PREFIX) || className.startsWith(AGENT_PREFIX);
  }

  static String describe(StackWalker.StackFrame f) {
    String file = f.getFileName();
    int line = f.getLineNumber();
    return f.getClassName()
        + '.'
        + f.getMethodName()
        + '('
        + (file == null ? "Unknown Source" : line >= 0 ? file + ':' + line : file)
        + ')';
  }

  /**
   * Start of a delete: its start time when the sampling chose it to be timed ({@link #planSamples},
   * at the end of the delete before), else 0. A load and a branch otherwise.
   */
  public static long deleteStart(Object observer) {
    if (observer instanceof MapRecorder r && r.timedDelete) {
      long now = System.nanoTime();
      return now != 0L ? now : 1L;
    }
    return 0L;
  }

  /**
   * A delete finished; {@code tombstones} is the map's count of them after it. True asks the map to
   * compact itself now (the release trigger's request).
   */
  public static boolean delete(
      Object observer,
      long startNanos,
      int probeLength,
      boolean hit,
      int collapsed,
      int tombstones) {
    if (!(observer instanceof MapRecorder r)) {
      return false;
    }
    if (hit) {
      r.deleteHits++;
      r.tombstonesCollapsed += collapsed;
      // The map's own count, which the agent's counts add up to (MapRecorder.liveTombstones), read
      // where the map already has it instead of summed from six counters.
      if (tombstones > r.tombstonesPeak) {
        r.tombstonesPeak = tombstones;
      }
      ProbeLengths p = r.hitProbes;
      if (p == null) {
        r.hitProbes = p = new ProbeLengths();
      }
      p.record(probeLength);
    } else {
      r.deleteMisses++;
      ProbeLengths p = r.missProbes;
      if (p == null) {
        r.missProbes = p = new ProbeLengths();
      }
      p.record(probeLength);
    }
    if (--r.deleteCountdown <= 0) {
      deleteSampled(r, startNanos, hit);
    }
    return r.compactRequested;
  }

  /**
   * The end of a delete that ran the countdown out: a sampling check ({@link #check}), or the
   * delete before one, which decides whether the check's delete is timed.
   */
  private static void deleteSampled(MapRecorder r, long startNanos, boolean hit) {
    long done = r.deleteHits + r.deleteMisses;
    if (done >= r.nextSampleCheck) {
      check(r, done, startNanos, hit);
    }
    planSamples(r, done);
  }

  /**
   * After the map's {@code done}th delete, the countdown to the end of the delete before the next
   * check, or, when the next delete is the check, whether it is timed (its start must know) and a
   * countdown of 1 to its end.
   */
  private static void planSamples(MapRecorder r, long done) {
    long next = r.nextSampleCheck;
    if (next == done + 1) {
      int passed = (int) Math.max(1, Math.min(Integer.MAX_VALUE, next - r.lastSampledDelete));
      r.lastSampledDelete = next;
      boolean timed = latencyPeriod > 0 && (r.latencyDue -= passed) <= 0;
      if (timed) {
        r.latencyDue += latencyPeriod; // never more than a period behind: passed <= the countdown
      }
      r.timedDelete = timed;
      r.deleteCountdown = 1;
    } else {
      r.deleteCountdown = (int) Math.max(1, Math.min(Integer.MAX_VALUE, next - 1 - done));
    }
  }

  /**
   * The sampling check at the end of a map's {@code n}th delete (counted from 1), every {@code
   * deleteSamplePeriod} deletes and at the early deletes whose callers {@link CallSites#walkDue}
   * walks: records its time if it was timed and its caller if a walk is due, and sets the next
   * check. A walk is decided here, after the delete, because an early one is taken from its site's
   * share ({@link CallSites#EARLY_WALKS}), which only deletes that happened may spend.
   */
  private static void check(MapRecorder r, long n, long startNanos, boolean hit) {
    if (r.timedDelete) {
      r.timedDelete = false;
      if (startNanos != 0L) {
        r.site.histogram(Site.DELETE_LATENCY).record(System.nanoTime() - startNanos);
      }
    }
    int countdown = deleteSamplePeriod;
    int period = callSitePeriod;
    if (period > 0) {
      CallSites callSites = r.site.callSites;
      long weight = n - r.lastWalkedDelete;
      boolean walk = callSites.walkDue(n, r.lastWalkedDelete, period);
      if (walk) {
        r.lastWalkedDelete = n;
      }
      long next = callSites.nextWalkCheck(n, r.lastWalkedDelete, period) - n;
      countdown = (int) Math.max(1, Math.min(countdown, next));
      if (walk) {
        recordCallSite(r, hit, weight);
      }
    }
    r.nextSampleCheck = n + countdown;
  }

  private static void recordCallSite(MapRecorder r, boolean hit, long weight) {
    try {
      // The caller and a few of its own callers: a delete inside a library (a cache's evict) is
      // found through the code that called the library.
      String stack =
          WALKER.walk(s -> CallSites.stackOf(s.filter(f -> !isOwnFrame(f.getClassName()))));
      r.site.callSites.record(stack, null, hit ? CallSites.DELETES : CallSites.MISSES, weight);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** An insert put a new key into a tombstone. */
  public static void tombstoneReused(Object observer) {
    if (observer instanceof MapRecorder r) {
      r.tombstonesReused++;
    }
  }

  /** A grow started: a doubling, or a same-size grow. */
  public static void growStart(Object observer, int oldB, boolean sameSize) {
    if (observer instanceof MapRecorder r) {
      if (sameSize) {
        r.growsOverflow++;
      } else {
        r.growsLoad++;
      }
      r.growStartNanos = System.nanoTime();
      r.growFromB = oldB;
      r.growSameSize = sameSize;
      r.growEvacuatedBuckets = 0;
      r.growEntriesMoved = 0;
      r.growTombstonesDropped = 0;
      r.growBegun = Sites.growBegun();
    }
  }

  /** Start of one evacuation step: a start time on a sample, else 0. */
  public static long evacuateStart(Object observer) {
    if (observer instanceof MapRecorder r && latencyPeriod > 0 && --r.evacuationCountdown <= 0) {
      r.evacuationCountdown = latencyPeriod;
      return System.nanoTime();
    }
    return 0L;
  }

  /** One old bucket (and its overflow chain) was evacuated. */
  public static void evacuate(
      Object observer, long startNanos, int entriesMoved, int tombstonesDropped) {
    if (observer instanceof MapRecorder r) {
      r.evacuatedBuckets++;
      r.entriesMoved += entriesMoved;
      r.reclaimedByEvacuation += tombstonesDropped;
      r.growEvacuatedBuckets++;
      r.growEntriesMoved += entriesMoved;
      r.growTombstonesDropped += tombstonesDropped;
      Site site = r.site;
      site.histogram(Site.EVACUATION_ENTRIES).record(entriesMoved);
      if (startNanos != 0L) {
        site.histogram(Site.EVACUATION_STEP).record(System.nanoTime() - startNanos);
      }
    }
  }

  /** The last old bucket was evacuated: the grow is over. */
  public static void growEnd(Object observer, int newB, boolean sameSize) {
    if (observer instanceof MapRecorder r) {
      r.growsFinished++;
      long duration = System.nanoTime() - r.growStartNanos;
      r.site.histogram(Site.GROW_DURATION).record(duration);
      Sites.queueGrow(
          new GrowEvent(
              System.currentTimeMillis(),
              r.site.id,
              sameSize ? GrowEvent.OVERFLOW : GrowEvent.LOAD,
              r.growFromB,
              newB,
              duration,
              r.growEvacuatedBuckets,
              r.growEntriesMoved,
              r.growTombstonesDropped,
              0),
          r.site,
          r.takeGrowBegun());
    }
  }

  /** {@code trim()} rebuilt the map, which answers a pending compaction request. */
  public static void trim(Object observer, int tombstonesDropped) {
    if (observer instanceof MapRecorder r) {
      r.trims++;
      r.reclaimedByTrim += tombstonesDropped;
      if (r.compactRequested) {
        r.compactions++; // before the volatile write that the release trigger waits for
        r.compactRequested = false;
      }
    }
  }

  /** {@code clear()} emptied the map. */
  public static void clear(Object observer, int tombstonesDropped) {
    if (observer instanceof MapRecorder r) {
      r.clears++;
      r.reclaimedByClear += tombstonesDropped;
    }
  }

  /**
   * The trim a compaction request caused failed (a key's {@code hashCode()} threw, or memory ran
   * out) and the map undid it. The request is dropped, so the map does not retry at every write,
   * and the failure counts as one the agent kept from the program.
   */
  public static void compactionFailed(Object observer, Throwable failure) {
    if (observer instanceof MapRecorder r) {
      r.compactRequested = false;
      Sites.suppressed(failure);
    }
  }

  /**
   * Start of an insert, update or clear: true when the release trigger asked this map to compact,
   * which the map then does at once, in its own thread ({@link #trim} takes the request back).
   */
  public static boolean write(Object observer) {
    return observer instanceof MapRecorder r && r.compactRequested;
  }
}
