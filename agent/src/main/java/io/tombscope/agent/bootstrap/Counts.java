package io.tombscope.agent.bootstrap;

/**
 * Exact event counts of one map, or summed over many. Fields are plain longs: a map is written by
 * one thread at a time (its own contract), so increments need no atomics. Readers on other threads
 * see each field's latest or an earlier value; the counts only grow, so a late read moves events
 * into the next interval and never loses them.
 */
public class Counts {
  public long deleteHits;
  public long deleteMisses;
  public long tombstonesCollapsed;
  public long tombstonesReused;
  public long reclaimedByEvacuation;
  public long reclaimedByTrim;
  public long reclaimedByClear;
  public long growsLoad;
  public long growsOverflow;
  public long growsFinished;
  public long evacuatedBuckets;
  public long entriesMoved;
  public long compactions;
  public long clears;
  public long trims;

  // JDK maps only (see docs/recording-format.md, "JDK maps").
  public long silentDeletes;
  public long resizeHelpers;
  public long staleExpunged;
  public long expunges;

  // Third-party maps only (see docs/recording-format.md, "Third-party maps").
  public long autoCompactions;
  public long shrinks;

  // JCTools maps only: the delete hits of the thread that constructed the map, in plain adds that
  // only it makes (other threads' are atomic adds to deleteHits); add() folds them into deleteHits.
  public long ownerDeleteHits;

  // Tracked ConcurrentHashMaps only: their delete hits and misses, per stripe of threads, which
  // add() folds into deleteHits and deleteMisses.
  ThreadLanes lanes;

  /** Adds every count of {@code other} to this one. */
  public final void add(Counts other) {
    deleteHits += other.deleteHits + other.ownerDeleteHits;
    deleteMisses += other.deleteMisses;
    tombstonesCollapsed += other.tombstonesCollapsed;
    tombstonesReused += other.tombstonesReused;
    reclaimedByEvacuation += other.reclaimedByEvacuation;
    reclaimedByTrim += other.reclaimedByTrim;
    reclaimedByClear += other.reclaimedByClear;
    growsLoad += other.growsLoad;
    growsOverflow += other.growsOverflow;
    growsFinished += other.growsFinished;
    evacuatedBuckets += other.evacuatedBuckets;
    entriesMoved += other.entriesMoved;
    compactions += other.compactions;
    clears += other.clears;
    trims += other.trims;
    silentDeletes += other.silentDeletes;
    resizeHelpers += other.resizeHelpers;
    staleExpunged += other.staleExpunged;
    expunges += other.expunges;
    autoCompactions += other.autoCompactions;
    shrinks += other.shrinks;
    if (other.lanes != null) {
      other.lanes.addTo(this);
    }
  }

  /** Sets every count to 0 (a scratch sum reused by the flusher). */
  public final void clear() {
    deleteHits = 0;
    deleteMisses = 0;
    tombstonesCollapsed = 0;
    tombstonesReused = 0;
    reclaimedByEvacuation = 0;
    reclaimedByTrim = 0;
    reclaimedByClear = 0;
    growsLoad = 0;
    growsOverflow = 0;
    growsFinished = 0;
    evacuatedBuckets = 0;
    entriesMoved = 0;
    compactions = 0;
    clears = 0;
    trims = 0;
    silentDeletes = 0;
    resizeHelpers = 0;
    staleExpunged = 0;
    expunges = 0;
    autoCompactions = 0;
    shrinks = 0;
    ownerDeleteHits = 0;
  }

  /** True if every count equals {@code other}'s. */
  public final boolean sameAs(Counts other) {
    return deleteHits == other.deleteHits
        && deleteMisses == other.deleteMisses
        && tombstonesCollapsed == other.tombstonesCollapsed
        && tombstonesReused == other.tombstonesReused
        && reclaimedByEvacuation == other.reclaimedByEvacuation
        && reclaimedByTrim == other.reclaimedByTrim
        && reclaimedByClear == other.reclaimedByClear
        && growsLoad == other.growsLoad
        && growsOverflow == other.growsOverflow
        && growsFinished == other.growsFinished
        && evacuatedBuckets == other.evacuatedBuckets
        && entriesMoved == other.entriesMoved
        && compactions == other.compactions
        && clears == other.clears
        && trims == other.trims
        && silentDeletes == other.silentDeletes
        && resizeHelpers == other.resizeHelpers
        && staleExpunged == other.staleExpunged
        && expunges == other.expunges
        && autoCompactions == other.autoCompactions
        && shrinks == other.shrinks
        && ownerDeleteHits == other.ownerDeleteHits;
  }
}
