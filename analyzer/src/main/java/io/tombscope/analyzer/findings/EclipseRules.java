package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * Eclipse Collections' rules, with fixes in the library's own terms: maps that hold at least as
 * many {@code REMOVED_KEY} sentinels as live entries, and tables kept at their peak after the
 * entries went (the primitive maps' and, having no sentinels, {@code UnifiedMap}'s and {@code
 * UnifiedSet}'s slack), both given back by {@code trimToSize()} ({@code compact()} before 12.0).
 */
final class EclipseRules implements SiteRules {
  static final long SENTINELS_MIN = 64;
  static final long PEAK_TABLE_MIN_BYTES = FindingRules.MEDIUM_BYTES;
  static final double PEAK_TABLE_SHARE = 0.5;

  private static final String LIBRARY = "Eclipse Collections";

  @Override
  public boolean covers(MapFamily family) {
    return family == MapFamily.ECLIPSE;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    if (!sentinels(s, out)) {
      peakTable(s, out);
    }
  }

  /** Sentinels at or above the live entries. */
  private static boolean sentinels(SiteAnalysis s, List<Finding> out) {
    if (s.tombstonesLive() < SENTINELS_MIN || s.tombstonesLive() < s.size()) {
      return false;
    }
    out.add(
        new Finding(
            "eclipseSentinels",
            severity(s.reclaimableBytes(), s.tombstoneRatio() >= 0.5),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s hold%s more REMOVED_KEY sentinels than entries: call trimToSize() once the"
                    + " removes are done",
                Where.theMaps(s, Where.kind(s, LIBRARY), s.maps()),
                s.maps() <= 1 ? "s" : ""),
            String.format(
                Locale.ROOT,
                "%,d sentinels against %,d live entries in %,d slots (at most %,d sentinels at"
                    + " once). Lookups probe past them, and the library rebuilds the table only"
                    + " when entries and sentinels together pass half of it; trimToSize()"
                    + " (compact() before 12.0) would give back about %s now.",
                s.tombstonesLive(),
                s.size(),
                s.slots(),
                s.tombstonesPeak(),
                bytes(s.reclaimableBytes())),
            s.reclaimableBytes(),
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
    return true;
  }

  /** A site of UnifiedMap or UnifiedSet, which chain in the table: no sentinels, only slack. */
  private static boolean unified(SiteAnalysis s) {
    String mapClass = s.record().mapClass;
    return mapClass != null
        && (mapClass.endsWith(".UnifiedMap") || mapClass.endsWith(".UnifiedSet"));
  }

  /** A table much larger than its entries need: it stays at the length of its peak. */
  private static void peakTable(SiteAnalysis s, List<Finding> out) {
    long reclaimable = s.reclaimableBytes();
    if (reclaimable < PEAK_TABLE_MIN_BYTES || reclaimable < PEAK_TABLE_SHARE * s.estimatedBytes()) {
      return;
    }
    out.add(
        new Finding(
            "eclipsePeakTable",
            severity(reclaimable, false),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s keep%s %s table at its peak: call trimToSize() when it has drained",
                Where.theMaps(s, Where.kind(s, LIBRARY), s.maps()),
                s.maps() <= 1 ? "s" : "",
                s.maps() <= 1 ? "its" : "their"),
            String.format(
                Locale.ROOT,
                unified(s)
                    ? "%,d entries (%,d at most) in %,d slots. UnifiedMap and UnifiedSet chain"
                        + " colliding entries inside the table and leave no sentinels, but nothing"
                        + " but trimToSize() makes the table smaller, so it keeps the length of its"
                        + " largest size; trimToSize() would give back about %s of its %s."
                    : "%,d entries (%,d at most) in %,d slots. The library's rehash halves a table"
                        + " only when sentinels fill it, so a map that drained without churn keeps"
                        + " the table of its largest size; trimToSize() (compact() before 12.0)"
                        + " would give back about %s of its %s.",
                s.size(),
                s.peakSize(),
                s.slots(),
                bytes(reclaimable),
                bytes(s.estimatedBytes())),
            reclaimable,
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }
}
