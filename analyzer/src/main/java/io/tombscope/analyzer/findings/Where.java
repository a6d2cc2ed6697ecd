package io.tombscope.analyzer.findings;

import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.read.SiteRecord;
import java.util.List;
import java.util.Locale;

/** How findings name a site's maps and the line of code a fix goes to. */
final class Where {
  private Where() {}

  /**
   * What a library's maps at a site are called in a finding: "Eclipse Collections set" for a site
   * of the library's hash sets ({@code LongHashSet}, {@code IntOpenHashSet} …), "… map" otherwise.
   */
  static String kind(SiteAnalysis s, String library) {
    String mapClass = s.record().mapClass;
    return library
        + (mapClass != null && (mapClass.endsWith("HashSet") || mapClass.endsWith("UnifiedSet"))
            ? " set"
            : " map");
  }

  /**
   * "the HashMap at X" for a site of one map, "the 40 HashMaps built at X" for many: per-site
   * figures are sums over the site's maps, and a finding must not speak of one table.
   */
  static String theMaps(SiteAnalysis s, String className, long maps) {
    if (s.record().grown) {
      // The agent saw these maps only from the resize that made them big: where they grew.
      String grew =
          String.format(
              Locale.ROOT, "that grew to %,d slots at %s", s.record().grownToSlots, s.label());
      return maps <= 1
          ? "the " + className + " " + grew
          : String.format(Locale.ROOT, "the %,d %ss %s", maps, className, grew);
    }
    if (s.record().trackedAtDelete) {
      // Seen from one of its deletes on: where it was deleted from then.
      String deleted = "tracked from a delete at " + s.label();
      return maps <= 1
          ? "the " + className + " " + deleted
          : String.format(Locale.ROOT, "the %,d %ss %s", maps, className, deleted);
    }
    return maps <= 1
        ? "the " + className + " at " + s.label()
        : String.format(Locale.ROOT, "the %,d %ss built at %s", maps, className, s.label());
  }

  /**
   * The program's own line that builds the site's maps when a library or the JDK builds them (the
   * first frame is not the program's), else null.
   */
  static String programLine(SiteAnalysis s) {
    return s.record().programFrame();
  }

  /**
   * The library method the program called to get the map, the frame just before the program's own
   * ("com.github.benmanes.caffeine.cache.Caffeine.build"), or the map's first frame.
   */
  static String builder(SiteAnalysis s) {
    List<String> frames = s.record().allocationSite;
    String program = programLine(s);
    int at = program == null ? -1 : frames.indexOf(program);
    String frame = at > 0 ? frames.get(at - 1) : s.label();
    int paren = frame.indexOf('(');
    return paren < 0 ? frame : frame.substring(0, paren);
  }

  /**
   * The simple name of the class whose method {@link #builder} is, outer class first: {@code
   * UnboundedLocalCache} for {@code ...caffeine.cache.UnboundedLocalCache$Manual.put}.
   */
  static String builderClass(SiteAnalysis s) {
    String method = builder(s);
    int dot = method.lastIndexOf('.');
    String className = dot < 0 ? method : method.substring(0, dot);
    String simple = className.substring(className.lastIndexOf('.') + 1);
    int inner = simple.indexOf('$');
    return inner > 0 ? simple.substring(0, inner) : simple;
  }

  /** The line a waste finding asks to change: the program's own when a library built the map. */
  static String allocationLine(SiteAnalysis s) {
    String program = programLine(s);
    return program != null ? program : s.label();
  }

  /** "1.2 MiB for 3.0 s": what waste cost over the run. */
  static String held(long peakBytes, double heldSeconds) {
    return String.format(Locale.ROOT, "%s for %.1f s", FindingRules.bytes(peakBytes), heldSeconds);
  }

  /**
   * Whether the map's first frame is the JDK's own code (else a library's, when not the program's).
   */
  static boolean isJdkBuilt(SiteAnalysis s) {
    return SiteRecord.isJdkFrame(s.label());
  }
}
