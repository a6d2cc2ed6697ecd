package io.tombscope.analyzer.analysis;

import io.tombscope.analyzer.read.SiteRecord;

/**
 * One allocation site, analysed: its totals, live state at the end, pattern and what trimming its
 * maps would give back. For JDK map sites, {@code tombstonesLive} and {@code tombstonesPeak} are 0
 * (their gauge's tombstones are {@code staleEntries}) and the counts are those of the tracked maps,
 * one in {@code trackedOneIn}.
 *
 * @param reclaimableBytes for {@code BucketHashMap} sites, estimated bytes now minus what fresh
 *     maps of the same sizes would hold; for JDK sites, {@code deadSlotBytes} of the families that
 *     keep their peak capacity and {@code staleBytes} of those with stale entries
 * @param missProbeMean mean slots examined by a delete of an absent key (0 if none)
 * @param hitProbeMean mean slots examined by a delete that found its key (0 if none)
 */
public record SiteAnalysis(
    SiteRecord record,
    long maps,
    long liveMaps,
    long deletes,
    long deleteHits,
    long deleteMisses,
    long tombstonesLive,
    long tombstonesPeak,
    long tombstonesReused,
    long tombstonesReclaimed,
    long grows,
    long sameSizeGrows,
    long evacuatedBuckets,
    long entriesMoved,
    long clears,
    long size,
    long peakSize,
    long slots,
    long overflowBuckets,
    long estimatedBytes,
    long reclaimableBytes,
    double hitProbeMean,
    double missProbeMean,
    long growNanos,
    DeletePattern pattern,
    MapFamily family,
    int trackedOneIn,
    long silentDeletes,
    long deadSlots,
    long peakDeadSlots,
    long deadSlotBytes,
    long staleEntries,
    long staleEntriesPeak,
    long staleBytes,
    long staleExpunged,
    long expunges,
    long resizes,
    long resizeHelpers) {

  public int id() {
    return record.id;
  }

  public String label() {
    return record.label();
  }

  /**
   * The label for a table of sites: the first frame, and for a map built inside the JDK the
   * program's own frame that reaches it ({@code java.util.jar.Attributes.<init>(..) ←
   * com.acme.Plugins.load(..)}), so that a table cut short on the left still shows the program.
   */
  public String tableLabel() {
    String program = record.programFrame();
    return program == null ? label() : label() + " ← " + program;
  }

  /** How many maps in one are tracked, as findings say it: "" when every map is. */
  public String trackedNote() {
    return trackedOneIn <= 1 ? "" : " (1 in " + trackedOneIn + " maps tracked)";
  }

  /** Live tombstones as a fraction of slots, at the end of the recording. */
  public double tombstoneRatio() {
    return slots == 0 ? 0 : (double) tombstonesLive / slots;
  }

  public double missRatio() {
    return deletes == 0 ? 0 : (double) deleteMisses / deletes;
  }
}
