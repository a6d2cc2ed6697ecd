package io.tombscope.analyzer.render;

import static io.tombscope.analyzer.findings.FindingRules.bytes;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.findings.Finding;
import io.tombscope.analyzer.read.Release;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code tombscope summary}: the recording in a screenful of text. */
public final class SummaryText {
  private static final int SITES_SHOWN = 20;
  private static final int CALLERS_SHOWN = 5;

  private SummaryText() {}

  /** The three lines {@code tombscope demo} prints. */
  public static List<String> threeLines(Analysis a) {
    Analysis.Totals t = a.totals();
    long rssReleased = a.releasedRssBytes();
    long untracked = a.recording().untrackedDeletes();
    return List.of(
        String.format(
            Locale.ROOT,
            "deletes: %,d (%,d hits, %,d misses, %.0f%% missed) in %,d maps at %d sites%s",
            t.deletes(),
            t.deleteHits(),
            t.deleteMisses(),
            100 * t.missRatio(),
            t.mapsTracked(),
            a.sites().size(),
            untracked > 0
                ? String.format(Locale.ROOT, "; %,d more in JDK maps not tracked", untracked)
                : ""),
        String.format(
            Locale.ROOT,
            "tombstones: %,d live, %,d at peak, %,d reclaimed; grows: %,d (%,d same-size)",
            t.tombstonesLive(),
            t.tombstonesPeak(),
            t.tombstonesReclaimed(),
            t.grows(),
            t.sameSizeGrows()),
        a.releases().isEmpty()
            ? "releases: none recorded"
            : String.format(
                Locale.ROOT,
                "released: %s%s over %d release(s); %d finding(s)",
                heapReleased(a.releasedHeapBytes()),
                rssReleased < 0 ? "" : ", " + bytes(rssReleased) + " of RSS",
                a.releases().size(),
                a.findings().size()));
  }

  /**
   * Heap given back, in words: a release can end with more heap in use than it began with (the
   * program allocated meanwhile), which is said as such, not as a negative amount released.
   */
  static String heapReleased(long bytes) {
    return bytes >= 0 ? bytes(bytes) + " of heap" : "no heap (it grew " + bytes(-bytes) + ")";
  }

  /** The range read, as {@code Range: 0:10:00 to 0:20:00 of the recording (--from, --to).} */
  static String rangeLine(io.tombscope.analyzer.read.Recording r) {
    return "Range: intervals that end after "
        + clock(r.fromMs())
        + (r.toMs() == Long.MAX_VALUE ? " to the end" : " and by " + clock(r.toMs()))
        + " (--from, --to); counts are what happened within it";
  }

  /** {@code ms} since the start as h:mm:ss(.mmm). */
  private static String clock(long ms) {
    long s = ms / 1000;
    String clock = String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    return ms % 1000 == 0 ? clock : clock + String.format(Locale.ROOT, ".%03d", ms % 1000);
  }

  public static String render(Analysis a) {
    StringBuilder out = new StringBuilder();
    var m = a.recording().meta();
    out.append(
        String.format(
            Locale.ROOT,
            "Recording %s: %s, %.1f s, %s%s%n%n",
            a.recording().directory(),
            m.mainCommand().isEmpty() ? "pid " + m.pid() : m.mainCommand(),
            a.recording().durationMs() / 1000.0,
            m.jvm(),
            a.recording().ended() ? "" : " (" + a.recording().endNote() + ")"));
    if (a.recording().ranged()) {
      out.append(rangeLine(a.recording())).append("\n\n");
    }
    for (String line : threeLines(a)) {
      out.append(line).append('\n');
    }
    List<SiteAnalysis> jdk = a.sites().stream().filter(s -> s.record().isJdk()).toList();
    if (!jdk.isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "JDK maps: %d site(s), %,d dead slots, %,d stale entries, %,d silent deletes%s%n",
              jdk.size(),
              a.totals().deadSlots(),
              a.totals().staleEntries(),
              a.totals().silentDeletes(),
              jdk.stream().anyMatch(s -> s.trackedOneIn() > 1)
                  ? " (sampled sites count their tracked maps only)"
                  : ""));
    }
    int shown = Math.min(SITES_SHOWN, a.sites().size());
    out.append('\n')
        .append(
            shown < a.sites().size()
                ? String.format(
                    Locale.ROOT,
                    "Sites by deletes (%d of %d; --json lists all):%n",
                    shown,
                    a.sites().size())
                : "Sites by deletes:\n");
    out.append(
        String.format(
            Locale.ROOT,
            "  %4s %-52s %-17s %12s %8s %10s %10s %8s %10s %10s  %s%n",
            "id",
            "allocation site",
            "family",
            "deletes",
            "miss%",
            "tombstones",
            "peak",
            "tomb%",
            "dead/stale",
            "reclaim",
            "pattern"));
    a.sites().stream()
        .sorted(Comparator.comparingLong(SiteAnalysis::deletes).reversed())
        .limit(SITES_SHOWN)
        .forEach(
            s ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %4d %-52s %-17s %,12d %7.1f%% %,10d %,10d %7.1f%% %10s %10s  %s%n",
                        s.id(),
                        shorten(s.tableLabel(), 52),
                        shorten(
                            s.record().family
                                + (s.trackedOneIn() > 1 ? " 1/" + s.trackedOneIn() : ""),
                            17),
                        s.deletes(),
                        100 * s.missRatio(),
                        s.tombstonesLive(),
                        s.tombstonesPeak(),
                        100 * s.tombstoneRatio(),
                        deadOrStale(s),
                        bytes(s.reclaimableBytes()),
                        s.pattern().label)));
    if (!a.deleteSites().isEmpty()) {
      out.append("\nDeletes by caller (sampled, estimates):\n");
      a.deleteSites().stream()
          .limit(CALLERS_SHOWN)
          .forEach(
              d -> {
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %,14d %6.1f%% missed  site %-4s %s%n",
                        d.deletes(),
                        d.deletes() == 0 ? 0.0 : 100.0 * d.deleteMisses() / d.deletes(),
                        ReportBuilder.siteIds(d.sites()),
                        d.frame()));
                if (!d.callers().isEmpty()) {
                  out.append(String.format(Locale.ROOT, "%43s← %s%n", "", d.callers().get(0)));
                }
              });
    }
    if (!a.releases().isEmpty()) {
      out.append("\nReleases:\n");
      for (Release r : a.releases()) {
        out.append(
            String.format(
                Locale.ROOT,
                "  %.1f s %-6s heap used %s -> %s,%s map bytes %s -> %s, tombstones %,d -> %,d%n",
                r.t() / 1000.0,
                r.trigger(),
                bytes(r.before().heapUsedBytes()),
                bytes(r.after().heapUsedBytes()),
                !r.rssKnown()
                    ? ""
                    : " RSS "
                        + bytes(r.before().rssBytes())
                        + " -> "
                        + bytes(r.after().rssBytes())
                        + ",",
                bytes(r.before().mapBytes()),
                bytes(r.after().mapBytes()),
                r.before().tombstones(),
                r.after().tombstones()));
      }
    }
    out.append("\nFindings:\n");
    if (a.findings().isEmpty()) {
      out.append("  ").append(Coverage.noFindings(a)).append('\n');
    }
    for (Finding f : a.findings()) {
      out.append("  [").append(f.severity()).append("] ").append(f.title()).append('\n');
      out.append("         ").append(f.detail()).append('\n');
    }
    String notSeen = Coverage.notSeen(a);
    if (!a.findings().isEmpty() && !notSeen.isEmpty()) {
      out.append("  Not seen: ").append(notSeen).append('\n');
    }
    if (!a.sites().isEmpty()) {
      out.append("\n--site ID prints one site in full: its whole allocation stack and callers.\n");
    }
    for (String w : a.recording().warnings()) {
      out.append("\nwarning: ").append(w).append('\n');
    }
    if (a.recording().skippedLines() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "%n%,d line(s) of the recording skipped: see the warnings above%n",
              a.recording().skippedLines()));
    }
    return out.toString();
  }

  /**
   * A JDK site's own kind of waste, "-" for BucketHashMap sites (their tombstones have a column).
   */
  private static String deadOrStale(SiteAnalysis s) {
    if (s.family().keepsPeakCapacity()) {
      return String.format(Locale.ROOT, "%,d", s.deadSlots());
    }
    return s.family().hasStaleEntries() ? String.format(Locale.ROOT, "%,d", s.staleEntries()) : "-";
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
  }
}
