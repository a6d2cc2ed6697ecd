package io.tombscope.analyzer.analysis;

import io.tombscope.analyzer.findings.Finding;
import io.tombscope.analyzer.read.Recording;
import io.tombscope.analyzer.read.Release;
import io.tombscope.analyzer.read.SiteRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a recording says, ready to print: totals, per-site analyses, the overall timelines, latency
 * percentiles, delete call sites, releases and findings.
 */
public record Analysis(
    Recording recording,
    Totals totals,
    List<SiteAnalysis> sites,
    Timeline timeline,
    Map<String, Latency> latency,
    List<DeleteSite> deleteSites,
    List<Release> releases,
    List<Finding> findings) {

  /**
   * One site's tombstones per interval, aligned with {@link Timeline#seconds()}: live tombstones
   * for a {@code BucketHashMap} site, stale entries for a weak or thread-local one.
   */
  public double[] siteTombstones(SiteAnalysis s) {
    SiteRecord r = s.record();
    return Analyzer.aligned(r.tombstones, r.firstInterval, timeline.seconds().length);
  }

  /**
   * One site's deletes per second, aligned with {@link Timeline#seconds()}: at a point that holds
   * several intervals, the rate of the one that had the most.
   */
  public double[] siteDeletesPerSecond(SiteAnalysis s) {
    SiteRecord r = s.record();
    return Analyzer.aligned(r.deleteRate, r.firstInterval, timeline.seconds().length);
  }

  /** Heap used that all releases gave back, in bytes. */
  public long releasedHeapBytes() {
    return releases.stream().mapToLong(r -> r.released().heapUsedBytes()).sum();
  }

  /**
   * Resident set that all releases gave back, in bytes, over the releases whose RSS the agent could
   * read (it records -1 where there is no {@code /proc}); -1 if there is none.
   */
  public long releasedRssBytes() {
    List<Release> known = releases.stream().filter(Release::rssKnown).toList();
    return known.isEmpty() ? -1 : known.stream().mapToLong(r -> r.released().rssBytes()).sum();
  }

  /**
   * Totals over every site. {@code tombstones*} count {@code BucketHashMap} tombstones only; {@code
   * deadSlots} and {@code staleEntries} are the JDK maps' kinds of waste.
   */
  public record Totals(
      long deletes,
      long deleteHits,
      long deleteMisses,
      long tombstonesLive,
      long tombstonesPeak,
      long tombstonesReclaimed,
      long grows,
      long sameSizeGrows,
      long evacuatedBuckets,
      long mapsTracked,
      long growNanos,
      long estimatedBytes,
      long reclaimableBytes,
      long silentDeletes,
      long deadSlots,
      long staleEntries) {

    public double missRatio() {
      return deletes == 0 ? 0 : (double) deleteMisses / deletes;
    }
  }

  /**
   * All sites summed per interval, or per report point where a point holds several intervals (see
   * {@link Recording#intervalTimes()}): the highest value of its intervals. {@code
   * deletesPerSecond[i]} is the rate of the interval that had the most deletes among those that end
   * by {@code seconds[i]} and after {@code seconds[i - 1]}. {@code tombstones} sums {@code
   * BucketHashMap} sites, {@code deadSlots} JDK sites and {@code staleEntries} weak and threadlocal
   * sites.
   */
  public record Timeline(
      double[] seconds,
      double[] tombstones,
      double[] size,
      double[] slots,
      double[] deletesPerSecond,
      double[] deadSlots,
      double[] staleEntries) {}

  /** Percentiles of one histogram series over the whole recording (in the series' unit). */
  public record Latency(
      String series,
      long count,
      long p50,
      long p90,
      long p99,
      long p999,
      long max,
      double[] curvePercentiles,
      double[] curveValues) {}

  /**
   * A code location that deletes, over all sites (sampled estimates): the frame that called delete
   * and the callers recorded with it (none in recordings from before callers were recorded), and
   * the ids of the allocation sites whose maps it deleted from.
   */
  public record DeleteSite(
      String frame, List<String> callers, List<Integer> sites, long deletes, long deleteMisses) {
    /** The frame that called delete, then its callers. */
    public List<String> stack() {
      List<String> all = new ArrayList<>();
      all.add(frame);
      all.addAll(callers);
      return all;
    }
  }
}
