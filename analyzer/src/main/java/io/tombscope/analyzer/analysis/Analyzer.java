package io.tombscope.analyzer.analysis;

import io.tombscope.analyzer.findings.FindingRules;
import io.tombscope.analyzer.read.LongSeries;
import io.tombscope.analyzer.read.Recording;
import io.tombscope.analyzer.read.SiteRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Turns a {@link Recording} into an {@link Analysis}. Pure: the same recording, the same result.
 */
public final class Analyzer {
  private Analyzer() {}

  public static Analysis analyze(Recording r) {
    List<SiteAnalysis> sites = new ArrayList<>();
    for (SiteRecord s : r.sites().values()) {
      sites.add(site(s));
    }
    Analysis.Totals totals = totals(sites);
    Analysis.Timeline timeline = timeline(r);
    long timelinePeak = 0;
    for (double t : timeline.tombstones()) {
      timelinePeak = Math.max(timelinePeak, (long) t);
    }
    long sitePeak = sites.stream().mapToLong(SiteAnalysis::tombstonesPeak).max().orElse(0);
    totals =
        new Analysis.Totals(
            totals.deletes(),
            totals.deleteHits(),
            totals.deleteMisses(),
            totals.tombstonesLive(),
            Math.max(timelinePeak, sitePeak),
            totals.tombstonesReclaimed(),
            totals.grows(),
            totals.sameSizeGrows(),
            totals.evacuatedBuckets(),
            totals.mapsTracked(),
            totals.growNanos(),
            totals.estimatedBytes(),
            totals.reclaimableBytes());
    Map<String, Analysis.Latency> latency = new LinkedHashMap<>();
    for (Map.Entry<String, Histogram> e : r.seriesTotals().entrySet()) {
      latency.put(e.getKey(), latency(e.getKey(), e.getValue()));
    }
    Analysis partial =
        new Analysis(r, totals, sites, timeline, latency, deleteSites(r), r.releases(), List.of());
    return new Analysis(
        r,
        totals,
        sites,
        timeline,
        latency,
        partial.deleteSites(),
        r.releases(),
        FindingRules.apply(partial));
  }

  private static SiteAnalysis site(SiteRecord s) {
    long hits = s.counter("deleteHits");
    long misses = s.counter("deleteMisses");
    long size = s.gauge("size");
    long estimated = s.gauge("estimatedBytes");
    long liveMaps = s.gauge("maps");
    // Fresh maps of the same total size: per map when there are several, approximated by their
    // mean size, since the recording keeps sums.
    long fresh =
        liveMaps == 0
            ? 0
            : liveMaps * MapFootprint.freshBytes(Math.round((double) size / liveMaps));
    DeletePattern pattern =
        DeletePattern.classify(
            hits,
            misses,
            s.counter("clears"),
            Math.max(1, s.counter("mapsCreated")),
            s.peakSize,
            s.lastLiveSize);
    return new SiteAnalysis(
        s,
        s.counter("mapsCreated"),
        liveMaps,
        hits + misses,
        hits,
        misses,
        s.gauge("tombstones"),
        Math.max(s.peakTombstones, s.gauge("tombstones")),
        s.counter("tombstonesReused"),
        s.counter("tombstonesReclaimedByEvacuation")
            + s.counter("tombstonesReclaimedByTrim")
            + s.counter("tombstonesReclaimedByClear"),
        s.counter("growsLoad") + s.counter("growsOverflow"),
        s.counter("growsOverflow"),
        s.counter("evacuatedBuckets"),
        s.counter("entriesMoved"),
        s.counter("clears"),
        size,
        s.peakSize,
        s.gauge("slots"),
        s.gauge("overflowBuckets"),
        estimated,
        Math.max(0, estimated - fresh),
        mean(s.histograms.get("deleteProbe.hit")),
        mean(s.histograms.get("deleteProbe.miss")),
        s.growNanos,
        pattern);
  }

  private static double mean(Histogram h) {
    return h == null || h.getTotalCount() == 0 ? 0 : h.getMean();
  }

  private static Analysis.Totals totals(List<SiteAnalysis> sites) {
    long[] t = new long[13];
    for (SiteAnalysis s : sites) {
      t[0] += s.deletes();
      t[1] += s.deleteHits();
      t[2] += s.deleteMisses();
      t[3] += s.tombstonesLive();
      t[4] += s.tombstonesPeak();
      t[5] += s.tombstonesReclaimed();
      t[6] += s.grows();
      t[7] += s.sameSizeGrows();
      t[8] += s.evacuatedBuckets();
      t[9] += s.maps();
      t[10] += s.growNanos();
      t[11] += s.estimatedBytes();
      t[12] += s.reclaimableBytes();
    }
    return new Analysis.Totals(
        t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12]);
  }

  private static Analysis.Timeline timeline(Recording r) {
    int n = r.intervalTimes().length;
    double[] seconds = new double[n];
    double[] tombstones = new double[n];
    double[] size = new double[n];
    double[] slots = new double[n];
    double[] deletes = new double[n];
    for (int i = 0; i < n; i++) {
      seconds[i] = r.intervalTimes()[i] / 1000.0;
    }
    for (SiteRecord s : r.sites().values()) {
      if (s.firstInterval < 0) {
        continue;
      }
      addSeries(s.tombstones, s.firstInterval, tombstones);
      addSeries(s.size, s.firstInterval, size);
      addSeries(s.slots, s.firstInterval, slots);
      addSeries(s.deletes, s.firstInterval, deletes);
    }
    double[] rate = new double[n];
    for (int i = 0; i < n; i++) {
      double dt = i == 0 ? seconds[0] : seconds[i] - seconds[i - 1];
      double dd = i == 0 ? deletes[0] : deletes[i] - deletes[i - 1];
      rate[i] = dt <= 0 ? 0 : dd / dt;
    }
    return new Analysis.Timeline(seconds, tombstones, size, slots, rate);
  }

  private static void addSeries(LongSeries series, int offset, double[] into) {
    for (int i = 0; i < series.size() && offset + i < into.length; i++) {
      into[offset + i] += series.get(i);
    }
  }

  static Analysis.Latency latency(String series, Histogram h) {
    List<Double> ps = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    if (h.getTotalCount() > 0) {
      for (HistogramIterationValue v : h.percentiles(5)) {
        ps.add(v.getPercentileLevelIteratedTo());
        vs.add((double) v.getValueIteratedTo());
        if (v.getPercentileLevelIteratedTo() >= 100.0) {
          break;
        }
      }
    }
    return new Analysis.Latency(
        series,
        h.getTotalCount(),
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(90),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        ps.stream().mapToDouble(Double::doubleValue).toArray(),
        vs.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static List<Analysis.DeleteSite> deleteSites(Recording r) {
    Map<String, long[]> byFrame = new HashMap<>();
    for (SiteRecord s : r.sites().values()) {
      s.deleteSites.forEach(
          (frame, counts) -> {
            long[] sum = byFrame.computeIfAbsent(frame, f -> new long[2]);
            sum[0] += counts[0];
            sum[1] += counts[1];
          });
    }
    List<Analysis.DeleteSite> list = new ArrayList<>();
    byFrame.forEach((f, c) -> list.add(new Analysis.DeleteSite(f, c[0], c[1])));
    list.sort(
        Comparator.comparingLong(Analysis.DeleteSite::deletes)
            .reversed()
            .thenComparing(Analysis.DeleteSite::frame));
    return list;
  }
}
