package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.nanos;

import io.tombscope.analyzer.analysis.Figures;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * fastutil's rules, with fixes in fastutil's own terms: a table that halves on removes and doubles
 * on the next puts (construct the map with its peak capacity, or {@code trim()} at quiet moments),
 * and a table kept larger than its entries need ({@code trim()}).
 */
final class FastutilRules implements SiteRules {
  static final long THRASH_MIN = 8;
  static final double THRASH_SHARE = 0.01;
  static final double OVERSIZED_SHARE = 0.5;

  @Override
  public boolean covers(MapFamily family) {
    return family == MapFamily.FASTUTIL;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    thrash(s, run, out);
    oversized(s, out);
  }

  /** Shrinks each followed by a grow: the pairs are the fewer of the two. */
  static long thrashCycles(SiteAnalysis s) {
    return Math.min(s.record().counter("shrinks"), s.grows());
  }

  private static void thrash(SiteAnalysis s, Run run, List<Finding> out) {
    long cycles = thrashCycles(s);
    if (cycles < THRASH_MIN) {
      return;
    }
    long shrinks = s.record().counter("shrinks");
    long nanos =
        Figures.sum(
            s.record().growNanosByCause.getOrDefault("shrink", 0L),
            s.record().growNanosByCause.getOrDefault("grow", 0L));
    String mapClass = s.record().mapClass;
    out.add(
        new Finding(
            "fastutilThrash",
            run.matters(nanos, THRASH_SHARE) ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s halved and doubled %s table %,d times (shrink/grow thrash, %s): construct %s"
                    + " with the capacity %s at %s peak",
                Where.theMaps(s, Where.kind(s, "fastutil"), s.maps()),
                s.maps() <= 1 ? "its" : "their",
                cycles,
                nanos(nanos),
                s.maps() <= 1 ? "it" : "them",
                s.maps() <= 1 ? "it needs" : "they need",
                s.maps() <= 1 ? "its" : "their"),
            String.format(
                Locale.ROOT,
                "fastutil halves a table when a remove leaves it under a quarter of its fill limit,"
                    + " down to the size the map was constructed with, and doubles it on the puts"
                    + " that follow: %,d shrinks and %,d grows rehashed %,d entries in all, and the"
                    + " largest size seen was %,d. Constructed with that capacity (new %s(%,d)), a"
                    + " map never shrinks below it; if its memory matters between bursts, call"
                    + " trim() at quiet moments instead of letting every drain shrink it.",
                shrinks,
                s.grows(),
                s.entriesMoved(),
                s.peakSize(),
                mapClass.substring(mapClass.lastIndexOf('.') + 1),
                Math.max(1, s.peakSize())),
            0,
            0,
            Where.allocationLine(s)));
  }

  private static void oversized(SiteAnalysis s, List<Finding> out) {
    long reclaimable = s.reclaimableBytes();
    if (reclaimable < FindingRules.MEDIUM_BYTES
        || reclaimable < OVERSIZED_SHARE * s.estimatedBytes()) {
      return;
    }
    out.add(
        new Finding(
            "fastutilOversized",
            FindingRules.severity(reclaimable, false),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s keep%s a table larger than %s entries need: call trim() once the removes are"
                    + " done",
                Where.theMaps(s, Where.kind(s, "fastutil"), s.maps()),
                s.maps() <= 1 ? "s" : "",
                s.maps() <= 1 ? "its" : "their"),
            String.format(
                Locale.ROOT,
                "%,d entries in %,d slots: fastutil's own shrinking stops at the size a map was"
                    + " constructed with, and clear() keeps the table. trim() would give back"
                    + " about %s.",
                s.size(),
                s.slots(),
                bytes(reclaimable)),
            reclaimable,
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }
}
