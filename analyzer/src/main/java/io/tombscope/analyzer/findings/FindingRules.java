package io.tombscope.analyzer.findings;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.read.Release;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The rules that turn an analysis into findings, ranked by memory at stake at the waste's peak,
 * then by what the waste cost over the run (byte-seconds), then by severity. Each family's rules
 * live in their own class; each rule and threshold is documented in {@code docs/findings.md}: keep
 * the two in step.
 */
public final class FindingRules {
  static final long HIGH_BYTES = 1 << 20;
  static final long MEDIUM_BYTES = 64 * 1024;

  /** Every site's rules, each applied to the families it covers. A new family adds its class. */
  static final List<SiteRules> RULES =
      List.of(
          new BucketRules(),
          new PeakCapacityRules(),
          new StaleEntryRules(),
          new TroveRules(),
          new JctoolsRules(),
          new FastutilRules(),
          new DeleteRules());

  private FindingRules() {}

  public static List<Finding> apply(Analysis a) {
    SiteRules.Run run = new SiteRules.Run(a.recording().durationMs() * 1_000_000L);
    List<Finding> findings = new ArrayList<>();
    for (SiteAnalysis s : a.sites()) {
      int first = findings.size();
      for (SiteRules rules : RULES) {
        if (rules.covers(s.family())) {
          rules.apply(s, run, findings);
        }
      }
      // Counts of a sampled site are those of its tracked maps: say so wherever they are quoted.
      // A map built inside the JDK is fixed in the program code that reaches it: name that code
      // where the finding does not already.
      String program = Where.programLine(s);
      for (int i = first; i < findings.size(); i++) {
        Finding f = findings.get(i);
        boolean named = program == null || f.title().contains(program);
        findings.set(
            i,
            f.amended(
                s.trackedNote(),
                named
                    ? ""
                    : " The map is built inside "
                        + (Where.isJdkBuilt(s) ? "the JDK" : "a library")
                        + "; the program's own code that reaches it is "
                        + program
                        + "."));
      }
    }
    for (Release r : a.releases()) {
      ReleaseRules.pending(r, findings);
    }
    for (Release r : a.releases()) {
      ReleaseRules.memoryKept(r, a.recording().meta().inputArguments(), findings);
    }
    findings.sort(
        Comparator.comparingLong(Finding::bytesAtStake)
            .reversed()
            .thenComparing(Comparator.comparingLong(Finding::byteSeconds).reversed())
            .thenComparing(f -> rank(f.severity()))
            .thenComparing(Finding::site)
            .thenComparing(Finding::kind));
    return List.copyOf(findings);
  }

  static String severity(long bytes, boolean forceHigh) {
    if (forceHigh || bytes >= HIGH_BYTES) {
      return "high";
    }
    return bytes >= MEDIUM_BYTES ? "medium" : "low";
  }

  private static int rank(String severity) {
    return switch (severity) {
      case "high" -> 0;
      case "medium" -> 1;
      default -> 2;
    };
  }

  /** 1.2 MiB style. */
  public static String bytes(long n) {
    double v = n;
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }

  /** 3.4 ms style. */
  public static String nanos(long n) {
    if (n >= 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f s", n / 1e9);
    }
    if (n >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", n / 1e6);
    }
    if (n >= 1_000) {
      return String.format(Locale.ROOT, "%.1f µs", n / 1e3);
    }
    return n + " ns";
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
