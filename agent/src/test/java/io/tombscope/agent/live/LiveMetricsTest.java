package io.tombscope.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.LogHistogram;
import io.tombscope.agent.bootstrap.Site;
import io.tombscope.agent.bootstrap.TestSites;
import io.tombscope.agent.recording.MapStats;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LiveMetricsTest {
  private final Site a = TestSites.site(1, null, "app.A.<init>(A.java:1)");
  private final Site b = TestSites.site(2, null, "app.B.<init>(B.java:2)");
  private final Site c = TestSites.site(3, "hashmap", "app.C.\"quoted\"(C.java:3)");

  private static Counts deletes(long hits, long misses) {
    Counts counts = new Counts();
    counts.deleteHits = hits;
    counts.deleteMisses = misses;
    return counts;
  }

  private static MapStats gauge(long tombstones, long slots) {
    MapStats s = new MapStats();
    s.maps = 1;
    s.tombstones = tombstones;
    s.slots = slots;
    return s;
  }

  private static String page(LiveMetrics m) {
    return new String(m.page(), StandardCharsets.UTF_8);
  }

  private static long value(String page, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(page);
    assertTrue(m.find(), series + " in\n" + page);
    return Long.parseLong(m.group(1));
  }

  /** Sites 1 and 3 are busy, site 2 much less. */
  private LiveMetrics threeSitesAndTwoLabels() {
    LiveMetrics m = new LiveMetrics(2, "1.0");
    m.site(a, deletes(10, 2), gauge(5, 64));
    m.site(b, deletes(1, 0), gauge(0, 64));
    m.site(c, deletes(30, 4), gauge(0, 16));
    m.intervalEnd(0);
    return m;
  }

  @Test
  void theBusiestSitesGetLabelsAndTheRestAreSummedUnderOther() {
    LiveMetrics m = threeSitesAndTwoLabels();
    String page = page(m);
    assertEquals(10, value(page, "tombscope_deletes_total{site=\"1\",result=\"hit\"}"));
    assertEquals(30, value(page, "tombscope_deletes_total{site=\"3\",result=\"hit\"}"));
    assertEquals(1, value(page, "tombscope_deletes_total{site=\"other\",result=\"hit\"}"));
    assertFalse(page.contains("site=\"2\""), page);
    assertEquals(5, value(page, "tombscope_tombstones{site=\"1\"}"));
    assertEquals(
        1,
        value(
            page,
            "tombscope_site_info{site=\"3\",class=\"x.Map\",frame=\"app.C.\\\"quoted\\\"(C.java:3)\","
                + "family=\"hashmap\"}"));
    assertTrue(page.contains("tombscope_agent_info{version=\"1.0\""), page);
  }

  @Test
  void aLabelIsNeverTakenBackAndEveryCounterOnlyGrows() {
    LiveMetrics m = new LiveMetrics(1, "1.0");
    Counts grewOnly = new Counts();
    grewOnly.growsLoad = 3;
    m.site(a, grewOnly, gauge(0, 8)); // grows, but no deletes or tombstones: no label yet
    m.intervalEnd(0);
    assertEquals(3, value(page(m), "tombscope_grows_total{site=\"other\",cause=\"load\"}"));

    Counts later = deletes(5, 0);
    later.growsLoad = 4;
    m.site(a, later, gauge(2, 8));
    m.site(b, deletes(1, 0), gauge(0, 8));
    m.intervalEnd(1);
    String page = page(m);
    // Site 1 is the busier and takes the one label; what "other" already showed of it stays there.
    assertEquals(3, value(page, "tombscope_grows_total{site=\"other\",cause=\"load\"}"));
    assertEquals(1, value(page, "tombscope_grows_total{site=\"1\",cause=\"load\"}"));
    assertEquals(5, value(page, "tombscope_deletes_total{site=\"1\",result=\"hit\"}"));
    assertEquals(1, value(page, "tombscope_deletes_total{site=\"other\",result=\"hit\"}"));

    // Site 2 is far busier now, but site 1 keeps its label.
    m.site(a, later, gauge(0, 8));
    m.site(b, deletes(1000, 0), gauge(50, 8));
    m.intervalEnd(2);
    page = page(m);
    assertEquals(5, value(page, "tombscope_deletes_total{site=\"1\",result=\"hit\"}"));
    assertEquals(1000, value(page, "tombscope_deletes_total{site=\"other\",result=\"hit\"}"));
  }

  @Test
  void latencyBucketsArePowersOfTwoNanosecondsInSecondsAndCumulative() {
    LiveMetrics m = new LiveMetrics(5, "1.0");
    m.site(a, deletes(1, 0), gauge(1, 8));
    // 5 values of 1,000 ns and 2 of 100,000 ns, in the buckets the probes record them in.
    m.latency(Site.DELETE_LATENCY, a, bucketOf(1_000), 5);
    m.latency(Site.DELETE_LATENCY, a, bucketOf(100_000), 2);
    m.latency(Site.EVACUATION_STEP, a, bucketOf(100_000), 9); // not exposed
    m.intervalEnd(0);
    m.site(a, deletes(1, 0), gauge(1, 8));
    m.latency(Site.DELETE_LATENCY, a, bucketOf(1_000), 1);
    m.intervalEnd(1);
    String page = page(m);
    String bucket = "tombscope_delete_duration_seconds_bucket{family=\"bucket\",le=\"";
    assertEquals(0, value(page, bucket + "0.000000512\"}"));
    assertEquals(6, value(page, bucket + "0.000001024\"}"));
    assertEquals(6, value(page, bucket + "0.000065536\"}"));
    assertEquals(8, value(page, bucket + "0.000131072\"}"));
    assertEquals(8, value(page, bucket + "+Inf\"}"));
    assertEquals(8, value(page, "tombscope_delete_duration_seconds_count{family=\"bucket\"}"));
    assertEquals(0, value(page, "tombscope_grow_duration_seconds_count{family=\"bucket\"}"));
  }

  @Test
  void theSeriesStayWithinTheDocumentedBudget() {
    LiveMetrics m = threeSitesAndTwoLabels();
    long series = page(m).lines().filter(l -> !l.startsWith("#")).count();
    long budget = LiveMetrics.SERIES_PER_SITE * (2 + 1) + LiveMetrics.SERIES_PER_FAMILY * 2 + 1;
    assertTrue(series <= budget, series + " > " + budget);
  }

  /** The bucket a probe's {@link LogHistogram} counts {@code value} in. */
  private static int bucketOf(long value) {
    LogHistogram h = new LogHistogram();
    h.record(value);
    for (int i = 0; i < LogHistogram.BUCKETS; i++) {
      if (h.count(i) > 0) {
        return i;
      }
    }
    throw new AssertionError();
  }
}
