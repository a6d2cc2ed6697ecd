package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.testing.SeededCases;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The delete probes as the advice calls them: exact counts on every delete, and the two samplings
 * (latency, call site) each at its own period although they share one countdown.
 */
class ProbesSamplingTest {
  private static final AtomicInteger SITES = new AtomicInteger();

  @AfterEach
  void restoreDefaults() {
    Probes.configure(64, 4096);
  }

  @Test
  void defaultsTimeOneDeleteIn64AndRecordOneCallerIn4096() {
    Probes.configure(64, 4096);
    MapRecorder r = recorder();
    deletes(r, 5 * 4096, 3);

    assertEquals(5 * 4096 - 5 * 4096 / 3, r.deleteHits);
    assertEquals(5 * 4096 / 3, r.deleteMisses);
    assertEquals(5 * 4096 / 64, samples(r.site.histogramIfPresent(Site.DELETE_LATENCY)));
    assertEquals(5 * 4096, callSiteDeletes(r.site));
  }

  @Test
  void withLatencyOffOnlyCallersAreSampled() {
    Probes.configure(0, 4096);
    MapRecorder r = recorder();
    deletes(r, 3 * 4096, 0);

    assertNull(r.site.histogramIfPresent(Site.DELETE_LATENCY));
    assertEquals(3 * 4096, callSiteDeletes(r.site));
    assertEquals(3 * 4096, r.deleteHits);
  }

  @Test
  void sampleOneTimesEveryDelete() {
    Probes.configure(1, 4096);
    MapRecorder r = recorder();
    deletes(r, 10_000, 0);

    assertEquals(10_000, samples(r.site.histogramIfPresent(Site.DELETE_LATENCY)));
    assertEquals(2 * 4096, callSiteDeletes(r.site));
  }

  @Test
  void callSitesOffWalksNoStackAtAll() {
    Probes.configure(64, 0);
    MapRecorder r = recorder();
    long walks = CallSites.walks();
    deletes(r, 5 * 4096, 3);
    assertEquals(walks, CallSites.walks());
    assertEquals(0, callSiteDeletes(r.site));
    assertEquals(5 * 4096 / 64, samples(r.site.histogramIfPresent(Site.DELETE_LATENCY)));

    Probes.configure(64, 4096);
    deletes(recorder(), 5 * 4096, 3);
    // The first 8 deletes, the powers of two 16 … 4096, then one in 4096: 8 + 9 + 4.
    assertEquals(walks + 21, CallSites.walks());
  }

  @Test
  void aMapWithFewDeletesNamesItsCallersAndOnlyItsFirstDeletesAreWalked() {
    Probes.configure(64, 4096);
    MapRecorder r = recorder();
    long walks = CallSites.walks();
    deletes(r, 3, 0);
    assertEquals(walks + 3, CallSites.walks());
    assertEquals(3, callSiteDeletes(r.site), "each walk stands for the deletes since the last");

    // A thousand deletes more walk the 4th … 8th, then 16, 32 … 512: the steady state walks one in
    // 4096.
    deletes(r, 1000, 0);
    assertEquals(walks + 14, CallSites.walks());
    assertEquals(512, callSiteDeletes(r.site));
  }

  @Test
  void aSiteOfManySmallMapsWalksAtMostItsEarlyWalks() {
    Probes.configure(64, 4096);
    MapRecorder first = recorder();
    long walks = CallSites.walks();
    deletes(first, 2, 0);
    for (int i = 0; i < 1000; i++) {
      MapRecorder r = Probes.newRecorder(first.site);
      deletes(r, 2, 0);
    }
    assertEquals(walks + CallSites.EARLY_WALKS, CallSites.walks());
    assertEquals(CallSites.EARLY_WALKS, callSiteDeletes(first.site));
  }

  @Test
  void withBothSamplingsOffADeleteOnlyCounts() {
    Probes.configure(0, 0);
    MapRecorder r = recorder();
    long walks = CallSites.walks();
    deletes(r, 10_000, 2);
    assertEquals(walks, CallSites.walks());
    assertNull(r.site.histogramIfPresent(Site.DELETE_LATENCY));
    assertEquals(5_000, r.deleteHits);
    assertEquals(5_000, r.deleteMisses);
  }

  @Test
  void eachSamplingKeepsItsOwnPeriod() {
    SeededCases.check(
        30,
        random ->
            eachSamplingKeepsItsOwnPeriod(
                random.nextInt(0, 5001), random.nextInt(1, 5001), random.nextInt(0, 50_001)));
  }

  private void eachSamplingKeepsItsOwnPeriod(int latencyPeriod, int callSitePeriod, int deletes) {
    Probes.configure(latencyPeriod, callSitePeriod);
    MapRecorder r = recorder();
    deletes(r, deletes, 0);

    long timed = samples(r.site.histogramIfPresent(Site.DELETE_LATENCY));
    long expectedTimed = latencyPeriod == 0 ? 0 : deletes / latencyPeriod;
    // The samplings are checked every min(periods) deletes, so each may lag by one check.
    assertTrue(Math.abs(timed - expectedTimed) <= 1, timed + " timed, expected " + expectedTimed);
    long callers = callSiteDeletes(r.site) / callSitePeriod;
    long expectedCallers = deletes / callSitePeriod;
    assertTrue(
        Math.abs(callers - expectedCallers) <= 1,
        callers + " callers recorded, expected " + expectedCallers);
    assertEquals(deletes, r.deleteHits);
  }

  @Test
  void aPendingCompactionIsAskedOfEveryDeleteUntilTheMapTrims() {
    MapRecorder r = recorder();
    assertEquals(false, Probes.delete(r, Probes.deleteStart(r), 1, true, 0, 1));
    r.compactRequested = true;
    assertEquals(true, Probes.delete(r, Probes.deleteStart(r), 1, false, 0, 1));
    assertEquals(true, Probes.write(r));
    Probes.trim(r, 0);
    assertEquals(1, r.compactions);
    assertEquals(false, Probes.delete(r, Probes.deleteStart(r), 1, true, 0, 1));
    assertEquals(false, Probes.write(r));
  }

  @Test
  void aMapsTombstonePeakOutlivesWhatTakesItsTombstonesBack() {
    MapRecorder r = recorder();
    deletes(r, 5, 0); // 5 tombstones
    Probes.tombstoneReused(r); // 4
    Probes.delete(r, Probes.deleteStart(r), 3, true, 3, 2); // the tail of a run: 4 + 1 - 3 = 2
    Probes.delete(r, Probes.deleteStart(r), 3, false, 0, 2); // a miss: still 2
    Probes.evacuate(r, 0L, 10, 1); // 1
    deletes(r, 2, 0); // 3
    Probes.clear(r, 3); // 0
    assertEquals(0, r.liveTombstones());
    assertEquals(5, r.tombstonesPeak);

    deletes(r, 7, 0);
    Probes.trim(r, 7);
    assertEquals(0, r.liveTombstones());
    assertEquals(7, r.tombstonesPeak);
  }

  @Test
  void untrackedMapsAreIgnored() {
    assertEquals(0L, Probes.deleteStart(null));
    assertEquals(false, Probes.delete(null, 0L, 3, true, 1, 0));
  }

  private static MapRecorder recorder() {
    Site site =
        Sites.siteFor(
            "test.SamplingMap" + SITES.incrementAndGet(), List.of("test.Caller.make(T.java:1)"));
    return Probes.newRecorder(site);
  }

  /**
   * {@code n} deletes of probe length 2, every {@code missEvery}-th of them a miss (0: none), each
   * hit leaving one tombstone more, as in a map.
   */
  private static void deletes(MapRecorder r, int n, int missEvery) {
    for (int i = 1; i <= n; i++) {
      long start = Probes.deleteStart(r);
      boolean hit = missEvery == 0 || i % missEvery != 0;
      Probes.delete(r, start, 2, hit, 0, (int) r.liveTombstones() + (hit ? 1 : 0));
    }
  }

  private static long samples(LogHistogram h) {
    long n = 0;
    if (h != null) {
      for (int i = 0; i < LogHistogram.BUCKETS; i++) {
        n += h.count(i);
      }
    }
    return n;
  }

  /** Deletes the call-site samples stand for (each sample counts as one period of deletes). */
  private static long callSiteDeletes(Site site) {
    long n = 0;
    for (AtomicLongArray counts : site.callSites.frames().values()) {
      n += counts.get(0);
    }
    return n;
  }
}
