package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.nanos;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.analysis.DeletePattern;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * {@code BucketHashMap}'s rules: tombstones, {@code trim()} and same-size grows exist only there.
 */
final class BucketRules implements SiteRules {
  static final double TOMBSTONE_RATIO = 0.25;
  static final long TOMBSTONE_MIN = 64;
  static final double OVERSIZE_SLOTS_PER_ENTRY = 4.0;
  static final long OVERSIZE_MIN_BYTES = 64 * 1024;
  static final long SAME_SIZE_GROWS_MIN = 3;

  @Override
  public boolean covers(MapFamily family) {
    return family == MapFamily.BUCKET;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    tombstones(s, out);
    oversized(s, out);
    sameSizeGrows(s, out);
  }

  private static void tombstones(SiteAnalysis s, List<Finding> out) {
    if (s.tombstonesLive() < TOMBSTONE_MIN || s.tombstoneRatio() < TOMBSTONE_RATIO) {
      return;
    }
    String probes =
        s.missProbeMean() > 0 && s.hitProbeMean() > 0
            ? String.format(
                Locale.ROOT,
                "; delete misses examine %.1f× more slots than hits (%.1f against %.1f)",
                s.missProbeMean() / s.hitProbeMean(),
                s.missProbeMean(),
                s.hitProbeMean())
            : "";
    String action =
        s.pattern() == DeletePattern.BULK_LOAD_THEN_DRAIN
            ? "recreate or trim() %s after bulk deletes"
            : "trim() %s, or recreate it, when deletes pile up";
    out.add(
        new Finding(
            "tombstones",
            severity(s.reclaimableBytes(), s.tombstoneRatio() >= 0.5),
            s.id(),
            s.label(),
            String.format(Locale.ROOT, action, mapAt(s)),
            String.format(
                Locale.ROOT,
                "%.0f%% of %s slots are tombstones (%,d of %,d)%s. Lookups walk past every one;"
                    + " trim() would give back about %s.",
                100 * s.tombstoneRatio(),
                s.maps() <= 1 ? "its" : "their",
                s.tombstonesLive(),
                s.slots(),
                probes,
                bytes(s.reclaimableBytes())),
            s.reclaimableBytes(),
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }

  private static void oversized(SiteAnalysis s, List<Finding> out) {
    if (s.reclaimableBytes() < OVERSIZE_MIN_BYTES
        || s.slots() < OVERSIZE_SLOTS_PER_ENTRY * Math.max(1, s.size())
        || s.tombstoneRatio() >= TOMBSTONE_RATIO) {
      return;
    }
    out.add(
        new Finding(
            "peakSizeKept",
            severity(s.reclaimableBytes(), false),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s keep%s %s peak size: trim() %s",
                mapAt(s),
                s.maps() <= 1 ? "s" : "",
                s.maps() <= 1 ? "its" : "their",
                s.maps() <= 1 ? "it" : "them"),
            String.format(
                Locale.ROOT,
                "%s %,d entries in %,d slots (peak size at least %,d): Go's map, and this one,"
                    + " never shrink on their own. trim() would give back about %s.",
                s.maps() <= 1 ? "It holds" : "They hold",
                s.size(),
                s.slots(),
                s.peakSize(),
                bytes(s.reclaimableBytes())),
            s.reclaimableBytes(),
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }

  private static void sameSizeGrows(SiteAnalysis s, List<Finding> out) {
    if (s.sameSizeGrows() < SAME_SIZE_GROWS_MIN) {
      return;
    }
    long overflowBytes = s.overflowBuckets() * 8 * 9;
    out.add(
        new Finding(
            "sameSizeGrows",
            s.sameSizeGrows() >= 20 ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "churn at %s rebuilt the map%s %,d times at the same size",
                s.label(),
                s.maps() <= 1 ? "" : "s",
                s.sameSizeGrows()),
            String.format(
                Locale.ROOT,
                "Deletes leave tombstones, inserts of new keys chain overflow buckets, and every"
                    + " 2^min(B,15) overflow buckets trigger a same-size grow that moves every entry"
                    + " (%,d entries moved, %s spent growing). Size the map for its peak or trim() it"
                    + " at quiet moments.",
                s.entriesMoved(),
                nanos(s.growNanos())),
            overflowBytes,
            0,
            Where.allocationLine(s)));
  }

  /** "the map at X", or "the 12 maps built at X". */
  private static String mapAt(SiteAnalysis s) {
    return s.maps() <= 1
        ? "the map at " + s.label()
        : String.format(Locale.ROOT, "the %,d maps built at %s", s.maps(), s.label());
  }
}
