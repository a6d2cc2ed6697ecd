package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.seconds;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.read.Release;
import java.util.List;
import java.util.Locale;

/** Rules about memory releases: maps a release could not compact, memory the JVM kept. */
final class ReleaseRules {
  static final long KEPT_MIN_BYTES = 16 << 20;
  static final double KEPT_RSS_RATIO = 0.25;

  private ReleaseRules() {}

  /** A release left maps pending, with bytes a compaction would have given back. */
  static void pending(Release r, List<Finding> out) {
    if (r.mapsPending() > 0 && r.pendingBytes() > 0) {
      out.add(
          new Finding(
              "pendingRelease",
              severity(r.pendingBytes(), false),
              0,
              "release at " + seconds(r.t()),
              String.format(
                  Locale.ROOT,
                  "%d maps were not written during the %s release: %s stays reclaimable",
                  r.mapsPending(),
                  r.trigger(),
                  bytes(r.pendingBytes())),
              "A map compacts at its next write, in its own thread. Trigger the release from the"
                  + " thread that owns the maps (Tombscope.release()) or call trim() there.",
              r.pendingBytes(),
              0,
              ""));
    }
  }

  /**
   * A release freed heap but the machine got little of it back because the collector kept the
   * memory committed. At exit that no longer matters, so exit releases are left out.
   */
  static void memoryKept(Release r, List<String> jvmArguments, List<Finding> out) {
    long freed = r.released().heapUsedBytes();
    long rss = r.released().rssBytes();
    if (r.trigger().equals("exit")
        || !r.rssKnown()
        || freed < KEPT_MIN_BYTES
        || rss >= KEPT_RSS_RATIO * freed
        || r.released().heapCommittedBytes() >= KEPT_RSS_RATIO * freed) {
      return;
    }
    String xms = lastArgument(jvmArguments, "-Xms");
    String xmx = lastArgument(jvmArguments, "-Xmx");
    String why =
        xms != null && xms.equalsIgnoreCase(xmx)
            ? "-Xms equals -Xmx (" + xms + "), so the heap never shrinks: set -Xms lower"
            : "the collector keeps the freed heap committed: lower -XX:MaxHeapFreeRatio (default"
                + " 70; for example -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10), or with G1"
                + " set -XX:G1PeriodicGCInterval so an idle JVM gives memory back";
    out.add(
        new Finding(
            "memoryKept",
            severity(freed - Math.max(0, rss), false),
            0,
            "release at " + seconds(r.t()),
            String.format(
                Locale.ROOT,
                "the %s release freed %s of heap but RSS %s: the JVM kept the memory",
                r.trigger(),
                bytes(freed),
                rss <= 0 ? "did not fall" : "fell by only " + bytes(rss)),
            String.format(
                Locale.ROOT,
                "Heap committed fell by %s. The freed heap is reused by the program but not given"
                    + " back to the machine: %s.",
                bytes(r.released().heapCommittedBytes()),
                why),
            freed - Math.max(0, rss),
            0,
            ""));
  }

  /** The value of the last JVM argument starting with {@code prefix} (the one that counts). */
  private static String lastArgument(List<String> arguments, String prefix) {
    String value = null;
    for (String arg : arguments) {
      if (arg.startsWith(prefix)) {
        value = arg.substring(prefix.length());
      }
    }
    return value;
  }
}
