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

/** The findings of Trove maps, each shown to fire and not to fire, and their report section. */
class TroveFindingsTest {
  private static final String SITE =
      "{\"site\":1,\"mapClass\":\"gnu.trove.map.hash.TIntObjectHashMap\",\"family\":\"trove\","
          + "\"trackedOneIn\":1,\"allocationSite\":[\"com.acme.Sessions.<init>(Sessions.java:9)\"],"
          + "\"t\":0}";

  @TempDir Path tmp;
  private int recordings;

  private Analysis single(long[] gauge, List<Object[]> grows, Object... counters) throws Exception {
    return SingleSite.analyze(tmp.resolve("rec" + recordings++), SITE, gauge, grows, counters);
  }

  private static List<Finding> kind(Analysis a, String kind) {
    return SingleSite.kind(a, kind);
  }

  @Test
  void tombstonesAMapSitsOnAskForCompact() throws Exception {
    Analysis a =
        single(
            new long[] {1, 1_000, 4_099, 2_500, 300_000, 60_000},
            List.of(),
            "deleteHits",
            5_000,
            "tombstonesCreated",
            5_000);
    assertEquals(MapFamily.TROVE, a.sites().get(0).family());
    assertEquals(2_500, a.sites().get(0).tombstonesLive());
    List<Finding> found = kind(a, "troveTombstones");
    assertEquals(1, found.size(), a.findings().toString());
    Finding f = found.get(0);
    assertTrue(f.title().contains("compact()"), f.title());
    assertTrue(f.title().contains("com.acme.Sessions.<init>(Sessions.java:9)"), f.title());
    assertTrue(f.detail().contains("setAutoCompactionFactor"), f.detail());
    assertEquals(240_000, f.bytesAtStake());
    assertEquals("high", f.severity(), "61% of the slots are tombstones");
    assertTrue(kind(a, "tombstones").isEmpty(), "BucketHashMap's rule is not Trove's");
  }

  @Test
  void fewTombstonesAreNoFinding() throws Exception {
    Analysis a =
        single(new long[] {1, 1_000, 4_099, 300, 300_000, 290_000}, List.of(), "deleteHits", 5_000);
    assertTrue(kind(a, "troveTombstones").isEmpty(), a.findings().toString());
  }

  @Test
  void autoCompactionStormIsNamedWithItsTime() throws Exception {
    Analysis a =
        single(
            new long[] {1, 1_000, 4_099, 10, 300_000, 290_000},
            List.<Object[]>of(new Object[] {"autoCompaction", 40, 5_000_000L}),
            "deleteHits",
            40_000,
            "autoCompactions",
            40);
    List<Finding> found = kind(a, "autoCompactionStorm");
    assertEquals(1, found.size(), a.findings().toString());
    assertTrue(found.get(0).title().contains("40 times"), found.get(0).title());
    assertTrue(found.get(0).title().contains("200.0 ms"), found.get(0).title());
    assertEquals("medium", found.get(0).severity(), "0.2 s of a 10 s run");
    assertTrue(found.get(0).detail().contains("setAutoCompactionFactor(0)"));

    Analysis few =
        single(
            new long[] {1, 1_000, 4_099, 10, 300_000, 290_000},
            List.<Object[]>of(new Object[] {"autoCompaction", 5, 5_000_000L}),
            "deleteHits",
            4_000,
            "autoCompactions",
            5);
    assertTrue(kind(few, "autoCompactionStorm").isEmpty(), few.findings().toString());
  }

  @Test
  void sameCapacityRehashesPointAtAutoCompaction() throws Exception {
    Analysis a =
        single(
            new long[] {1, 1_000, 4_099, 10, 300_000, 290_000},
            List.<Object[]>of(new Object[] {"sameSize", 25, 1_000_000L}),
            "deleteHits",
            40_000,
            "growsOverflow",
            25,
            "growsFinished",
            25);
    List<Finding> found = kind(a, "troveSameSizeRehashes");
    assertEquals(1, found.size(), a.findings().toString());
    assertEquals("medium", found.get(0).severity());
    assertTrue(found.get(0).detail().contains("25.0 ms"), found.get(0).detail());

    Analysis two =
        single(
            new long[] {1, 1_000, 4_099, 10, 300_000, 290_000},
            List.<Object[]>of(new Object[] {"sameSize", 2, 1_000_000L}),
            "growsOverflow",
            2);
    assertTrue(kind(two, "troveSameSizeRehashes").isEmpty());
  }

  @Test
  void theReportExplainsTroveAndChartsItsTombstones() throws Exception {
    Analysis a =
        single(
            new long[] {1, 1_000, 4_099, 2_500, 300_000, 60_000}, List.of(), "deleteHits", 5_000);
    String page = ReportBuilder.build(a).render();
    assertTrue(page.contains("Third-party maps"), "the family's section");
    assertTrue(page.contains("Trove 3"), "its explanation");
    assertFalse(page.contains("No BucketHashMap was recorded"), "its tombstones are charted");
    assertFalse(page.contains("JDK maps tracked"), "a Trove site is not a JDK site");
  }
}
