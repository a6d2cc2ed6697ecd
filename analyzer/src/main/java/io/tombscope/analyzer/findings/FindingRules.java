package io.tombscope.analyzer.findings;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.DeletePattern;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.read.Release;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The rules that turn an analysis into findings, ranked by memory at stake (then by severity). Each
 * rule and threshold is documented in {@code docs/findings.md}; keep the two in step.
 */
public final class FindingRules {
  static final double TOMBSTONE_RATIO = 0.25;
  static final long TOMBSTONE_MIN = 64;
  static final double OVERSIZE_SLOTS_PER_ENTRY = 4.0;
  static final long OVERSIZE_MIN_BYTES = 64 * 1024;
  static final long SAME_SIZE_GROWS_MIN = 3;
  static final double MISS_RATIO = 0.5;
  static final long MISS_MIN = 1000;
  static final long DEAD_SLOTS_MIN = 4096;
  static final double DEAD_SLOTS_RATIO = 0.75;
  static final long STALE_MIN = 64;
  static final double STALE_RATIO = 0.25;
  static final long SILENT_DELETES_MIN = 1;
  static final long KEPT_MIN_BYTES = 16 << 20;
  static final double KEPT_RSS_RATIO = 0.25;
  static final long HIGH_BYTES = 1 << 20;
  static final long MEDIUM_BYTES = 64 * 1024;

  private FindingRules() {}

  public static List<Finding> apply(Analysis a) {
    List<Finding> findings = new ArrayList<>();
    for (SiteAnalysis s : a.sites()) {
      int first = findings.size();
      // Tombstones, trim() and same-size grows exist in BucketHashMap only.
      if (s.family() == MapFamily.BUCKET) {
        tombstones(s, findings);
        oversized(s, findings);
        sameSizeGrows(s, findings);
      }
      if (s.family().keepsPeakCapacity()) {
        peakCapacity(s, findings);
      }
      if (s.family().hasStaleEntries()) {
        staleEntries(s, findings);
      }
      silentDeletes(s, findings);
      missStorm(s, findings);
      // Counts of a sampled site are those of its tracked maps: say so wherever they are quoted.
      // A map built inside the JDK is fixed in the program code that reaches it: name that code.
      String program = s.record().programFrame();
      String reached =
          program == null
              ? ""
              : " The map is built inside the JDK; the program's own code that reaches it is "
                  + program
                  + ".";
      for (int i = first; i < findings.size(); i++) {
        Finding f = findings.get(i);
        findings.set(
            i,
            new Finding(
                f.severity(),
                f.site(),
                f.siteLabel(),
                f.title() + s.trackedNote(),
                f.detail() + reached,
                f.bytesAtStake()));
      }
    }
    for (Release r : a.releases()) {
      if (r.mapsPending() > 0 && r.pendingBytes() > 0) {
        findings.add(
            new Finding(
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
                r.pendingBytes()));
      }
    }
    for (Release r : a.releases()) {
      memoryKept(r, a.recording().meta().inputArguments(), findings);
    }
    findings.sort(
        Comparator.comparingLong(Finding::bytesAtStake)
            .reversed()
            .thenComparing(f -> rank(f.severity()))
            .thenComparing(Finding::site));
    return List.copyOf(findings);
  }

  private static void tombstones(SiteAnalysis s, List<Finding> out) {
    if (s.tombstonesLive() < TOMBSTONE_MIN || s.tombstoneRatio() < TOMBSTONE_RATIO) {
      return;
    }
    String probes =
        s.missProbeMean() > 0 && s.hitProbeMean() > 0
            ? String.format(
                Locale.ROOT,
                "; delete misses examine %.1f× more slots than hits (%.1f against %.1f)",
                s.missProbeMean() / s.hitProbeMean(),
                s.missProbeMean(),
                s.hitProbeMean())
            : "";
    String action =
        s.pattern() == DeletePattern.BULK_LOAD_THEN_DRAIN
            ? "recreate or trim() the map at %s after bulk deletes"
            : "trim() the map at %s, or recreate it, when deletes pile up";
    out.add(
        new Finding(
            severity(s.reclaimableBytes(), s.tombstoneRatio() >= 0.5),
            s.id(),
            s.label(),
            String.format(Locale.ROOT, action, s.label()),
            String.format(
                Locale.ROOT,
                "%.0f%% of its slots are tombstones (%,d of %,d)%s. Lookups walk past every one;"
                    + " trim() would give back about %s.",
                100 * s.tombstoneRatio(),
                s.tombstonesLive(),
                s.slots(),
                probes,
                bytes(s.reclaimableBytes())),
            s.reclaimableBytes()));
  }

  private static void oversized(SiteAnalysis s, List<Finding> out) {
    if (s.reclaimableBytes() < OVERSIZE_MIN_BYTES
        || s.slots() < OVERSIZE_SLOTS_PER_ENTRY * Math.max(1, s.size())
        || s.tombstoneRatio() >= TOMBSTONE_RATIO) {
      return;
    }
    out.add(
        new Finding(
            severity(s.reclaimableBytes(), false),
            s.id(),
            s.label(),
            String.format(Locale.ROOT, "the map at %s keeps its peak size: trim() it", s.label()),
            String.format(
                Locale.ROOT,
                "It holds %,d entries in %,d slots (peak size %,d): Go's map, and this one, never"
                    + " shrink on their own. trim() would give back about %s.",
                s.size(),
                s.slots(),
                s.peakSize(),
                bytes(s.reclaimableBytes())),
            s.reclaimableBytes()));
  }

  private static void sameSizeGrows(SiteAnalysis s, List<Finding> out) {
    if (s.sameSizeGrows() < SAME_SIZE_GROWS_MIN) {
      return;
    }
    long overflowBytes = s.overflowBuckets() * 8 * 9;
    out.add(
        new Finding(
            s.sameSizeGrows() >= 20 ? "medium" : "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "churn at %s rebuilt the map %,d times at the same size",
                s.label(),
                s.sameSizeGrows()),
            String.format(
                Locale.ROOT,
                "Deletes leave tombstones, inserts of new keys chain overflow buckets, and every"
                    + " 2^min(B,15) overflow buckets trigger a same-size grow that moves every entry"
                    + " (%,d entries moved, %s spent growing). Size the map for its peak or trim() it"
                    + " at quiet moments.",
                s.entriesMoved(),
                nanos(s.growNanos())),
            overflowBytes));
  }

  private static void peakCapacity(SiteAnalysis s, List<Finding> out) {
    if (s.deadSlots() < DEAD_SLOTS_MIN || s.deadSlots() < DEAD_SLOTS_RATIO * s.slots()) {
      return;
    }
    String mapClass = shrinkClass(s);
    out.add(
        new Finding(
            severity(s.deadSlotBytes(), false),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "peak capacity retained after deletes in the %s at %s: copy into a new map to"
                    + " shrink: map = new %s<>(map)",
                s.family().className,
                s.label(),
                mapClass),
            String.format(
                Locale.ROOT,
                "%,d of its %,d table slots are dead (%.0f%%): it holds %,d entries (peak %,d) in a"
                    + " table sized for its peak, and %s never shrinks its table. A copy would"
                    + " give back about %s of table.",
                s.deadSlots(),
                s.slots(),
                100.0 * s.deadSlots() / Math.max(1, s.slots()),
                s.size(),
                s.peakSize(),
                s.family().className,
                bytes(s.deadSlotBytes())),
            s.deadSlotBytes()));
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

  private static void staleEntries(SiteAnalysis s, List<Finding> out) {
    if (s.staleEntries() < STALE_MIN || s.staleEntries() < STALE_RATIO * s.size()) {
      return;
    }
    String title;
    String detail;
    if (s.family() == MapFamily.WEAK) {
      title =
          String.format(
              Locale.ROOT,
              "%,d stale entries (collected keys) still counted in the WeakHashMap at %s: they are"
                  + " expunged only when the map is next used",
              s.staleEntries(),
              s.label());
      detail =
          String.format(
              Locale.ROOT,
              "%,d of its %,d entries lost their keys to the collector, but their entries and"
                  + " values (at least %s) stay until a call on the map expunges them (%,d expunged"
                  + " so far). Touch the map (size()) after its keys die, or drop it.",
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
            severity(s.staleBytes(), false), s.id(), s.label(), title, detail, s.staleBytes()));
  }

  private static void silentDeletes(SiteAnalysis s, List<Finding> out) {
    if (s.silentDeletes() < SILENT_DELETES_MIN) {
      return;
    }
    out.add(
        new Finding(
            "low",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%,d remove() calls at %s removed a key mapped to null and returned null, like a"
                    + " miss: use containsKey or remove(key, value)",
                s.silentDeletes(),
                s.label()),
            "remove(key) returns the old value, and null both when the key was absent and when it"
                + " was mapped to null: code that tests the result for null cannot tell a removal"
                + " from a miss.",
            0));
  }

  private static void missStorm(SiteAnalysis s, List<Finding> out) {
    if (s.deleteMisses() < MISS_MIN || s.missRatio() < MISS_RATIO) {
      return;
    }
    String cost =
        s.family() == MapFamily.BUCKET
            ? String.format(
                Locale.ROOT,
                "A miss returns quietly (Go's delete is silent too) but still walks the chain to"
                    + " its emptyRest%s.",
                s.missProbeMean() > 0
                    ? String.format(Locale.ROOT, ": %.1f slots each on average", s.missProbeMean())
                    : "")
            : "A miss returns null quietly but still hashes the key and searches its bin.";
    out.add(
        new Finding(
            "medium",
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%.0f%% of the deletes at %s miss: check before deleting, or stop deleting absent"
                    + " keys",
                100 * s.missRatio(),
                s.label()),
            String.format(Locale.ROOT, "%,d deletes found nothing. %s", s.deleteMisses(), cost),
            0));
  }

  /**
   * A release freed heap but the machine got little of it back because the collector kept the
   * memory committed. At exit that no longer matters, so exit releases are left out.
   */
  private static void memoryKept(Release r, List<String> jvmArguments, List<Finding> out) {
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
            freed - Math.max(0, rss)));
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

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
