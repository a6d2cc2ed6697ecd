package io.tombscope.agent.release;

import io.tombscope.agent.bootstrap.EclipseProbes;
import io.tombscope.agent.bootstrap.FastutilProbes;
import io.tombscope.agent.bootstrap.JctoolsProbes;
import io.tombscope.agent.bootstrap.MapRecorder;
import io.tombscope.agent.bootstrap.Probes;
import io.tombscope.agent.bootstrap.Site;
import io.tombscope.agent.bootstrap.Sites;
import io.tombscope.agent.bootstrap.TroveProbes;
import io.tombscope.agent.recording.MapStats;
import io.tombscope.agent.recording.RecordingWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs a memory release: measure, compact, collect, measure, record. Go's {@code
 * debug.FreeOSMemory}, with the before/after comparison that makes it worth calling.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>{@code BucketHashMap} is not thread-safe. A map is compacted either by its own next write
 *       (the advice on {@code observeWrite} or {@code observeDelete} sees the request and the map
 *       calls {@code trim()} in the writing thread, under whatever lock the program holds there),
 *       or right here when the thread asking for the release is the one that constructed it. The
 *       second guesses ownership from construction, so it is safe only if no other thread uses such
 *       a map during the release: the rule stated on {@code Tombscope.release()} and in {@code
 *       docs/release.md}. A map whose concurrent-write flag is set (a write in progress) makes
 *       {@code trim()} refuse, and it is left for its next write. The agent's own triggers (JMX,
 *       attach, period, exit) run on threads that construct no program maps, so they only ask.
 *   <li>Maps that nobody writes within the release window stay pending: they are reported with the
 *       bytes they could still give back, and compact whenever they are next written.
 *   <li>Compaction never changes a map's contents: {@code trim()} moves every entry.
 *   <li>One release runs at a time; others wait for it.
 * </ol>
 */
public final class ReleaseTrigger {
  /** How long maps have to compact themselves through their own writes. */
  static final long WINDOW_MILLIS = 2_000;

  private static final int MAX_COLLECTIONS = 8;
  private static final long COLLECTION_BUDGET_MILLIS = 5_000;

  private final RecordingWriter recording;
  private final Consumer<String> warn;
  private volatile ReleaseResult last;
  private long count;

  public ReleaseTrigger(RecordingWriter recording, Consumer<String> warn) {
    this.recording = recording;
    this.warn = warn;
  }

  /** The last release, or null if none ran yet. */
  public ReleaseResult last() {
    return last;
  }

  public synchronized long count() {
    return count;
  }

  /** Runs one release and records it; {@code trigger} names what asked for it. */
  public synchronized ReleaseResult release(String trigger) {
    long start = System.nanoTime();
    long committed = ProcessMemory.heapCommitted();
    int collections = ProcessMemory.collectUntilStable(MAX_COLLECTIONS, COLLECTION_BUDGET_MILLIS);
    MemorySnapshot before = snapshot(committed);

    long self = Thread.currentThread().getId();
    List<Target> requested = new ArrayList<>();
    for (Target t : reclaimableMaps()) {
      // The map's trim counts the compaction and clears the request, whichever thread runs it; a
      // trim that fails clears it too, without counting.
      t.recorder.compactRequested = true;
      if (t.recorder.ownerThreadId == self) {
        trimHere(t);
      }
      requested.add(t);
    }
    List<Target> asked = List.copyOf(requested);
    TroveProbes.compactionsRequested = any(requested, TroveProbes.FAMILY);
    FastutilProbes.compactionsRequested = any(requested, FastutilProbes.FAMILY);
    EclipseProbes.compactionsRequested = any(requested, EclipseProbes.FAMILY);
    long deadline = System.nanoTime() + WINDOW_MILLIS * 1_000_000;
    while (!requested.isEmpty() && System.nanoTime() < deadline) {
      requested.removeIf(t -> !t.recorder.compactRequested);
      if (!requested.isEmpty() && !ProcessMemory.sleep(20)) {
        break;
      }
    }
    requested.removeIf(t -> !t.recorder.compactRequested);
    // Third-party maps still pending compact at their next write, whenever that comes.
    TroveProbes.compactionsRequested = any(requested, TroveProbes.FAMILY);
    FastutilProbes.compactionsRequested = any(requested, FastutilProbes.FAMILY);
    EclipseProbes.compactionsRequested = any(requested, EclipseProbes.FAMILY);
    int compacted = 0;
    for (Target t : asked) {
      if (t.recorder.compactions > t.compactionsBefore) {
        compacted++;
      }
    }
    List<Target> pending = stillReclaimable(requested);
    // JCTools maps are never compacted (see docs/release.md): what their dead keys hold is pending.
    pending.addAll(reportedOnly());
    long pendingBytes = 0;
    for (Target t : pending) {
      pendingBytes += t.reclaimableBytes;
    }

    collections += ProcessMemory.collectUntilStable(MAX_COLLECTIONS, COLLECTION_BUDGET_MILLIS);
    MemorySnapshot after = snapshot(before.heapCommittedBytes());
    ReleaseResult result =
        new ReleaseResult(
            trigger,
            before,
            after,
            compacted,
            pending.size(),
            pendingBytes,
            collections,
            (System.nanoTime() - start) / 1_000_000);
    recording.appendEvent(result.toEvent(recording.sinceStart()));
    ReleaseJfrEvent.emit(result);
    last = result;
    count++;
    return result;
  }

  private static boolean any(List<Target> targets, String family) {
    for (Target t : targets) {
      if (family.equals(t.family)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Memory now, right after a collection; the resident set is read once the collector has given
   * back what it uncommitted since {@code committedBefore} (heap committed then).
   */
  private static MemorySnapshot snapshot(long committedBefore) {
    long mapBytes = 0;
    long tombstones = 0;
    for (Site site : Sites.all()) {
      if (!compactable(site.family) && !JctoolsProbes.FAMILY.equals(site.family)) {
        continue; // JDK maps are measured by the gauges
      }
      for (Site.MapRef ref = site.firstLive(); ref != null; ref = ref.nextLive()) {
        Object map = ref.get();
        MapStats s = new MapStats();
        if (map != null && s.add(map, site.family, ref.recorder)) {
          mapBytes += s.estimatedBytes;
          tombstones += s.tombstones;
        }
      }
    }
    long heapUsed = ProcessMemory.heapUsed();
    long heapCommitted = ProcessMemory.heapCommitted();
    return new MemorySnapshot(
        heapUsed, heapCommitted, ProcessMemory.settledRss(committedBefore), mapBytes, tombstones);
  }

  /** A live map worth compacting: tombstones, or storage beyond what a fresh map would need. */
  private record Target(
      Object map,
      String family,
      MapRecorder recorder,
      long reclaimableBytes,
      long compactionsBefore) {}

  /**
   * Maps the agent can compact in their own thread: {@code BucketHashMap} ({@code trim()}), Trove's
   * ({@code compact()}), fastutil's ({@code trim()}) and Eclipse Collections' ({@code
   * trimToSize()}). The JDK's maps are measured by the gauges.
   */
  private static boolean compactable(String family) {
    return family == null
        || TroveProbes.FAMILY.equals(family)
        || FastutilProbes.FAMILY.equals(family)
        || EclipseProbes.FAMILY.equals(family);
  }

  /**
   * JCTools maps holding dead keys or more table than a new map of their entries would: reported
   * pending, never compacted. The library has no operation that drops dead keys while other threads
   * may use the map, short of its private resize, which may double the table.
   */
  private static List<Target> reportedOnly() {
    return targets(JctoolsProbes.FAMILY::equals);
  }

  private static List<Target> reclaimableMaps() {
    return targets(ReleaseTrigger::compactable);
  }

  private static List<Target> targets(Predicate<String> families) {
    List<Target> targets = new ArrayList<>();
    for (Site site : Sites.all()) {
      if (!families.test(site.family)) {
        continue;
      }
      for (Site.MapRef ref = site.firstLive(); ref != null; ref = ref.nextLive()) {
        Target t = target(ref.get(), site.family, ref.recorder);
        if (t != null) {
          targets.add(t);
        }
      }
    }
    return targets;
  }

  /** The maps still waiting to compact, re-measured now. */
  private static List<Target> stillReclaimable(List<Target> waiting) {
    List<Target> still = new ArrayList<>();
    for (Target t : waiting) {
      Target now = target(t.map, t.family, t.recorder);
      still.add(now != null ? now : t);
    }
    return still;
  }

  private static Target target(Object map, String family, MapRecorder recorder) {
    if (map == null) {
      return null;
    }
    MapStats s = new MapStats();
    if (!s.add(map, family, recorder)) {
      return null;
    }
    long excess = s.estimatedBytes - s.trimmedBytes;
    if (s.tombstones > 0 || excess > s.trimmedBytes / 10) {
      return new Target(map, family, recorder, Math.max(0, excess), recorder.compactions);
    }
    return null;
  }

  /**
   * Compacts a map owned by the calling thread. A map in the middle of one of its own writes (the
   * release was asked for from inside its callbacks) keeps the request for its next write; a trim
   * that fails (a key's hashCode threw) has left the map as it was, and the request is dropped.
   */
  private static void trimHere(Target t) {
    if (EclipseProbes.FAMILY.equals(t.family)) {
      EclipseProbes.compact(t.map, t.recorder);
      return;
    }
    if (TroveProbes.FAMILY.equals(t.family)) {
      TroveProbes.compact(t.map, t.recorder);
      return;
    } else if (FastutilProbes.FAMILY.equals(t.family)) {
      FastutilProbes.trim(t.map, t.recorder);
      return;
    }
    try {
      t.map.getClass().getMethod("trim").invoke(t.map);
    } catch (InvocationTargetException e) {
      if (!(e.getCause() instanceof ConcurrentModificationException)) {
        Probes.compactionFailed(t.recorder, e.getCause());
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      Probes.compactionFailed(t.recorder, e);
    }
  }
}
