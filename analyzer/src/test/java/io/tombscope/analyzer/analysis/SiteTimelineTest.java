package io.tombscope.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
