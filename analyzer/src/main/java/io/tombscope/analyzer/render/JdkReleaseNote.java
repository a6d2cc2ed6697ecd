package io.tombscope.analyzer.render;

import static io.tombscope.analyzer.findings.FindingRules.bytes;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.findings.Finding;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code tombscope release} prints after its table when the JVM's waste is in JDK maps: a
 * release compacts {@code BucketHashMap}s only, so it says how much the JDK maps keep and, from the
 * findings, how to shrink them where the program owns them.
 */
public final class JdkReleaseNote {
  private static final int SHOWN = 3;
  private static final Set<String> JDK_WASTE = Set.of("peakCapacity", "staleEntries");

  private JdkReleaseNote() {}

  /** The note, or "" when the JDK maps the recording tracks keep nothing worth saying. */
  public static String text(Analysis a) {
    long kept =
        a.sites().stream()
            .filter(s -> s.family() != MapFamily.BUCKET)
            .mapToLong(SiteAnalysis::reclaimableBytes)
            .sum();
    List<Finding> advice =
        a.findings().stream().filter(f -> JDK_WASTE.contains(f.kind())).limit(SHOWN).toList();
    if (kept == 0 && advice.isEmpty()) {
      return "";
    }
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%nNot given back: %s in the tables of the JDK's maps (dead slots and stale entries"
                    + " at the last interval). A release compacts BucketHashMaps only; a JDK map"
                    + " shrinks when the program copies or rebuilds it:%n",
                bytes(kept)));
    for (Finding f : advice) {
      out.append("  - ").append(f.title()).append('\n');
    }
    if (advice.isEmpty()) {
      out.append("  - no site keeps enough to be a finding; tombscope report shows them all\n");
    }
    return out.toString();
  }
}
