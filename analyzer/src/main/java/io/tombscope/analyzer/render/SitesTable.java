package io.tombscope.analyzer.render;

import io.tombscope.analyzer.analysis.Figures;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.reports.Column;
import io.tombscope.reports.Expandable;
import io.tombscope.reports.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report's tables of sites, one per kind of map with only the columns that mean something for
 * it: {@code BucketHashMap} sites by their tombstones, JDK sites by their dead slots and stale
 * entries. Rows are ranked by what the site's waste cost (its peak, then its byte-seconds), then by
 * the time its deletes took, then by its deletes. Sites that share an allocation line are one row
 * whose stacks unfold under it; sites that never deleted are folded into one row at the end.
 */
final class SitesTable {
  private SitesTable() {}

  /** A heading and its table, in the order the report shows them. */
  record Titled(String heading, Table table) {}

  static List<Titled> tables(List<SiteAnalysis> sites) {
    List<Titled> tables = new ArrayList<>();
    List<SiteAnalysis> bucket = sites.stream().filter(s -> s.family() == MapFamily.BUCKET).toList();
    List<SiteAnalysis> trove = sites.stream().filter(s -> s.family() == MapFamily.TROVE).toList();
    List<SiteAnalysis> jctools =
        sites.stream().filter(s -> s.family() == MapFamily.JCTOOLS).toList();
    List<SiteAnalysis> fastutil =
        sites.stream().filter(s -> s.family() == MapFamily.FASTUTIL).toList();
    List<SiteAnalysis> jdk =
        sites.stream()
            .filter(s -> !s.family().hasTombstones() && s.family() != MapFamily.FASTUTIL)
            .toList();
    if (!bucket.isEmpty()) {
      tables.add(new Titled("Sites: BucketHashMap", bucketTable(bucket)));
    }
    // Trove's tombstones are counted as BucketHashMap's are: the same columns.
    if (!trove.isEmpty()) {
      tables.add(new Titled("Sites: Trove maps", bucketTable(trove)));
    }
    // JCTools' dead keys take the tombstone columns; they are estimates, read from the map.
    if (!jctools.isEmpty()) {
      tables.add(
          new Titled(
              "Sites: JCTools maps (dead keys as tombstones, estimates)", bucketTable(jctools)));
    }
    // fastutil leaves no tombstones: its cost is resizing.
    if (!fastutil.isEmpty()) {
      tables.add(new Titled("Sites: fastutil maps", resizeTable(fastutil)));
    }
    if (!jdk.isEmpty()) {
      tables.add(new Titled("Sites: JDK maps", jdkTable(jdk)));
    }
    return tables;
  }

  /** Sites of one allocation line and map class: one row. */
  private record Group(List<SiteAnalysis> sites) {
    SiteAnalysis first() {
      return sites.get(0);
    }

    long sum(java.util.function.ToLongFunction<SiteAnalysis> f) {
      return sites.stream().mapToLong(f).reduce(0, Figures::sum);
    }

    long max(java.util.function.ToLongFunction<SiteAnalysis> f) {
      return sites.stream().mapToLong(f).max().orElse(0);
    }

    String ids() {
      return sites.stream().map(s -> "#" + s.id()).collect(Collectors.joining(" "));
    }

    long wasteBytes() {
      return sum(s -> Math.max(s.waste().peakBytes(), s.reclaimableBytes()));
    }

    long byteSeconds() {
      return sum(s -> s.waste().byteSeconds());
    }

    long deleteNanos() {
      return sum(s -> Figures.nanos(s.deletes(), s.deleteLatencyMeanNanos()));
    }

    double missRatio() {
      long deletes = sum(SiteAnalysis::deletes);
      return deletes == 0 ? 0 : (double) sum(SiteAnalysis::deleteMisses) / deletes;
    }
  }

  private static final Comparator<Group> BY_COST =
      Comparator.comparingLong(Group::wasteBytes)
          .thenComparingLong(Group::byteSeconds)
          .thenComparingLong(Group::deleteNanos)
          .thenComparingLong(g -> g.sum(SiteAnalysis::deletes))
          .reversed()
          .thenComparingInt(g -> g.first().id());

  /** Groups the sites that delete by allocation line and class, ranked; insert-only ones apart. */
  private static List<Group> groups(List<SiteAnalysis> sites) {
    Map<String, List<SiteAnalysis>> byLine = new LinkedHashMap<>();
    for (SiteAnalysis s : sites) {
      if (!insertOnly(s)) {
        byLine
            .computeIfAbsent(s.record().mapClass + " " + s.tableLabel(), k -> new ArrayList<>())
            .add(s);
      }
    }
    return byLine.values().stream().map(Group::new).sorted(BY_COST).toList();
  }

  static boolean insertOnly(SiteAnalysis s) {
    return s.deletes() == 0 && s.clears() == 0 && s.silentDeletes() == 0;
  }

  /** The allocation cell: the line, and under it every stack of the sites that share it. */
  private static Object allocation(Group g) {
    SiteAnalysis first = g.first();
    List<String> lines = new ArrayList<>();
    for (SiteAnalysis s : g.sites()) {
      List<String> frames = s.record().allocationSite;
      if (g.sites().size() > 1) {
        lines.add(String.format(Locale.ROOT, "#%d (%,d maps):", s.id(), s.maps()));
      }
      lines.addAll(frames);
    }
    String text = shortFrame(first.label());
    String program = first.record().programFrame();
    if (program != null) {
      text += " ← " + shortFrame(program);
    }
    if (first.record().grown) {
      text +=
          String.format(
              Locale.ROOT, " (tracked from its growth to %,d slots)", first.record().grownToSlots);
    } else if (first.record().trackedAtDelete) {
      text += " (tracked from a delete)";
    }
    return lines.size() > 1 || !lines.isEmpty() && !lines.get(0).equals(first.label())
        ? new Expandable(text, lines)
        : text;
  }

  /**
   * A frame without its package: {@code Types.isSameType(Types.java:2194)} for {@code
   * com.sun.tools.javac.code.Types.isSameType(Types.java:2194)}; the whole frame unfolds under it.
   */
  static String shortFrame(String frame) {
    int paren = frame.indexOf('(');
    String method = paren < 0 ? frame : frame.substring(0, paren);
    int dot = method.lastIndexOf('.', method.lastIndexOf('.') - 1);
    return frame.substring(dot + 1);
  }

  /** Adds the folded row of insert-only sites, with their maps and bytes, if there are any. */
  private static void addInsertOnlyRow(
      List<List<Object>> rows, List<SiteAnalysis> sites, int columns, int mapsAt, int bytesAt) {
    List<Object> quiet = insertOnlyRow(sites, columns, mapsAt);
    if (quiet != null) {
      quiet.set(
          bytesAt,
          sites.stream()
              .filter(SitesTable::insertOnly)
              .mapToLong(SiteAnalysis::estimatedBytes)
              .reduce(0, Figures::sum));
      rows.add(quiet);
    }
  }

  /** The folded row of insert-only sites, or null when there are none. */
  private static List<Object> insertOnlyRow(List<SiteAnalysis> sites, int columns, int mapsAt) {
    List<SiteAnalysis> quiet = sites.stream().filter(SitesTable::insertOnly).toList();
    if (quiet.isEmpty()) {
      return null;
    }
    List<String> lines = new ArrayList<>();
    for (SiteAnalysis s : quiet) {
      lines.add(String.format(Locale.ROOT, "#%d %s (%,d maps)", s.id(), s.tableLabel(), s.maps()));
    }
    Object[] row = new Object[columns];
    row[0] = quiet.size() + " sites";
    row[1] =
        new Expandable(
            String.format(Locale.ROOT, "%,d insert-only sites: no deletes, no waste", quiet.size()),
            lines);
    row[mapsAt] = quiet.stream().mapToLong(SiteAnalysis::maps).sum();
    return Arrays.asList(row);
  }

  private static Table bucketTable(List<SiteAnalysis> sites) {
    List<List<Object>> rows = new ArrayList<>();
    for (Group g : groups(sites)) {
      SiteAnalysis s = g.first();
      long slots = g.sum(SiteAnalysis::slots);
      rows.add(
          Arrays.asList(
              g.ids(),
              allocation(g),
              s.pattern().label,
              g.sum(SiteAnalysis::maps),
              g.sum(SiteAnalysis::deletes),
              round(100 * g.missRatio()),
              g.sum(SiteAnalysis::tombstonesLive),
              g.max(SiteAnalysis::tombstonesPeak),
              round(slots == 0 ? 0 : 100.0 * g.sum(SiteAnalysis::tombstonesLive) / slots),
              g.sum(SiteAnalysis::sameSizeGrows),
              g.sum(SiteAnalysis::estimatedBytes),
              g.sum(SiteAnalysis::reclaimableBytes),
              probes(s)));
    }
    addInsertOnlyRow(rows, sites, 13, 3, 10);
    return new Table(
        List.of(
            new Column("site", false),
            new Column("allocation site", false),
            new Column("pattern", false),
            new Column("maps", true),
            new Column("deletes", true),
            new Column("miss %", true),
            new Column("tombstones", true),
            new Column("peak", true),
            new Column("% slots", true),
            new Column("same-size grows", true),
            new Column("bytes", true),
            new Column("reclaimable", true),
            new Column("probe hit / miss", false)),
        rows);
  }

  private static Table jdkTable(List<SiteAnalysis> sites) {
    List<List<Object>> rows = new ArrayList<>();
    for (Group g : groups(sites)) {
      SiteAnalysis s = g.first();
      rows.add(
          Arrays.asList(
              g.ids(),
              allocation(g),
              s.trackedOneIn() > 1
                  ? s.record().family + " 1/" + s.trackedOneIn()
                  : s.record().family,
              s.pattern().label,
              g.sum(SiteAnalysis::maps),
              g.sum(SiteAnalysis::deletes),
              round(100 * g.missRatio()),
              g.max(SiteAnalysis::peakSize),
              g.sum(SiteAnalysis::slots),
              g.sum(SitesTable::deadOrStale),
              g.sum(x -> x.waste().peakBytes()),
              g.byteSeconds(),
              g.sum(SiteAnalysis::estimatedBytes)));
    }
    addInsertOnlyRow(rows, sites, 13, 4, 12);
    return new Table(
        List.of(
            new Column("site", false),
            new Column("allocation site", false),
            new Column("family", false),
            new Column("pattern", false),
            new Column("maps", true),
            new Column("deletes", true),
            new Column("miss %", true),
            new Column("peak size", true),
            new Column("slots", true),
            new Column("dead / stale", true),
            new Column("peak waste B", true),
            new Column("waste B·s", true),
            new Column("bytes", true)),
        rows);
  }

  /** Sites of maps that resize on removes (fastutil): their grows, shrinks and trims. */
  private static Table resizeTable(List<SiteAnalysis> sites) {
    List<List<Object>> rows = new ArrayList<>();
    for (Group g : groups(sites)) {
      SiteAnalysis s = g.first();
      rows.add(
          Arrays.asList(
              g.ids(),
              allocation(g),
              s.pattern().label,
              g.sum(SiteAnalysis::maps),
              g.sum(SiteAnalysis::deletes),
              round(100 * g.missRatio()),
              g.max(SiteAnalysis::peakSize),
              g.sum(SiteAnalysis::slots),
              g.sum(SiteAnalysis::grows),
              g.sum(x -> x.record().counter("shrinks")),
              g.sum(x -> x.record().counter("trims")),
              round(g.sum(SiteAnalysis::growNanos) / 1e6),
              g.sum(SiteAnalysis::estimatedBytes),
              g.sum(SiteAnalysis::reclaimableBytes)));
    }
    addInsertOnlyRow(rows, sites, 14, 3, 12);
    return new Table(
        List.of(
            new Column("site", false),
            new Column("allocation site", false),
            new Column("pattern", false),
            new Column("maps", true),
            new Column("deletes", true),
            new Column("miss %", true),
            new Column("peak size", true),
            new Column("slots", true),
            new Column("grows", true),
            new Column("shrinks", true),
            new Column("trims", true),
            new Column("resize ms", true),
            new Column("bytes", true),
            new Column("trim() gives back", true)),
        rows);
  }

  /** A JDK site's own kind of waste now: dead slots, or stale entries. */
  private static long deadOrStale(SiteAnalysis s) {
    return s.family().hasStaleEntries() ? s.staleEntries() : s.deadSlots();
  }

  /** "1.2 / 3.4": mean slots examined by delete hits and misses. */
  private static String probes(SiteAnalysis s) {
    if (s.hitProbeMean() == 0 && s.missProbeMean() == 0) {
      return null;
    }
    return String.format(Locale.ROOT, "%.1f / %.1f", s.hitProbeMean(), s.missProbeMean());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
