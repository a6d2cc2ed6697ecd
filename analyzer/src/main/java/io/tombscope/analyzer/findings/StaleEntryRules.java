package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * The rule of the families that keep entries whose keys were collected ({@code WeakHashMap}, a
 * thread's {@code ThreadLocal} map): stale entries, and the values they keep alive.
 */
final class StaleEntryRules implements SiteRules {
  static final long STALE_MIN = 64;
  static final double STALE_RATIO = 0.25;

  @Override
  public boolean covers(MapFamily family) {
    return family.hasStaleEntries();
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    if (s.staleEntries() < STALE_MIN || s.staleEntries() < STALE_RATIO * s.size()) {
      return;
    }
    String title;
    String detail;
    if (s.family() == MapFamily.WEAK) {
      title =
          String.format(
              Locale.ROOT,
              "%,d stale entries (collected keys) still counted in %s: they are expunged only when"
                  + " the map is next used",
              s.staleEntries(),
              Where.theMaps(s, "WeakHashMap", s.liveMaps()));
      detail =
          String.format(
              Locale.ROOT,
              "%,d of %,d entries lost their keys to the collector, but their entries and values"
                  + " (at least %s) stay until a call on the map expunges them (%,d expunged so"
                  + " far). Touch the map (size()) after its keys die, or drop it.",
              s.staleEntries(),
              s.size(),
              bytes(s.staleBytes()),
              s.staleExpunged());
    } else {
      title =
          String.format(
              Locale.ROOT,
              "%,d stale ThreadLocal entries in threads' maps from %s: call ThreadLocal.remove()"
                  + " when done",
              s.staleEntries(),
              s.label());
      detail =
          String.format(
              Locale.ROOT,
              "Their ThreadLocals were collected, but each thread's map keeps the entry and its"
                  + " value (at least %s) until a later set, get or remove in that thread happens"
                  + " to expunge it (%,d expunged so far). In thread pools that can be never.",
              bytes(s.staleBytes()),
              s.staleExpunged());
    }
    out.add(
        new Finding(
            "staleEntries",
            severity(s.staleBytes(), false),
            s.id(),
            s.label(),
            title,
            detail,
            s.staleBytes(),
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }
}
