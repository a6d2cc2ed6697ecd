package io.tombscope.analyzer.analysis;

import io.tombscope.analyzer.read.SiteRecord;
import java.util.List;
import java.util.Map;

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
 * @param waste what the site's waste cost over the whole run
 * @param deleteLatencyMeanNanos mean time of one delete from the sampled {@code deleteLatency} (0
 *     when none was sampled)
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
    long resizeHelpers,
    Waste waste,
    double deleteLatencyMeanNanos) {

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

  /**
   * Whether {@code peakSize} is the exact largest size the site's maps reached (the agent recorded
   * it: gauge key {@value SiteRecord#EXACT_PEAK_SIZE}); otherwise it is the largest a gauge or a
   * grow saw, a lower bound that findings label "at least".
   */
  public boolean peakSizeExact() {
    return record.hasGauge(SiteRecord.EXACT_PEAK_SIZE)
        && maps <= 1
        && peakSize == record.gauge(SiteRecord.EXACT_PEAK_SIZE);
  }

  /** Live tombstones as a fraction of slots, at the end of the recording. */
  public double tombstoneRatio() {
    return slots == 0 ? 0 : (double) tombstonesLive / slots;
  }

  public double missRatio() {
    return deletes == 0 ? 0 : (double) deleteMisses / deletes;
  }

  /** Which of a delete call site's counts to rank its stacks by. */
  public enum DeleteCount {
    DELETES,
    MISSES,
    SILENT
  }

  /**
   * The sampled delete call stack of this site with the most deletes of {@code count}'s kind, frame
   * first, or an empty list when none was sampled. Silent deletes fall back to all deletes in
   * recordings that do not count them per stack.
   */
  public List<String> deletingStack(DeleteCount count) {
    int column = count.ordinal();
    List<String> best = List.of();
    long most = 0;
    for (Map.Entry<List<String>, long[]> e : record.deleteSites.entrySet()) {
      long n = column < e.getValue().length ? e.getValue()[column] : 0;
      if (n > most && !e.getKey().isEmpty() && !e.getKey().get(0).startsWith("(")) {
        most = n;
        best = e.getKey();
      }
    }
    return best.isEmpty() && count == DeleteCount.SILENT
        ? deletingStack(DeleteCount.DELETES)
        : best;
  }

  /**
   * The line that deletes from this site's maps, as findings name it: of the busiest sampled delete
   * stack of {@code count}'s kind, the program's own frame the agent recorded for it ({@code
   * appFrame}), else its first frame outside the JDK (past helpers such as {@code
   * Collection.removeIf}); null when no delete was sampled.
   */
  public String deletingLine(DeleteCount count) {
    List<String> stack = deletingStack(count);
    String app = record.deleteSiteAppFrames.get(stack);
    if (app != null) {
      return app;
    }
    for (String frame : stack) {
      if (!SiteRecord.isJdkFrame(frame)) {
        return frame;
      }
    }
    return stack.isEmpty() ? null : stack.get(0);
  }
}
