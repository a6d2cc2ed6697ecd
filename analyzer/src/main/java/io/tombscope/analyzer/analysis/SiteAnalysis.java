package io.tombscope.analyzer.analysis;

import io.tombscope.analyzer.read.SiteRecord;

/**
 * One allocation site, analysed: its totals, live state at the end, pattern and what trimming its
 * maps would give back.
 *
 * @param reclaimableBytes estimated bytes now minus what fresh maps of the same sizes would hold
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
    DeletePattern pattern) {

  public int id() {
    return record.id;
  }

  public String label() {
    return record.label();
  }

  /** Live tombstones as a fraction of slots, at the end of the recording. */
  public double tombstoneRatio() {
    return slots == 0 ? 0 : (double) tombstonesLive / slots;
  }

  public double missRatio() {
    return deletes == 0 ? 0 : (double) deleteMisses / deletes;
  }
}
