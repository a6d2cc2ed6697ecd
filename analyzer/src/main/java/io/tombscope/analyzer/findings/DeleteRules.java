package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.nanos;

import io.tombscope.analyzer.analysis.DeletePattern;
import io.tombscope.analyzer.analysis.Figures;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.analysis.SiteAnalysis.DeleteCount;
import java.util.List;
import java.util.Locale;

/**
 * Rules about how a site's maps are deleted from, for every family: they name the line that deletes
 * (from the sampled delete call sites), and their severity follows what the deletes cost in time
 * against the run's length.
 */
final class DeleteRules implements SiteRules {
  static final double MISS_RATIO = 0.5;
  static final long MISS_MIN = 1000;
  static final long SILENT_DELETES_MIN = 1;
  static final long CHURN_MIN_DELETES = 10_000;

  /** Share of the run's time that deletes must cost for a churn finding, and for a medium. */
  static final double COST_SHARE = 0.01;

  static final double CHURN_MEDIUM_SHARE = 0.05;

  @Override
  public boolean covers(MapFamily family) {
    return true;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    silentDeletes(s, out);
    missStorm(s, run, out);
    churn(s, run, out);
  }

  private static void silentDeletes(SiteAnalysis s, List<Finding> out) {
    // Every removed value null: a map used as a set (Map<K, Void>), whose remove result means
    // nothing; the finding is for maps that mix null and other values.
    if (s.silentDeletes() < SILENT_DELETES_MIN || s.silentDeletes() >= s.deleteHits()) {
      return;
    }
    String line = s.deletingLine(DeleteCount.SILENT);
    out.add(
        new Finding(
            "silentDeletes",
            "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%,d remove() calls at %s removed a key mapped to null and returned null, like a"
                    + " miss: use containsKey or remove(key, value)",
                s.silentDeletes(),
                line != null ? line : s.label()),
            "remove(key) returns the old value, and null both when the key was absent and when it"
                + " was mapped to null: code that tests the result for null cannot tell a removal"
                + " from a miss. "
                + madeAt(s, line),
            0,
            0,
            line != null ? line : s.label()));
  }

  private static void missStorm(SiteAnalysis s, Run run, List<Finding> out) {
    if (s.deleteMisses() < MISS_MIN || s.missRatio() < MISS_RATIO) {
      return;
    }
    String line = s.deletingLine(DeleteCount.MISSES);
    String probe =
        s.family() == MapFamily.BUCKET
            ? String.format(
                Locale.ROOT,
                "A miss returns quietly (Go's delete is silent too) but still walks the chain to"
                    + " its emptyRest%s.",
                s.missProbeMean() > 0
                    ? String.format(Locale.ROOT, ": %.1f slots each on average", s.missProbeMean())
                    : "")
            : "A miss returns null quietly but still hashes the key and searches its bin.";
    long costNanos = Figures.nanos(s.deleteMisses(), s.deleteLatencyMeanNanos());
    String cost =
        costNanos > 0
            ? String.format(
                Locale.ROOT,
                " They took about %s (sampled delete time) of a %s run.",
                nanos(costNanos),
                nanos(run.durationNanos()))
            : " Their time was not sampled.";
    out.add(
        new Finding(
            "missStorm",
            run.matters(costNanos, COST_SHARE) ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%.0f%% of the deletes at %s miss: check before deleting, or stop deleting absent"
                    + " keys",
                100 * s.missRatio(),
                line != null ? line : s.label()),
            String.format(
                    Locale.ROOT, "%,d deletes found nothing.%s %s ", s.deleteMisses(), cost, probe)
                + madeAt(s, line),
            0,
            0,
            line != null ? line : s.label()));
  }

  /** Adds and removes whose time matters: sampled delete time × deletes, against the run. */
  private static void churn(SiteAnalysis s, Run run, List<Finding> out) {
    long costNanos = Figures.nanos(s.deletes(), s.deleteLatencyMeanNanos());
    if (s.deletes() < CHURN_MIN_DELETES
        || s.pattern() == DeletePattern.MISS_STORM
        || !run.matters(costNanos, COST_SHARE)) {
      return;
    }
    String line = s.deletingLine(DeleteCount.DELETES);
    String why;
    if (s.pattern() == DeletePattern.CLEAR_AND_REFILL) {
      why = "the map is cleared and filled again, over and over";
    } else if (s.peakSize() > 0 && s.deleteHits() >= 100 * s.peakSize()) {
      why =
          String.format(
              Locale.ROOT,
              "the map is filled and emptied on every pass (%,d deletes, never more than %s%,d"
                  + " entries at once)",
              s.deleteHits(),
              s.peakSizeExact() ? "" : "about ",
              s.peakSize());
    } else {
      why = String.format(Locale.ROOT, "keys are added and removed %,d times", s.deleteHits());
    }
    out.add(
        new Finding(
            "churn",
            run.matters(costNanos, CHURN_MEDIUM_SHARE) ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%,d deletes, about %s, at %s: %s",
                s.deletes(),
                nanos(costNanos),
                line != null ? line : s.label(),
                why),
            String.format(
                    Locale.ROOT,
                    "A delete took %s on average (%s), %.1f%% of the %s run with its inserts not"
                        + " counted. Keep the entries between passes, or mark the objects themselves"
                        + " instead of adding and removing them. ",
                    nanos(Math.round(s.deleteLatencyMeanNanos())),
                    s.family() == MapFamily.BUCKET || s.family() == MapFamily.TROVE
                        ? "sampled"
                        : "an estimate: one remove(key) in `sample` of the tracked maps timed"
                            + " whole, hashing the key included",
                    100.0 * costNanos / Math.max(1, run.durationNanos()),
                    nanos(run.durationNanos()))
                + madeAt(s, line),
            0,
            0,
            line != null ? line : s.label()));
  }

  /** Where the map was built, or why the deleting line is unknown. */
  private static String madeAt(SiteAnalysis s, String line) {
    String where =
        s.record().grown
            ? "the map is tracked from its growth at "
                + s.label()
                + " (where it was built is not known)."
            : s.record().trackedAtDelete
                ? "the map is tracked from a delete at "
                    + s.label()
                    + " (where it was built is not known)."
                : "the map is built at " + s.label() + ".";
    return line != null
        ? Character.toUpperCase(where.charAt(0)) + where.substring(1)
        : "No delete of this site was sampled for its caller (agent option callsites); " + where;
  }
}
