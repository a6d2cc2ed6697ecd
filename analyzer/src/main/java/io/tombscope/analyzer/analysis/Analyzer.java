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
import java.util.Set;
import java.util.TreeSet;
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
      sites.add(site(s, r.intervalTimes()));
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
            totals.reclaimableBytes(),
            totals.silentDeletes(),
            totals.deadSlots(),
            totals.staleEntries());
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

  private static SiteAnalysis site(SiteRecord s, long[] intervalTimes) {
    MapFamily family = MapFamily.of(s.family);
    boolean tombstoned = family.hasTombstones();
    long hits = s.counter("deleteHits");
    long misses = s.counter("deleteMisses");
    long size = s.gauge("size");
    long estimated = s.gauge("estimatedBytes");
    long liveMaps = s.gauge("maps");
    long slots = s.gauge("slots");
    // The gauge's tombstones are tombstones only in BucketHashMap and the third-party maps that
    // mark deleted slots; in weak and threadlocal maps they are stale entries, and other JDK
    // families have none.
    long tombstones = tombstoned ? s.gauge("tombstones") : 0;
    long tombstonesPeak = tombstoned ? Math.max(s.peakTombstones, tombstones) : 0;
    long stale = family.hasStaleEntries() ? s.gauge("tombstones") : 0;
    long stalePeak = family.hasStaleEntries() ? Math.max(s.peakTombstones, stale) : 0;
    long deadSlots = s.isJdk() ? s.gauge("deadSlots") : 0;
    long deadSlotBytes = Figures.times(deadSlots, REFERENCE_BYTES * family.referencesPerSlot());
    long staleBytes = Figures.times(stale, entryBytes(family, estimated, slots, size, liveMaps));
    long reclaimable;
    if (family.reportsTrimmedBytes()) {
      // The agent sums, map by map, what each would hold right after trim(). A recording without
      // that gauge says nothing about it, and nothing is claimed.
      reclaimable =
          s.hasGauge("trimmedBytes") ? Math.max(0, estimated - s.gauge("trimmedBytes")) : 0;
    } else if (family.keepsPeakCapacity()) {
      reclaimable = deadSlotBytes;
    } else {
      reclaimable = family.hasStaleEntries() ? staleBytes : 0;
    }
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
        tombstones,
        tombstonesPeak,
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
        slots,
        s.gauge("overflowBuckets"),
        estimated,
        reclaimable,
        mean(s.histograms.get("deleteProbe.hit")),
        mean(s.histograms.get("deleteProbe.miss")),
        s.growNanos,
        pattern,
        family,
        s.trackedOneIn,
        s.counter("silentDeletes"),
        deadSlots,
        s.isJdk() ? Math.max(s.peakDeadSlots, deadSlots) : 0,
        deadSlotBytes,
        stale,
        stalePeak,
        staleBytes,
        s.counter("staleExpunged"),
        s.counter("expunges"),
        s.isJdk() ? s.counter("growsLoad") : 0,
        s.counter("resizeHelpers"),
        waste(s, family, intervalTimes),
        mean(s.histograms.get("deleteLatency")));
  }

  /**
   * The site's waste at every gauge, integrated over the run: dead slots beyond each live map's
   * default table (so maps that never grew past it hold none), stale entries, or tombstones, each
   * in bytes as at its own gauge. Where the agent followed the waste deletes caused map by map
   * ({@code drainedSlots} ...), that is the waste of the families that keep their peak capacity.
   */
  static Waste waste(SiteRecord s, MapFamily family, long[] intervalTimes) {
    if (s.firstInterval < 0 || s.size.size() == 0) {
      return Waste.NONE;
    }
    // WeakHashMap never shrinks its table either: where the agent follows what its deletes left,
    // that is its waste too; without those figures only its stale entries are seen.
    boolean exact =
        (family.keepsPeakCapacity() || family == MapFamily.WEAK) && s.hasGauge("drainedBytesPeak");
    long peakBytes = 0;
    long peakUnits = 0;
    long rawPeakBytes = 0;
    int peakAt = -1;
    double byteSeconds = 0;
    double rawByteSeconds = 0;
    double heldSeconds = 0;
    long slotBytes = REFERENCE_BYTES * family.referencesPerSlot();
    for (int j = 0; j < s.size.size() && s.firstInterval + j < intervalTimes.length; j++) {
      int i = s.firstInterval + j;
      double dt = (intervalTimes[i] - (i == 0 ? 0 : intervalTimes[i - 1])) / 1000.0;
      long maps = s.maps.get(j);
      long slots = s.slots.get(j);
      long units;
      long bytes;
      if (exact) {
        // Drained slots have a delete as their cause; those within a map's default table are
        // still not worth a copy.
        long drained = s.drainedSlots.get(j);
        units = Math.max(0, drained - family.defaultSlots() * s.drainedMaps.get(j));
        long raw = s.drainedBytes.get(j);
        bytes = Figures.scaled(raw, units, drained);
        rawPeakBytes = Math.max(rawPeakBytes, raw);
        rawByteSeconds += raw * dt;
        if (drained > 0) {
          slotBytes = raw / drained;
        }
      } else if (family.keepsPeakCapacity()) {
        units = Math.max(0, s.deadSlots.get(j) - family.defaultSlots() * maps);
        bytes = Figures.times(units, slotBytes);
      } else if (family.hasStaleEntries()) {
        units = s.tombstones.get(j);
        bytes =
            Figures.times(
                units, entryBytes(family, s.estimatedBytes.get(j), slots, s.size.get(j), maps));
      } else if (family.hasTombstones()) {
        units = s.tombstones.get(j);
        bytes = Figures.scaled(units, s.estimatedBytes.get(j), slots);
      } else {
        units = 0;
        bytes = 0;
      }
      if (bytes > peakBytes) {
        peakBytes = bytes;
        peakUnits = units;
        peakAt = j;
      }
      if (bytes > 0) {
        byteSeconds += bytes * dt;
        heldSeconds += dt;
      }
    }
    boolean died = s.maps.size() > 0 && s.maps.last() == 0 && s.counter("mapsCreated") > 0;
    if (exact) {
      // The agent's peak also sees one map between two gauges (one that drained and died there):
      // above every gauge's sum, it is that one map's, less its default table.
      long between = s.gauge("drainedBytesPeak") - family.defaultSlots() * Math.max(1, slotBytes);
      if (s.gauge("drainedBytesPeak") > rawPeakBytes && between > peakBytes) {
        peakBytes = between;
        peakUnits = between / Math.max(1, slotBytes);
        peakAt = -1;
      }
      // The agent's byte-seconds count every moment, not only gauges: scaled by the share of
      // the gauges' waste that lies beyond default tables.
      double exactByteSeconds = s.gauge("drainedByteSeconds");
      byteSeconds =
          rawByteSeconds > 0
              ? exactByteSeconds * byteSeconds / rawByteSeconds
              : peakAt < 0 ? exactByteSeconds : byteSeconds;
    }
    if (peakBytes == 0) {
      return new Waste(0, 0, 0, 0, 0, 0, 0, 0, died, exact);
    }
    if (peakAt < 0) {
      return new Waste(
          peakBytes,
          Figures.overTime(byteSeconds),
          0,
          heldSeconds,
          peakUnits,
          0,
          0,
          1,
          died,
          exact);
    }
    return new Waste(
        peakBytes,
        Figures.overTime(byteSeconds),
        intervalTimes[s.firstInterval + peakAt] / 1000.0,
        heldSeconds,
        peakUnits,
        s.slots.get(peakAt),
        s.size.get(peakAt),
        s.maps.get(peakAt),
        died,
        exact);
  }

  /** Bytes of one reference with compressed references, the JVM's default below 32 GiB of heap. */
  static final long REFERENCE_BYTES = 4;

  /**
   * Bytes one entry of a JDK map holds beyond its table slot: its share of {@code estimatedBytes}
   * once the table array is taken out (the agent counts table plus one node per entry), or the
   * entry object's own size when there is nothing to share ({@code WeakHashMap.Entry}: 40 bytes,
   * {@code ThreadLocalMap.Entry}: 32, with compressed references).
   */
  static long entryBytes(MapFamily family, long estimatedBytes, long slots, long size, long maps) {
    long table = 16 * Math.max(1, maps) + REFERENCE_BYTES * family.referencesPerSlot() * slots;
    if (size > 0 && estimatedBytes > table) {
      return (estimatedBytes - table) / size;
    }
    return family == MapFamily.THREADLOCAL ? 32 : 40;
  }

  private static double mean(Histogram h) {
    return h == null || h.getTotalCount() == 0 ? 0 : h.getMean();
  }

  private static Analysis.Totals totals(List<SiteAnalysis> sites) {
    long[] t = new long[16];
    for (SiteAnalysis s : sites) {
      t[0] = Figures.sum(t[0], s.deletes());
      t[1] = Figures.sum(t[1], s.deleteHits());
      t[2] = Figures.sum(t[2], s.deleteMisses());
      t[3] = Figures.sum(t[3], s.tombstonesLive());
      t[4] = Figures.sum(t[4], s.tombstonesPeak());
      t[5] = Figures.sum(t[5], s.tombstonesReclaimed());
      t[6] = Figures.sum(t[6], s.grows());
      t[7] = Figures.sum(t[7], s.sameSizeGrows());
      t[8] = Figures.sum(t[8], s.evacuatedBuckets());
      t[9] = Figures.sum(t[9], s.maps());
      t[10] = Figures.sum(t[10], s.growNanos());
      t[11] = Figures.sum(t[11], s.estimatedBytes());
      t[12] = Figures.sum(t[12], s.reclaimableBytes());
      t[13] = Figures.sum(t[13], s.silentDeletes());
      t[14] = Figures.sum(t[14], s.deadSlots());
      t[15] = Figures.sum(t[15], s.staleEntries());
    }
    return new Analysis.Totals(
        t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13],
        t[14], t[15]);
  }

  private static Analysis.Timeline timeline(Recording r) {
    int n = r.intervalTimes().length;
    double[] seconds = new double[n];
    double[] tombstones = new double[n];
    double[] size = new double[n];
    double[] slots = new double[n];
    double[] deadSlots = new double[n];
    double[] stale = new double[n];
    for (int i = 0; i < n; i++) {
      seconds[i] = r.intervalTimes()[i] / 1000.0;
    }
    for (SiteRecord s : r.sites().values()) {
      if (s.firstInterval < 0) {
        continue;
      }
      MapFamily family = MapFamily.of(s.family);
      if (family == MapFamily.BUCKET) {
        addSeries(s.tombstones, s.firstInterval, tombstones);
      } else if (family.hasStaleEntries()) {
        addSeries(s.tombstones, s.firstInterval, stale);
      }
      addSeries(s.deadSlots, s.firstInterval, deadSlots);
      addSeries(s.size, s.firstInterval, size);
      addSeries(s.slots, s.firstInterval, slots);
    }
    return new Analysis.Timeline(
        seconds, tombstones, size, slots, aligned(r.deleteRate(), 0, n), deadSlots, stale);
  }

  /** A site's {@code series} on the recording's {@code n} intervals: 0 before its first. */
  static double[] aligned(LongSeries series, int firstInterval, int n) {
    double[] values = new double[n];
    if (firstInterval >= 0) {
      addSeries(series, firstInterval, values);
    }
    return values;
  }

  private static void addSeries(LongSeries series, int offset, double[] into) {
    for (int i = 0; i < series.size() && offset + i < into.length; i++) {
      into[offset + i] += series.get(i);
    }
  }

  /** Percentiles of {@code h}, one histogram series summed over some or all sites. */
  public static Analysis.Latency latency(String series, Histogram h) {
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
    Map<List<String>, long[]> byStack = new HashMap<>();
    Map<List<String>, Set<Integer>> sitesOf = new HashMap<>();
    for (SiteRecord s : r.sites().values()) {
      s.deleteSites.forEach(
          (stack, counts) -> {
            long[] sum = byStack.computeIfAbsent(stack, f -> new long[2]);
            sum[0] += counts[0];
            sum[1] += counts[1];
            sitesOf.computeIfAbsent(stack, f -> new TreeSet<>()).add(s.id);
          });
    }
    List<Analysis.DeleteSite> list = new ArrayList<>();
    byStack.forEach(
        (stack, c) ->
            list.add(
                new Analysis.DeleteSite(
                    stack.get(0),
                    stack.subList(1, stack.size()),
                    List.copyOf(sitesOf.get(stack)),
                    c[0],
                    c[1])));
    list.sort(
        Comparator.comparingLong(Analysis.DeleteSite::deletes)
            .reversed()
            .thenComparing(d -> String.join("|", d.stack())));
    return list;
  }
}
