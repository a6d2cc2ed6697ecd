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

  // Delete sampling: deleteCountdown counts down to the next sample; at each sample latencyDue and
  // callSiteDue, in deletes, say whether it is timed and whether its caller is recorded.
  int deleteCountdown;
  int latencyDue;
  int callSiteDue;
  boolean timedDelete;
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

  MapRecorder(
      Site site, long ownerThreadId, int samplePeriod, int latencyPeriod, int callSitePeriod) {
    this.site = site;
    this.ownerThreadId = ownerThreadId;
    this.deleteCountdown = samplePeriod;
    this.latencyDue = latencyPeriod;
    this.callSiteDue = callSitePeriod;
    this.evacuationCountdown = Math.max(1, latencyPeriod);
  }

  /** Takes what the grow listener gave at the start of the grow that now ends. */
  Object takeGrowBegun() {
    Object begun = growBegun;
    growBegun = null;
    return begun;
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
  long liveTombstones() {
    return deleteHits
        - tombstonesCollapsed
        - tombstonesReused
        - reclaimedByEvacuation
        - reclaimedByTrim
        - reclaimedByClear;
  }
}
