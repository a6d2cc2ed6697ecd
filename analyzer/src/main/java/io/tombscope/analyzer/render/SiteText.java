package io.tombscope.analyzer.render;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.nanos;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.findings.Finding;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** {@code tombscope summary --site ID}: one allocation site in full, its whole stack first. */
public final class SiteText {
  private SiteText() {}

  public static String render(Analysis a, SiteAnalysis s) {
    StringBuilder out = new StringBuilder();
    line(
        out,
        "Site %d: %s (%s%s)",
        s.id(),
        s.record().mapClass,
        s.family().key,
        s.trackedOneIn() > 1 ? ", 1 map in " + s.trackedOneIn() + " tracked" : "");
    out.append("  allocated at\n");
    List<String> frames = s.record().allocationSite;
    if (frames.isEmpty()) {
      out.append("    (no frames recorded)\n");
    }
    for (String f : frames) {
      out.append("    ").append(f).append('\n');
    }
    line(out, "  pattern     %s", s.pattern().label);
    line(out, "  maps        %,d created, %,d live at the end", s.maps(), s.liveMaps());
    line(
        out,
        "  deletes     %,d (%,d hits, %,d misses, %.1f%% missed)%s",
        s.deletes(),
        s.deleteHits(),
        s.deleteMisses(),
        100 * s.missRatio(),
        s.silentDeletes() > 0 ? String.format(Locale.ROOT, ", %,d silent", s.silentDeletes()) : "");
    if (s.hitProbeMean() > 0 || s.missProbeMean() > 0) {
      line(
          out,
          "  probe       slots examined on average: %s per hit, %s per miss",
          s.deleteHits() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", s.hitProbeMean()),
          s.deleteMisses() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", s.missProbeMean()));
    }
    Histogram latency = s.record().histograms.get("deleteLatency");
    if (latency != null && latency.getTotalCount() > 0) {
      Analysis.Latency l = Analyzer.latency("deleteLatency", latency);
      line(
          out,
          "  latency     p50 %s, p99 %s, max %s (%,d deletes timed)",
          nanos(l.p50()),
          nanos(l.p99()),
          nanos(l.max()),
          l.count());
    }
    if (s.family() == MapFamily.BUCKET) {
      line(
          out,
          "  tombstones  %,d live (%.1f%% of slots), %,d at peak, %,d reused, %,d reclaimed",
          s.tombstonesLive(),
          100 * s.tombstoneRatio(),
          s.tombstonesPeak(),
          s.tombstonesReused(),
          s.tombstonesReclaimed());
    }
    if (s.family().keepsPeakCapacity()) {
      line(
          out,
          "  dead slots  %,d now, %,d at peak (%s)",
          s.deadSlots(),
          s.peakDeadSlots(),
          bytes(s.deadSlotBytes()));
    }
    if (s.family().hasStaleEntries()) {
      line(
          out,
          "  stale       %,d entries now, %,d at peak (%s); %,d expunged in %,d expunges",
          s.staleEntries(),
          s.staleEntriesPeak(),
          bytes(s.staleBytes()),
          s.staleExpunged(),
          s.expunges());
    }
    if (s.grows() == 0) {
      out.append("  grows       none\n");
    } else if (s.family() == MapFamily.BUCKET) {
      line(
          out,
          "  grows       %,d (%,d same-size), %,d buckets evacuated, %,d entries moved, %s",
          s.grows(),
          s.sameSizeGrows(),
          s.evacuatedBuckets(),
          s.entriesMoved(),
          nanos(s.growNanos()));
    } else {
      line(
          out,
          "  grows       %,d resizes, %s%s",
          s.grows(),
          nanos(s.growNanos()),
          s.resizeHelpers() == 0
              ? ""
              : String.format(
                  Locale.ROOT, ", %,d transfer passes by helping threads", s.resizeHelpers()));
    }
    line(
        out,
        "  size        %,d entries now, %,d at peak; %,d slots%s",
        s.size(),
        s.peakSize(),
        s.slots(),
        s.family() == MapFamily.BUCKET
            ? String.format(Locale.ROOT, ", %,d overflow buckets", s.overflowBuckets())
            : "");
    line(
        out,
        "  memory      %s now, %s reclaimable",
        bytes(s.estimatedBytes()),
        bytes(s.reclaimableBytes()));
    Map<List<String>, long[]> callers = s.record().deleteSites;
    if (!callers.isEmpty()) {
      out.append("  deletes by caller (sampled)\n");
      callers.entrySet().stream()
          .sorted(
              Comparator.comparingLong((Map.Entry<List<String>, long[]> e) -> e.getValue()[0])
                  .reversed())
          .forEach(
              e -> {
                long[] c = e.getValue();
                List<String> stack = e.getKey();
                line(
                    out,
                    "    %,12d  %5.1f%% missed  %s",
                    c[0],
                    c[0] == 0 ? 0.0 : 100.0 * c[1] / c[0],
                    stack.get(0));
                for (String caller : stack.subList(1, stack.size())) {
                  line(out, "%33s← %s", "", caller);
                }
              });
    }
    List<Finding> findings = a.findings().stream().filter(f -> f.site() == s.id()).toList();
    out.append("  findings").append(findings.isEmpty() ? "    none\n" : "\n");
    for (Finding f : findings) {
      out.append("    [").append(f.severity()).append("] ").append(f.title()).append('\n');
      out.append("           ").append(f.detail()).append('\n');
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
