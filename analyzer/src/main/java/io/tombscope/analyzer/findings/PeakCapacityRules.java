package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.analysis.Waste;
import java.util.List;
import java.util.Locale;

/**
 * The rule of the JDK families whose table never shrinks ({@code HashMap}, {@code
 * ConcurrentHashMap}, {@code IdentityHashMap}, and {@code WeakHashMap} where the agent followed
 * what its deletes left): a table that grew for entries since deleted. Waste needs that cause, so
 * insert-only maps, maps still at their default table and maps presized for entries they never held
 * do not qualify; the waste is ranked by its peak over the run, so maps that died before the end
 * still count.
 */
final class PeakCapacityRules implements SiteRules {
  static final long DEAD_SLOTS_MIN = 4096;
  static final double DEAD_SLOTS_RATIO = 0.75;
  static final double SHRUNK_TO_PEAK = 0.25;

  @Override
  public boolean covers(MapFamily family) {
    return family.keepsPeakCapacity() || family == MapFamily.WEAK;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    Waste w = s.waste();
    if (!s.family().keepsPeakCapacity() && !w.exact()) {
      return; // a WeakHashMap's table is judged only from the agent's drained figures
    }
    if (s.deleteHits() + s.clears() == 0 || w.peakUnits() < DEAD_SLOTS_MIN) {
      return;
    }
    // Without the agent's drained figures, the cause is read from the gauges: most of the table
    // dead, and the size fallen well below the site's peak.
    if (!w.exact()
        && (w.peakUnits() < DEAD_SLOTS_RATIO * w.slotsAtPeak()
            || s.peakSize() == 0
            || w.sizeAtPeak() > SHRUNK_TO_PEAK * s.peakSize())) {
      return;
    }
    String className = s.family().className;
    long maps = Math.max(1, w.mapsAtPeak());
    String program = Where.programLine(s);
    String title;
    if (program != null) {
      // Built inside a library or the JDK: the fix goes where the program asks for it.
      String owner = Where.builderClass(s);
      title =
          s.record().grown
              ? String.format(
                  Locale.ROOT,
                  "peak capacity retained after deletes in the %s that grew to %,d slots in %s,"
                      + " called at %s: size or rebuild the %s that line fills once it is drained",
                  className,
                  s.record().grownToSlots,
                  Where.builder(s),
                  program,
                  owner)
              : String.format(
                  Locale.ROOT,
                  "peak capacity retained after deletes in the %s that %s builds for %s: size or"
                      + " rebuild what %s makes there once it is drained",
                  className,
                  Where.builder(s),
                  program,
                  owner + Where.builder(s).substring(Where.builder(s).lastIndexOf('.')));
    } else {
      title =
          String.format(
              Locale.ROOT,
              "peak capacity retained after deletes in %s: copy %s into a new map once drained:"
                  + " map = new %s<>(map)",
              Where.theMaps(s, className, maps),
              maps <= 1 ? "it" : "each",
              shrinkClass(s));
    }
    String died =
        w.died()
            ? String.format(
                Locale.ROOT,
                " The maps were collected before the recording ended; the waste lasted %.1f s.",
                w.heldSeconds())
            : "";
    out.add(
        new Finding(
            "peakCapacity",
            severity(w.peakBytes(), false),
            s.id(),
            s.label(),
            title,
            when(s, w)
                + String.format(
                    Locale.ROOT,
                    " %s never shrinks its table. That kept %s (%s·s over the run); a copy gives"
                        + " it back.%s",
                    className,
                    Where.held(w.peakBytes(), w.heldSeconds()),
                    bytes(w.byteSeconds()),
                    died),
            w.peakBytes(),
            w.byteSeconds(),
            Where.allocationLine(s)));
  }

  /** What the tables held at the waste's peak. */
  private static String when(SiteAnalysis s, Waste w) {
    String peak =
        (s.peakSizeExact() ? "" : "at least ") + String.format(Locale.ROOT, "%,d", s.peakSize());
    if (w.slotsAtPeak() == 0) {
      return String.format(
          Locale.ROOT,
          "Between two gauges one map held %,d slots it kept only for entries since deleted (the"
              + " site's peak: %s entries).",
          w.peakUnits(),
          peak);
    }
    return String.format(
        Locale.ROOT,
        "At %.1f s, %,d of %,d table slots were dead (%.0f%%): %,d entries in tables grown for a"
            + " peak of %s.",
        w.peakSeconds(),
        w.peakUnits(),
        w.slotsAtPeak(),
        100.0 * w.peakUnits() / Math.max(1, w.slotsAtPeak()),
        w.sizeAtPeak(),
        peak);
  }

  /** The class to copy into: the site's own when it is the JDK's, else the family's. */
  private static String shrinkClass(SiteAnalysis s) {
    String mapClass = s.record().mapClass;
    if (mapClass.startsWith("java.util.")) {
      return mapClass.substring(mapClass.lastIndexOf('.') + 1);
    }
    // A subclass of the app's own may have no copy constructor; the family's class always has.
    return s.family().className;
  }
}
