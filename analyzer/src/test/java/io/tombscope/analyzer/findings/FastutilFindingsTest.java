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

/** The findings of fastutil maps, each shown to fire and not to fire, and their report section. */
class FastutilFindingsTest {
  private static final String SITE =
      "{\"site\":1,\"mapClass\":\"it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap\","
          + "\"family\":\"fastutil\",\"trackedOneIn\":1,"
          + "\"allocationSite\":[\"com.acme.Sessions.<init>(Sessions.java:9)\"],\"t\":0}";

  @TempDir Path tmp;
  private int recordings;

  private Analysis single(long[] gauge, List<Object[]> grows, Object... counters) throws Exception {
    return SingleSite.analyze(tmp.resolve("rec" + recordings++), SITE, gauge, grows, counters);
  }

  private static List<Finding> kind(Analysis a, String kind) {
    return SingleSite.kind(a, kind);
  }

  private Analysis thrashing(int cycles) throws Exception {
    return single(
        new long[] {1, 200, 1_024, 0, 20_000, 20_000},
        List.<Object[]>of(
            new Object[] {"shrink", cycles, 2_000_000L}, new Object[] {"grow", cycles, 3_000_000L}),
        "deleteHits",
        cycles * 1_000L,
        "tombstonesCreated",
        cycles * 1_000L,
        "tombstonesCollapsed",
        cycles * 1_000L,
        "growsLoad",
        cycles,
        "growsFinished",
        cycles,
        "shrinks",
        cycles,
        "entriesMoved",
        cycles * 1_500L);
  }

  @Test
  void shrinkGrowThrashAsksForACapacityOrTrim() throws Exception {
    Analysis a = thrashing(40);
    assertEquals(MapFamily.FASTUTIL, a.sites().get(0).family());
    assertEquals(0, a.sites().get(0).tombstonesLive(), "backward-shift deletion leaves none");
    List<Finding> found = kind(a, "fastutilThrash");
    assertEquals(1, found.size(), a.findings().toString());
    Finding f = found.get(0);
    assertTrue(f.title().contains("40 times"), f.title());
    assertTrue(f.title().contains("200.0 ms"), f.title());
    assertTrue(f.title().contains("com.acme.Sessions.<init>(Sessions.java:9)"), f.title());
    assertTrue(f.detail().contains("new Long2ObjectOpenHashMap("), f.detail());
    assertTrue(f.detail().contains("trim()"), f.detail());
    assertTrue(f.detail().contains("60,000 entries"), f.detail());
    assertEquals("medium", f.severity(), "0.2 s of a 10 s run");
    assertTrue(kind(a, "troveTombstones").isEmpty(), "Trove's rules are not fastutil's");
    assertTrue(kind(a, "tombstones").isEmpty(), "BucketHashMap's rules are not fastutil's");
  }

  @Test
  void aFewResizesAreNoThrash() throws Exception {
    assertTrue(kind(thrashing(7), "fastutilThrash").isEmpty());
    // Growing alone, as a map fills, is no thrash however often.
    Analysis filling =
        single(
            new long[] {1, 100_000, 262_144, 0, 3_000_000, 3_000_000}, List.of(), "growsLoad", 14);
    assertTrue(kind(filling, "fastutilThrash").isEmpty(), filling.findings().toString());
  }

  @Test
  void aSetIsCalledASet() throws Exception {
    Analysis a =
        SingleSite.analyze(
            tmp.resolve("set"),
            SITE.replace("longs.Long2ObjectOpenHashMap", "ints.IntOpenHashSet"),
            new long[] {1, 100, 65_536, 0, 1_048_600, 4_200},
            List.of(),
            "deleteHits",
            60_000);
    Finding f = kind(a, "fastutilOversized").get(0);
    assertTrue(f.title().startsWith("the fastutil set at "), f.title());
  }

  @Test
  void aTableKeptLargeAsksForTrim() throws Exception {
    Analysis a =
        single(
            new long[] {1, 100, 65_536, 0, 1_048_600, 4_200},
            List.of(),
            "deleteHits",
            60_000,
            "clears",
            1);
    List<Finding> found = kind(a, "fastutilOversized");
    assertEquals(1, found.size(), a.findings().toString());
    assertTrue(found.get(0).title().contains("call trim()"), found.get(0).title());
    assertTrue(found.get(0).title().startsWith("the fastutil map at "), found.get(0).title());
    assertEquals(1_044_400, found.get(0).bytesAtStake());
    assertEquals("medium", found.get(0).severity());

    Analysis snug =
        single(new long[] {1, 40_000, 65_536, 0, 1_048_600, 1_048_600}, List.of(), "deleteHits", 9);
    assertTrue(kind(snug, "fastutilOversized").isEmpty(), snug.findings().toString());
  }

  @Test
  void theReportExplainsFastutilInItsOwnTable() throws Exception {
    String page = ReportBuilder.build(thrashing(40)).render();
    assertTrue(page.contains("Third-party maps"), "the family's section");
    assertTrue(page.contains("open hash maps and sets delete by shifting"), "its explanation");
    assertTrue(page.contains("Sites: fastutil maps"), "its table");
    assertFalse(page.contains("Sites: JDK maps"), "a fastutil site is not a JDK site");
  }
}
