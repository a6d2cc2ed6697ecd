package io.tombscope.agent.bootstrap;

/**
 * What the agent knows about one map: its exact counts, its probe lengths and the state of a grow
 * in progress. Stored in the map's {@code observer} field and written only from inside the map's
 * own operations, so by one thread at a time.
 */
public final class MapRecorder extends Counts {
  /** The allocation site this map belongs to. */
  public final Site site;

  /** Id of the thread that constructed the map: its presumed owner. */
  public final long ownerThreadId;

  /** Probe lengths of deletes that found their key, created on the first one. */
  public ProbeLengths hitProbes;

  /** Probe lengths of deletes of absent keys, created on the first one. */
  public ProbeLengths missProbes;

  /**
   * The most tombstones this map has held at once since it was constructed (BucketHashMap only):
   * exact, even when a trim, clear or grow takes them back before the next interval's gauge.
   */
  public long tombstonesPeak;

  /** Set by the release trigger; the map's next write compacts it, and its trim clears the flag. */
  public volatile boolean compactRequested;

  // Delete sampling (BucketHashMap): deleteCountdown counts delete ends down to the next that needs
  // the slow path: a check (the delete numbered nextSampleCheck, counted from 1), or the one
  // before it, where latencyDue, in deletes, says whether the check's delete is timed
  // (timedDelete, read at its start). At the check, CallSites.walkDue says whether its caller is
  // recorded (the deletes since the map's last walk stand for it). Third-party and JDK maps count
  // down to their next walk check in callSiteDue and latencyDue, and JDK maps use timedDelete as
  // their own.
  int deleteCountdown;
  int latencyDue;
  int callSiteDue;
  boolean timedDelete;
  long nextSampleCheck;
  long lastSampledDelete;
  long lastWalkedDelete;
  int evacuationCountdown;
  long growStartNanos;
  int growFromB;
  boolean growSameSize;
  long growEvacuatedBuckets;
  long growEntriesMoved;
  long growTombstonesDropped;
  // What the grow listener gave at the start of the grow in progress, for its end.
  Object growBegun;

  // JDK maps: a ConcurrentHashMap resize in progress (1) or not (0), changed by compare-and-set
  // because any thread may start, help or finish one; the helpers that joined it; and whether
  // the owning thread of a ThreadLocal map is inside an explicit remove.
  volatile int resizing;
  volatile int growHelpers;
  boolean explicitRemove;

  // Third-party maps: whether the map's own thread passed a point where the library may compact
  // on its own (Trove: a remove, or re-enabling compaction) and no compaction started since, the
  // compaction running now (0 for none), and the rehash in progress, which a subclass may run
  // through its superclass's.
  boolean atAutoCompactionPoint;
  // Trove: how far the live tombstones are below tombstonesPeak, so that a remove lifts the peak
  // when it reaches it without summing the counts (reuses add to it; rehashes and clears set it).
  long tombstonesBelowPeak;
  int compactionCause;
  int rehashDepth;
  long rehashFromCapacity;
  // fastutil: an iterator's remove() in progress on this map (1), and the delete hits at its start:
  // the iterator hands wrapped-around entries to the map's own remove, which counts them. Eclipse
  // Collections' UnifiedSet: a bulk remove in progress (3), which counts its iterator's removes.
  int iteratorRemove;
  long iteratorHitsBefore;
  // Eclipse Collections' primitive sets: the sentinels a copy took from its source, which no
  // remove of its own wrote, while it still holds them.
  long sentinelsInherited;
  // Eclipse Collections' primitive maps and sets, whose inserts into sentinels the flusher derives
  // from the map's own count: odd while a rehash or a retainAll may swap the table (and its count)
  // under the flusher's reads, and up by two at a clear, written by the map's thread before the
  // map's count drops.
  volatile int sentinelResets;

  /**
   * Eclipse Collections' primitive maps: the inserts into sentinels the flusher last reported for
   * this map, counted by the map's thread or not yet (flusher only): the site keeps them when the
   * map dies.
   */
  public long reusedReported;

  // JCTools maps: the dead keys read after a delete, and the delete hits less the dead keys
  // revived since (the dead keys can only have risen by as much; plain adds, so an estimate while
  // several threads write), and the resize being timed: the table it copies from (set and taken by
  // compare-and-set, since any thread may start or promote one) and its new length.
  long deadKeysRead;
  long deadKeysSinceRead;
  volatile Object resizeFrom;
  long resizeToCapacity;

  // JDK maps, written by the threads that use the map: the largest size seen before an event that
  // lowered it (or at a resize), and the most drained bytes the map held after one.
  long sizePeak;
  long drainedBytesPeak;
  // The smallest size after a shrink since the peak or the table last changed: drained bytes grow
  // only when the size falls below it.
  long shrinkFloor = Long.MAX_VALUE;

  // JDK maps, written by the flusher only: the largest size a gauge saw, the most drained bytes a
  // gauge computed, drained bytes × milliseconds summed at each gauge, and the last gauge's time.
  public long gaugedSizePeak;
  public long gaugedDrainedBytesPeak;
  public long drainedByteMillis;
  public long lastGaugeEpochMs = System.currentTimeMillis();

  // JDK maps: the schedule of caller walks and timed removes (laid out as a ThreadLanes lane: per
  // kind of delete, the deletes so far and those at the kind's last walk, then the deletes left
  // before the next timed remove). Set when tracked; a ConcurrentHashMap's deletes use their
  // thread's lane instead (Counts.lanes).
  long[] walks;

  MapRecorder(
      Site site, long ownerThreadId, int samplePeriod, int latencyPeriod, int callSitePeriod) {
    this.site = site;
    this.ownerThreadId = ownerThreadId;
    this.deleteCountdown = samplePeriod;
    this.latencyDue = latencyPeriod;
    this.callSiteDue = callSitePeriod;
    this.evacuationCountdown = Math.max(1, latencyPeriod);
  }

  /** Heap bytes of a {@code ConcurrentHashMap}'s lanes of deleting threads, 0 for other maps. */
  public long laneBytes() {
    return lanes == null ? 0 : lanes.heapBytes();
  }

  /** Takes what the grow listener gave at the start of the grow that now ends. */
  Object takeGrowBegun() {
    Object begun = growBegun;
    growBegun = null;
    return begun;
  }

  /** The largest size this JDK map is known to have had. */
  public long sizePeak() {
    return Math.max(sizePeak, gaugedSizePeak);
  }

  /** The most drained bytes this JDK map is known to have held. */
  public long drainedBytesPeak() {
    return Math.max(drainedBytesPeak, gaugedDrainedBytesPeak);
  }

  /** Deletes that wrote a tombstone: every hit writes one, even if it collapses at once. */
  public long tombstonesCreated() {
    return deleteHits;
  }

  /**
   * The map's tombstones now (its {@code stats().tombstones()}): every one created, less those that
   * collapsed, were reused or were reclaimed. Exact because the agent counts a map from its
   * construction on.
   */
  public long liveTombstones() {
    return deleteHits
        - tombstonesCollapsed
        - tombstonesReused
        - reclaimedByEvacuation
        - reclaimedByTrim
        - reclaimedByClear;
  }
}
