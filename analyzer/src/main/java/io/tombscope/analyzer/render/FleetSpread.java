package io.tombscope.analyzer.render;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.read.FleetFile;
import io.tombscope.reports.Column;
import io.tombscope.reports.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spread across the JVMs of a merged recording: per site, the JVM that deleted most and the one
 * whose maps took the most memory, against the median JVM; and the JVMs that stand out, at {@link
 * #STANDS_OUT} times the median JVM or more.
 */
final class FleetSpread {
  /** How far above the median JVM a JVM stands out. */
  static final double STANDS_OUT = 2.0;

  /** The fewest JVMs with a median worth comparing to. */
  static final int FEWEST_JVMS = 3;

  private FleetSpread() {}

  static Table table(Analysis a, FleetFile fleet) {
    List<List<Object>> rows = new ArrayList<>();
    for (SiteAnalysis s : a.sites()) {
      Map<Integer, FleetFile.SiteNumbers> byJvm = fleet.sites().getOrDefault(s.id(), Map.of());
      if (byJvm.isEmpty()) {
        continue;
      }
      int worstDeletes = worst(byJvm, FleetSpread::deletes);
      int worstBytes = worst(byJvm, FleetSpread::peakBytes);
      long[] bytes = byJvm.values().stream().mapToLong(FleetSpread::peakBytes).toArray();
      long median = median(bytes);
      long top = peakBytes(byJvm.get(worstBytes));
      rows.add(
          List.of(
              "#" + s.id() + " " + s.record().label(),
              byJvm.size(),
              name(fleet, worstDeletes),
              deletes(byJvm.get(worstDeletes)),
              name(fleet, worstBytes),
              top,
              median,
              median == 0 ? 0.0 : Math.round(10.0 * top / median) / 10.0));
    }
    return new Table(
        List.of(
            new Column("site", false),
            new Column("JVMs", true),
            new Column("most deletes: JVM", false),
            new Column("deletes", true),
            new Column("most memory: JVM", false),
            new Column("peak bytes", true),
            new Column("median JVM's", true),
            new Column("× median", true)),
        rows);
  }

  /** One sentence per JVM that stands out, or a sentence that none does. */
  static String standouts(Analysis a, FleetFile fleet) {
    if (fleet.jvms().size() < FEWEST_JVMS) {
      return fleet.jvms().size()
          + " JVMs: too few for a median to compare them with; the table above names the worst"
          + " per site.";
    }
    Map<Integer, long[]> totals = new HashMap<>();
    for (Map<Integer, FleetFile.SiteNumbers> byJvm : fleet.sites().values()) {
      byJvm.forEach(
          (jvm, n) -> {
            long[] t = totals.computeIfAbsent(jvm, k -> new long[2]);
            t[0] += deletes(n);
            t[1] += peakBytes(n);
          });
    }
    long[] allDeletes = new long[fleet.jvms().size()];
    long[] allBytes = new long[fleet.jvms().size()];
    for (int i = 0; i < fleet.jvms().size(); i++) {
      long[] t = totals.getOrDefault(fleet.jvms().get(i).number(), new long[2]);
      allDeletes[i] = t[0];
      allBytes[i] = t[1];
    }
    long medianDeletes = median(allDeletes);
    long medianBytes = median(allBytes);
    List<String> out = new ArrayList<>();
    for (FleetFile.Jvm j : fleet.jvms()) {
      long[] t = totals.getOrDefault(j.number(), new long[2]);
      List<String> why = new ArrayList<>();
      if (medianDeletes > 0 && t[0] >= STANDS_OUT * medianDeletes) {
        why.add(times(t[0], medianDeletes) + " the median JVM's deletes");
      }
      if (medianBytes > 0 && t[1] >= STANDS_OUT * medianBytes) {
        why.add(times(t[1], medianBytes) + " its map memory at the peak");
      }
      if (t[0] == 0 && medianDeletes > 0) {
        why.add("no deletes where the median JVM made " + medianDeletes);
      }
      if (!why.isEmpty()) {
        out.add(
            j.name()
                + (j.pid() > 0 ? " (pid " + j.pid() + ")" : "")
                + ": "
                + String.join(", ", why));
      }
    }
    if (out.isEmpty()) {
      return String.format(
          Locale.ROOT,
          "None of the %d JVMs stands out: none deleted or held %.0f× what the median JVM did.",
          fleet.jvms().size(),
          STANDS_OUT);
    }
    return String.join(". ", out) + ".";
  }

  private static String times(long value, long median) {
    return String.format(Locale.ROOT, "%.1f×", (double) value / median);
  }

  private static long deletes(FleetFile.SiteNumbers n) {
    return n.counter("deleteHits") + n.counter("deleteMisses");
  }

  private static long peakBytes(FleetFile.SiteNumbers n) {
    return n.gaugeMax("estimatedBytes");
  }

  private interface Metric {
    long of(FleetFile.SiteNumbers n);
  }

  /** The JVM with the highest {@code metric}, the lowest number on a tie. */
  private static int worst(Map<Integer, FleetFile.SiteNumbers> byJvm, Metric metric) {
    int worst = -1;
    long most = -1;
    for (var e : byJvm.entrySet()) {
      long v = metric.of(e.getValue());
      if (v > most || (v == most && e.getKey() < worst)) {
        most = v;
        worst = e.getKey();
      }
    }
    return worst;
  }

  private static String name(FleetFile fleet, int jvm) {
    FleetFile.Jvm j = fleet.jvm(jvm);
    return j == null ? "JVM " + jvm : j.name();
  }

  /** The median (the lower middle of an even count). */
  static long median(long[] values) {
    if (values.length == 0) {
      return 0;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2];
  }
}
