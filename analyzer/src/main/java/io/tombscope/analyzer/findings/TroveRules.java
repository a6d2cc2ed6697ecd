package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.nanos;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * Trove 3's rules, with fixes in Trove's own terms: tombstones a map sits on ({@code compact()}),
 * auto-compaction storms under churn and same-capacity rehashes when tombstones fill the table
 * ({@code setAutoCompactionFactor}).
 */
final class TroveRules implements SiteRules {
  static final double TOMBSTONE_RATIO = 0.25;
  static final long TOMBSTONE_MIN = 64;
  static final long AUTO_COMPACTIONS_MIN = 10;
  static final double AUTO_COMPACTION_SHARE = 0.01;
  static final long SAME_SIZE_REHASHES_MIN = 3;

  @Override
  public boolean covers(MapFamily family) {
    return family == MapFamily.TROVE;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    tombstones(s, out);
    autoCompactionStorm(s, run, out);
    sameSizeRehashes(s, out);
  }

  private static void tombstones(SiteAnalysis s, List<Finding> out) {
    if (s.tombstonesLive() < TOMBSTONE_MIN || s.tombstoneRatio() < TOMBSTONE_RATIO) {
      return;
    }
    out.add(
        new Finding(
            "troveTombstones",
            severity(s.reclaimableBytes(), s.tombstoneRatio() >= 0.5),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s sit%s on tombstones: call compact() once the removes are done",
                Where.theMaps(s, "Trove map", s.maps()),
                s.maps() <= 1 ? "s" : ""),
            String.format(
                Locale.ROOT,
                "%.0f%% of %s slots are REMOVED markers (%,d of %,d; at most %,d at once)."
                    + " Lookups probe past them and the table keeps their memory until a rehash;"
                    + " compact() would give back about %s. A lower setAutoCompactionFactor"
                    + " compacts sooner on its own.",
                100 * s.tombstoneRatio(),
                s.maps() <= 1 ? "its" : "their",
                s.tombstonesLive(),
                s.slots(),
                s.tombstonesPeak(),
                bytes(s.reclaimableBytes())),
            s.reclaimableBytes(),
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }

  private static void autoCompactionStorm(SiteAnalysis s, Run run, List<Finding> out) {
    long compactions = s.record().counter("autoCompactions");
    long nanos = s.record().growNanosByCause.getOrDefault("autoCompaction", 0L);
    if (compactions < AUTO_COMPACTIONS_MIN) {
      return;
    }
    out.add(
        new Finding(
            "autoCompactionStorm",
            run.matters(nanos, AUTO_COMPACTION_SHARE) ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "Trove rebuilt %s %,d times on its own (auto-compaction, %s)",
                Where.theMaps(s, "Trove map", s.maps()),
                compactions,
                nanos(nanos)),
            String.format(
                Locale.ROOT,
                "After every size × autoCompactionFactor removes (0.5 by default) Trove's compact()"
                    + " rehashes the whole table, and under steady churn the table grows back at"
                    + " once (%,d entries moved by all rehashes, %,d delete hits). Call"
                    + " setAutoCompactionFactor(0) and compact() at quiet moments, or raise the"
                    + " factor so it compacts less often.",
                s.entriesMoved(),
                s.deleteHits()),
            0,
            0,
            Where.allocationLine(s)));
  }

  private static void sameSizeRehashes(SiteAnalysis s, List<Finding> out) {
    if (s.sameSizeGrows() < SAME_SIZE_REHASHES_MIN) {
      return;
    }
    long nanos = s.record().growNanosByCause.getOrDefault("sameSize", 0L);
    out.add(
        new Finding(
            "troveSameSizeRehashes",
            s.sameSizeGrows() >= 20 ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "tombstones filled %s: rebuilt %,d times at the same capacity",
                Where.theMaps(s, "Trove map", s.maps()),
                s.sameSizeGrows()),
            String.format(
                Locale.ROOT,
                "No free slot was left, only live entries and REMOVED markers, so Trove rehashed"
                    + " at the same capacity (%s in all). Keep auto-compaction on"
                    + " (setAutoCompactionFactor, 0.5 by default), or call compact() after bulk"
                    + " removes.",
                nanos(nanos)),
            0,
            0,
            Where.allocationLine(s)));
  }
}
