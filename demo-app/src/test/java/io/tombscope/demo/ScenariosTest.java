package io.tombscope.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.demo.scenarios.BulkLoadThenDrain;
import io.tombscope.demo.scenarios.ClearAndRefill;
import io.tombscope.demo.scenarios.EclipseSessions;
import io.tombscope.demo.scenarios.MissStorm;
import io.tombscope.demo.scenarios.OwnMapsPerThread;
import io.tombscope.demo.scenarios.SteadyChurn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each scenario at a small size: its ground truth adds up, and both map kinds did the same. */
class ScenariosTest {
  private final PrintStream out = new PrintStream(new ByteArrayOutputStream());
  private static final Duration SHORT = Duration.ofMillis(150);

  private static void sameWorkOnBothMaps(List<GroundTruth> truths) {
    assertEquals(2, truths.size());
    GroundTruth bucket = truths.get(0);
    GroundTruth hash = truths.get(1);
    assertEquals("io.tombscope.map.BucketHashMap", bucket.get("mapClass"));
    assertEquals("java.util.HashMap", hash.get("mapClass"));
    for (String key :
        List.of("mapsCreated", "inserts", "deletes", "deleteHits", "deleteMisses", "finalSize")) {
      assertEquals(bucket.get(key), hash.get(key), key);
    }
    assertEquals(
        (Long) bucket.get("deleteHits") + (Long) bucket.get("deleteMisses"), bucket.get("deletes"));
  }

  @Test
  void churnKeepsItsSizeAndGrowsAtTheSameSize() {
    List<GroundTruth> t = new SteadyChurn(500, 1, out).run(Duration.ofMillis(400));
    sameWorkOnBothMaps(t);
    assertEquals(500L, t.get(0).get("finalSize"));
    assertEquals(0L, t.get(0).get("deleteMisses"));
    assertEquals((Long) t.get(0).get("inserts") - 500, t.get(0).get("deleteHits"));
    assertTrue((Long) t.get(0).get("sameSizeGrows") > 0, t.get(0).line());
  }

  @Test
  void drainLeavesAFewAndTheTruthSaysHowMany() {
    List<GroundTruth> t = new BulkLoadThenDrain(100, 1, out).run(SHORT);
    sameWorkOnBothMaps(t);
    assertEquals(2000L, t.get(0).get("inserts"));
    assertEquals(1900L, t.get(0).get("deleteHits"));
    assertEquals(100L, t.get(0).get("finalSize"));
    assertTrue((Integer) t.get(0).get("tombstonesBeforeRelease") > 0);
  }

  @Test
  void missStormMissesNineInTen() {
    List<GroundTruth> t = new MissStorm(1000, 1, out).run(SHORT);
    sameWorkOnBothMaps(t);
    long deletes = (Long) t.get(0).get("deletes");
    double missRatio = (double) (Long) t.get(0).get("deleteMisses") / deletes;
    assertTrue(missRatio > 0.85 && missRatio < 0.95, "miss ratio " + missRatio);
  }

  @Test
  void clearAndRefillEndsEmptyWithItsPeakBucketCount() {
    List<GroundTruth> t = new ClearAndRefill(1000, 1, out).run(SHORT);
    sameWorkOnBothMaps(t);
    assertEquals(0L, t.get(0).get("finalSize"));
    assertTrue((Long) t.get(0).get("clears") > 0);
    assertEquals(8, t.get(0).get("B"), "B of the largest request (1,000 entries) stays");
  }

  @Test
  void everyThreadOwnsItsMap() {
    List<GroundTruth> t = new OwnMapsPerThread(1000, 3, 1, out).run(SHORT);
    sameWorkOnBothMaps(t);
    assertEquals(3L, t.get(0).get("mapsCreated"));
    assertEquals(999L, t.get(0).get("finalSize"));
  }

  @Test
  void eclipseSessionsChurnAThirdPartyMapIntoSameSizeRehashes() {
    List<GroundTruth> t = new EclipseSessions(500, 1, out).run(Duration.ofMillis(400));
    assertEquals(1, t.size());
    GroundTruth ec = t.get(0);
    assertEquals(
        "org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap", ec.get("mapClass"));
    assertEquals(500L, ec.get("finalSize"));
    long hits = (Long) ec.get("deleteHits");
    assertEquals((Long) ec.get("inserts") - 500, hits);
    assertTrue((Long) ec.get("deleteMisses") > 0, ec.line());
    assertEquals((Long) ec.get("deleteHits") + (Long) ec.get("deleteMisses"), ec.get("deletes"));
    assertTrue((Long) ec.get("sameSizeGrows") > 0, ec.line());
    assertTrue((Long) ec.get("tombstones") < (Long) ec.get("slots") / 2, ec.line());
  }

  @Test
  void groundTruthIsOneLineOfJson() {
    String line = new GroundTruth("x", "C", "a.B.c").put("n", 3L).put("q", "say \"hi\"").line();
    assertEquals(
        "GROUND-TRUTH {\"scenario\":\"x\",\"mapClass\":\"C\",\"allocationSite\":\"a.B.c\",\"n\":3,\"q\":\"say \\\"hi\\\"\"}",
        line);
  }
}
