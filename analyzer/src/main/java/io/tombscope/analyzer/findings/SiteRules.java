package io.tombscope.analyzer.findings;

import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;

/**
 * The findings of one kind of map, or of every kind. A new map family brings its own rules class
 * beside the others and one line in {@link FindingRules#RULES}.
 */
interface SiteRules {
  /** Whether these rules look at sites of {@code family}. */
  boolean covers(MapFamily family);

  /** Adds the site's findings to {@code out}. */
  void apply(SiteAnalysis s, Run run, List<Finding> out);

  /** What the rules need to know of the recording as a whole. */
  record Run(long durationNanos) {
    /** Whether {@code nanos} of the program's time is worth a medium against the run's length. */
    boolean matters(long nanos, double share) {
      return durationNanos > 0 && nanos >= share * durationNanos;
    }
  }
}
