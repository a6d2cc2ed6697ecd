package io.tombscope.analyzer.findings;

import static io.tombscope.analyzer.findings.FindingRules.bytes;
import static io.tombscope.analyzer.findings.FindingRules.severity;

import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * JCTools' rule, with its fix in JCTools' own terms: dead keys that a {@code NonBlockingHashMap}
 * keeps in their slots, strongly referenced, until a resize; the table never shrinks. Nothing in
 * the library compacts a map, so the fix is to recreate it after bulk removes, or to use {@code
 * ConcurrentHashMap}, which unlinks a removed entry at once, for keys that churn. The figures are
 * estimates (the map is concurrent), and the finding says so.
 */
final class JctoolsRules implements SiteRules {
  static final long DEAD_KEYS_MIN = 64;
  static final double DEAD_KEY_SLOT_RATIO = 0.25;

  @Override
  public boolean covers(MapFamily family) {
    return family == MapFamily.JCTOOLS;
  }

  @Override
  public void apply(SiteAnalysis s, Run run, List<Finding> out) {
    long dead = s.tombstonesLive();
    if (dead < DEAD_KEYS_MIN || (dead < s.size() && s.tombstoneRatio() < DEAD_KEY_SLOT_RATIO)) {
      return;
    }
    boolean objectKeys = !s.record().mapClass.endsWith("NonBlockingHashMapLong");
    out.add(
        new Finding(
            "jctoolsDeadKeys",
            severity(s.reclaimableBytes(), dead >= 4 * Math.max(1, s.size())),
            s.id(),
            s.label(),
            String.format(
                Locale.ROOT,
                "%s keep%s %,d dead keys: recreate %s after bulk removes, or use"
                    + " ConcurrentHashMap for keys that churn",
                Where.theMaps(s, "JCTools map", s.maps()),
                s.maps() <= 1 ? "s" : "",
                dead,
                s.maps() <= 1 ? "it" : "them"),
            String.format(
                Locale.ROOT,
                "About %,d removed keys sit in their slots with a TOMBSTONE value (at most %,d at"
                    + " once), against %,d live entries in %,d slots: estimates, read from the"
                    + " map's striped counters while threads may write it. %s Only a resize drops"
                    + " them, and the table never shrinks. Copying the live entries into a new"
                    + " NonBlockingHashMap and swapping the reference would give back about %s of"
                    + " table%s; ConcurrentHashMap unlinks a removed entry at once.",
                dead,
                s.tombstonesPeak(),
                s.size(),
                s.slots(),
                objectKeys
                    ? "Each dead key stays strongly referenced, and so does everything it"
                        + " references."
                    : "Its keys are longs, so no objects are kept, only slots.",
                bytes(s.reclaimableBytes()),
                objectKeys ? ", and the dead keys' own objects come on top" : ""),
            s.reclaimableBytes(),
            s.waste().byteSeconds(),
            Where.allocationLine(s)));
  }
}
