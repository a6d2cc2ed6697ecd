package io.tombscope.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One site's timelines: on the recording's intervals, and adding up to the totals. */
class SiteTimelineTest {
  private static final String MAP = "io.tombscope.map.BucketHashMap";

  @TempDir Path tmp;

  @Test
  void aSiteThatStartsLateIsZeroBeforeItAndTheSitesAddUpToTheTotal() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, MAP, "com.acme.Cache.<init>(Cache.java:41)")
            .site(2, MAP, "com.acme.Batch.load(Batch.java:9)");
    for (int i = 0; i < 6; i++) {
      f.count(1, "deleteHits", 100L * (i + 1));
      Map<Integer, long[]> gauges = new HashMap<>();
      gauges.put(1, new long[] {1, 1000, 2048, 10L * i, 40_000});
      if (i >= 3) {
        f.count(2, "deleteMisses", 700);
        gauges.put(2, new long[] {1, 50, 128, 5L + i, 4_000});
      }
      f.interval(1000, gauges);
    }
    Analysis a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    SiteAnalysis cache = site(a, 1);
    SiteAnalysis batch = site(a, 2);

    assertArrayEquals(new double[] {0, 10, 20, 30, 40, 50}, a.siteTombstones(cache));
    assertArrayEquals(new double[] {0, 0, 0, 8, 9, 10}, a.siteTombstones(batch));
    assertArrayEquals(
        new double[] {100, 200, 300, 400, 500, 600}, a.siteDeletesPerSecond(cache), 1e-9);
    assertArrayEquals(new double[] {0, 0, 0, 700, 700, 700}, a.siteDeletesPerSecond(batch), 1e-9);

    Analysis.Timeline total = a.timeline();
    assertArrayEquals(
        total.tombstones(), sum(a.siteTombstones(cache), a.siteTombstones(batch)), 1e-9);
    assertArrayEquals(
        total.deletesPerSecond(),
        sum(a.siteDeletesPerSecond(cache), a.siteDeletesPerSecond(batch)),
        1e-9);
  }

  @Test
  void aSpikeOfOneIntervalSurvivesTheDownsamplingOfADayLongTimeline() throws Exception {
    // More intervals than report points: each point holds several of them.
    int intervals = 5_000;
    int spike = 2_345;
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, MAP, "com.acme.Cache.<init>(Cache.java:41)")
            .site(2, MAP, "com.acme.Batch.load(Batch.java:9)");
    for (int i = 0; i < intervals; i++) {
      f.count(1, "deleteHits", i == spike ? 90_000 : 10);
      f.count(2, "deleteHits", 5);
      f.interval(
          1000,
          Map.of(
              1, new long[] {1, 1000, 2048, i == spike ? 777 : 3, 40_000},
              2, new long[] {1, 50, 128, 1, 4_000}));
    }
    Analysis a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    Analysis.Timeline total = a.timeline();
    int points = total.seconds().length;
    assertTrue(points < intervals / 2, points + " points for " + intervals + " intervals");

    double[] rate = a.siteDeletesPerSecond(site(a, 1));
    int at = argMax(rate);
    assertEquals(90_000, rate[at], 1e-9);
    assertEquals(90_005, max(total.deletesPerSecond()), 1e-9);
    assertEquals(at, argMax(total.deletesPerSecond()));
    // The point that holds the spike ends at or after it, and the one before ends before it.
    assertTrue(
        total.seconds()[at] >= spike + 1 && (at == 0 || total.seconds()[at - 1] < spike + 1));
    // Elsewhere, the rate of a quiet interval: the spike is not smeared over its neighbours.
    assertEquals(10, rate[at == 0 ? 1 : at - 1], 1e-9);
    assertEquals(10, rate[points - 1], 1e-9);
    assertEquals(5, a.siteDeletesPerSecond(site(a, 2))[at], 1e-9);

    assertEquals(777, max(a.siteTombstones(site(a, 1))), 1e-9);
    assertEquals(778, max(total.tombstones()), 1e-9);
  }

  private static int argMax(double[] values) {
    int at = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[at]) {
        at = i;
      }
    }
    return at;
  }

  private static double max(double[] values) {
    return values[argMax(values)];
  }

  private static SiteAnalysis site(Analysis a, int id) {
    return a.sites().stream().filter(s -> s.id() == id).findFirst().orElseThrow();
  }

  private static double[] sum(double[] x, double[] y) {
    double[] s = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      s[i] = x[i] + y[i];
    }
    return s;
  }
}
