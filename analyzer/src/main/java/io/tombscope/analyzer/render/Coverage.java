package io.tombscope.analyzer.render;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a recording did not see, said once wherever a report or summary would otherwise read as
 * "nothing here": JDK maps not recorded at all, or not tracked (their deletes are only counted),
 * and the agent option that shows them.
 */
public final class Coverage {
  private Coverage() {}

  /** The line shown where there are no findings: what "none" covers, and what it does not. */
  public static String noFindings(Analysis a) {
    String notSeen = notSeen(a);
    return notSeen.isEmpty()
        ? "No findings in the maps recorded: none wastes memory or time past the thresholds of"
            + " docs/findings.md."
        : "No findings in the maps tracked. " + notSeen;
  }

  /**
   * One or two sentences on the maps whose waste the recording cannot show, with the option that
   * shows them; "" when it saw every map.
   */
  public static String notSeen(Analysis a) {
    List<String> parts = new ArrayList<>();
    Map<String, String> options = a.recording().meta().options();
    if ("false".equalsIgnoreCase(options.getOrDefault("jdk", "true"))) {
      parts.add(
          "The JDK's maps were not recorded (agent option jdk=false; jdk=true records them).");
    }
    long untracked = a.recording().untrackedDeletes();
    if (untracked > 0) {
      StringBuilder families = new StringBuilder();
      a.recording()
          .untracked()
          .forEach(
              (family, counts) -> {
                long d = counts.getOrDefault("deletes", 0L);
                if (d > 0) {
                  families
                      .append(families.length() == 0 ? "" : ", ")
                      .append(String.format(Locale.ROOT, "%s %,d", family, d));
                }
              });
      boolean everyMap = "1".equals(options.get("jdksample"));
      parts.add(
          String.format(
              Locale.ROOT,
              "%,d deletes were made in JDK maps that were not tracked (%s): they are counted, but"
                  + " their waste is not seen. %s",
              untracked,
              families,
              everyMap
                  // jdksample=1 tracks every map built once the agent has instrumented the JDK's
                  // maps, which it does in the background after the program starts.
                  ? "They were built before the agent had instrumented the JDK's maps (it does so"
                      + " in the background as the program starts), or while 65,536 maps were"
                      + " tracked."
                  : "Maps that grow past jdkgrow slots are tracked; to see the small ones too,"
                      + " record with jdksample=1."));
    } else if (a.sites().stream().anyMatch(s -> s.trackedOneIn() > 1)) {
      int most = a.sites().stream().mapToInt(SiteAnalysis::trackedOneIn).max().orElse(1);
      parts.add(
          String.format(
              Locale.ROOT,
              "Only one JDK map in %d was tracked (agent option jdksample): the others' waste is not"
                  + " seen; jdksample=1 tracks every map.",
              most));
    }
    return String.join(" ", parts);
  }
}
