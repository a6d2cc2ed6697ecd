package io.tombscope.analyzer.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.render.ReportBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of Eclipse Collections maps (sentinels at or above the live entries, tables kept at
 * their peak), each shown to fire and not to fire, and their report section and sites table.
 */
class EclipseFindingsTest {
  private static final String SITE =
      "{\"site\":1,\"mapClass\":"
          + "\"org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap\","
          + "\"family\":\"eclipse\",\"trackedOneIn\":1,"
          + "\"allocationSite\":[\"com.acme.Sessions.<init>(Sessions.java:12)\"],\"t\":0}";

  @TempDir Path tmp;
  private int recordings;

  /** One site, one interval: {maps, size, slots, sentinels, estimatedBytes, trimmedBytes}. */
  private Analysis one(long[] gauge, long deleteHits) throws Exception {
    return SingleSite.analyze(
        tmp.resolve("rec" + recordings++),
        SITE,
        gauge,
        List.of(),
        "deleteHits",
        deleteHits,
        "tombstonesCreated",
        deleteHits);
  }

  private static List<Finding> kind(Analysis a, String kind) {
    return SingleSite.kind(a, kind);
  }

  @Test
  void sentinelsAboveTheEntriesAskForTrimToSize() throws Exception {
    Analysis a = one(new long[] {1, 400, 8_192, 3_000, 200_000, 20_000}, 30_000);
    assertEquals(MapFamily.ECLIPSE, a.sites().get(0).family());
    assertEquals(3_000, a.sites().get(0).tombstonesLive());
    List<Finding> found = kind(a, "eclipseSentinels");
    assertEquals(1, found.size(), a.findings().toString());
    Finding f = found.get(0);
    assertTrue(f.title().contains("trimToSize()"), f.title());
    assertTrue(f.title().contains("com.acme.Sessions.<init>(Sessions.java:12)"), f.title());
    assertTrue(f.detail().contains("3,000 sentinels against 400 live entries"), f.detail());
    assertEquals(180_000, f.bytesAtStake());
    assertEquals("medium", f.severity(), "180 KB, 37% of the slots");
    assertTrue(kind(a, "eclipsePeakTable").isEmpty(), "one finding for one cause");
    assertTrue(kind(a, "tombstones").isEmpty(), "BucketHashMap's rule is not this family's");
  }

  @Test
  void fewerSentinelsThanEntriesAreNoFinding() throws Exception {
    Analysis a = one(new long[] {1, 3_000, 8_192, 2_900, 200_000, 190_000}, 30_000);
    assertTrue(kind(a, "eclipseSentinels").isEmpty(), a.findings().toString());
    assertTrue(kind(a, "eclipsePeakTable").isEmpty(), a.findings().toString());
  }

  @Test
  void aDrainedTableKeptAtItsPeakAsksForTrimToSize() throws Exception {
    Analysis a = one(new long[] {1, 50, 131_072, 0, 1_600_000, 2_000}, 60_000);
    List<Finding> found = kind(a, "eclipsePeakTable");
    assertEquals(1, found.size(), a.findings().toString());
    assertTrue(found.get(0).title().contains("trimToSize()"), found.get(0).title());
    assertEquals(1_598_000, found.get(0).bytesAtStake());
    assertEquals("high", found.get(0).severity());

    Analysis small = one(new long[] {1, 50, 256, 0, 4_000, 2_000}, 600);
    assertTrue(kind(small, "eclipsePeakTable").isEmpty(), small.findings().toString());
  }

  @Test
  void aUnifiedSetKeptAtItsPeakAsksForTrimToSizeInItsOwnTerms() throws Exception {
    Analysis a =
        SingleSite.analyze(
            tmp.resolve("unified"),
            SITE.replace("map.mutable.primitive.LongObjectHashMap", "set.mutable.UnifiedSet"),
            new long[] {1, 300, 65_536, 0, 270_000, 5_000},
            List.of(),
            "deleteHits",
            40_000,
            "tombstonesCreated",
            40_000,
            "tombstonesCollapsed",
            40_000);
    assertEquals(0, a.sites().get(0).tombstonesLive(), "every delete collapsed at once");
    assertTrue(kind(a, "eclipseSentinels").isEmpty(), a.findings().toString());
    List<Finding> found = kind(a, "eclipsePeakTable");
    assertEquals(1, found.size(), a.findings().toString());
    Finding f = found.get(0);
    assertTrue(f.title().startsWith("the Eclipse Collections set at "), f.title());
    assertTrue(f.title().contains("trimToSize()"), f.title());
    assertTrue(f.detail().contains("leave no sentinels"), f.detail());
    assertFalse(f.detail().contains("sentinels fill it"), f.detail());
    assertEquals(265_000, f.bytesAtStake());
  }

  @Test
  void aPrimitiveSetIsCalledASet() throws Exception {
    Analysis a =
        SingleSite.analyze(
            tmp.resolve("set"),
            SITE.replace(
                "map.mutable.primitive.LongObjectHashMap", "set.mutable.primitive.LongHashSet"),
            new long[] {1, 400, 8_192, 3_000, 200_000, 20_000},
            List.of(),
            "deleteHits",
            30_000,
            "tombstonesCreated",
            30_000);
    Finding f = kind(a, "eclipseSentinels").get(0);
    assertTrue(f.title().startsWith("the Eclipse Collections set at "), f.title());
    assertTrue(
        kind(one(new long[] {1, 400, 8_192, 3_000, 200_000, 20_000}, 30_000), "eclipseSentinels")
            .get(0)
            .title()
            .startsWith("the Eclipse Collections map at "));
  }

  @Test
  void theReportExplainsTheFamilyAndTablesItsSites() throws Exception {
    Analysis a = one(new long[] {1, 400, 8_192, 3_000, 200_000, 20_000}, 30_000);
    String page = ReportBuilder.build(a).render();
    assertTrue(page.contains("Third-party maps"), "the family's section");
    assertTrue(page.contains("REMOVED_KEY"), "its explanation");
    assertTrue(page.contains("Sites: Eclipse Collections maps"), "its own sites table");
    assertFalse(page.contains("No BucketHashMap was recorded"), "its sentinels are charted");
  }
}
