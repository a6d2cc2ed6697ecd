package io.tombscope.analyzer.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.analysis.DeletePattern;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The findings of JDK map families, each shown to fire and not to fire. */
class JdkFindingsTest {
  @TempDir Path tmp;

  private int recordings;

  /**
   * One JDK site in one interval. {@code gauge} = {maps, size, slots, stale entries,
   * estimatedBytes, deadSlots}; {@code counters} = alternating key, value.
   */
  private Analysis single(
      String mapClass, String family, int trackedOneIn, long[] gauge, Object... counters)
      throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec" + recordings++))
            .jdkSite(1, mapClass, family, trackedOneIn, "com.acme.X.<init>(X.java:1)")
            .count(1, "mapsCreated", 1);
    for (int i = 0; i < counters.length; i += 2) {
      f.count(1, (String) counters[i], ((Number) counters[i + 1]).longValue());
    }
    f.interval(1000, Map.of(1, gauge));
    return Analyzer.analyze(RecordingReader.read(f.end().write()));
  }

  /**
   * One JDK site over two intervals: filled to {@code peak} = {maps, size, slots, stale,
   * estimatedBytes, deadSlots}, then with {@code deleteHits} deleted down to {@code after}.
   */
  private Analysis drained(
      String mapClass, String family, long[] peak, long[] after, long deleteHits, Object... more)
      throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec" + recordings++))
            .jdkSite(1, mapClass, family, 1, "com.acme.X.<init>(X.java:1)")
            .count(1, "mapsCreated", 1);
    f.interval(1000, Map.of(1, peak));
    f.count(1, "deleteHits", deleteHits);
    for (int i = 0; i < more.length; i += 2) {
      f.count(1, (String) more[i], ((Number) more[i + 1]).longValue());
    }
    f.interval(1000, Map.of(1, after));
    return Analyzer.analyze(RecordingReader.read(f.end().write()));
  }

  private static List<String> titles(Analysis a) {
    return a.findings().stream().map(Finding::title).toList();
  }

  @Test
  void everyFamilyOfTheJdkFixtureGetsItsOwnFindingRankedByBytes() throws Exception {
    Analysis a = Analyzer.analyze(RecordingReader.read(RecordingFixture.jdkSites(tmp).write()));
    List<Finding> f = a.findings();
    assertEquals(6, f.size(), titles(a).toString());

    assertEquals(
        "peak capacity retained after deletes in the HashMap at com.acme.Index.<init>(Index.java:20):"
            + " copy it into a new map once drained: map = new HashMap<>(map) (1 in 64 maps"
            + " tracked)",
        f.get(0).title());
    assertEquals((260_096 - 16) * 4, f.get(0).bytesAtStake(), "beyond the default table");
    assertEquals((260_096 - 16) * 4 * 3, f.get(0).byteSeconds(), "held for three seconds");
    assertEquals("medium", f.get(0).severity());
    assertTrue(
        f.get(0).detail().startsWith("At 3.0 s, 260,080 of 262,144 table slots were dead"),
        f.get(0).detail());

    assertEquals(5, f.get(1).site());
    assertTrue(f.get(1).title().contains("map = new IdentityHashMap<>(map)"), f.get(1).title());
    assertEquals((7936 - 32) * 2 * 4, f.get(1).bytesAtStake(), "two references per identity slot");

    assertEquals(
        "400 stale entries (collected keys) still counted in the WeakHashMap at"
            + " com.acme.Listeners.<init>(L.java:5): they are expunged only when the map is next"
            + " used (1 in 16 maps tracked)",
        f.get(2).title());
    assertEquals(400 * 40, f.get(2).bytesAtStake(), "40 bytes per entry once the table is out");
    assertTrue(f.get(2).detail().contains("Touch the map (size())"), f.get(2).detail());

    assertEquals(
        "200 stale ThreadLocal entries in threads' maps from"
            + " com.acme.RequestContext.set(RequestContext.java:14): call ThreadLocal.remove() when"
            + " done",
        f.get(3).title());
    assertEquals(200 * 32, f.get(3).bytesAtStake());

    assertEquals("low", f.get(5).severity(), "no delete time was sampled");
    assertTrue(
        f.get(5).title().startsWith("96% of the deletes at com.acme.Graph.unvisit(Graph.java:40)"),
        f.get(5).title());
    assertTrue(f.get(5).detail().contains("searches its bin"), f.get(5).detail());

    assertEquals("low", f.get(4).severity());
    assertEquals(
        "12 remove() calls at com.acme.Index.<init>(Index.java:20) removed a key mapped to null and"
            + " returned null, like a miss: use containsKey or remove(key, value) (1 in 64 maps"
            + " tracked)",
        f.get(4).title());
    assertEquals(0, f.get(4).bytesAtStake());
  }

  @Test
  void noBucketHashMapRuleFiresForAJdkFamily() throws Exception {
    // As a BucketHashMap site, these numbers would be tombstones, a peak size and same-size grows.
    for (String family : List.of("hashmap", "concurrent", "weak", "threadlocal", "identity")) {
      Analysis a =
          single(
              "java.util.X",
              family,
              1,
              new long[] {1, 1000, 1_000_000, 300_000, 40_000_000, 0},
              "deleteHits",
              10,
              "growsOverflow",
              25);
      for (String title : titles(a)) {
        assertFalse(title.contains("trim()"), family + ": " + title);
        assertFalse(title.contains("same size"), family + ": " + title);
      }
      assertEquals(0, a.sites().get(0).tombstonesLive(), family);
    }
  }

  @Test
  void aMapBuiltInsideTheJdkNamesTheProgramCodeThatReachesIt() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("inside"))
            .jdkSite(
                1,
                "java.util.HashMap",
                "hashmap",
                1,
                "java.util.jar.Attributes.<init>(Attributes.java:82)",
                "java.util.jar.Manifest.read(Manifest.java:300)",
                "com.acme.Plugins.load(Plugins.java:44)",
                "com.acme.Main.main(Main.java:9)")
            .jdkSite(2, "java.util.HashMap", "hashmap", 1, "com.acme.Index.<init>(Index.java:20)");
    long[] full = {1, 6000, 8192, 0, 300_000, 0};
    f.interval(1000, Map.of(1, full, 2, full));
    f.count(1, "deleteHits", 5900).count(2, "deleteHits", 5900);
    long[] dead = {1, 100, 8192, 0, 100_000, 7936};
    f.interval(1000, Map.of(1, dead, 2, dead));
    Analysis a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    assertEquals(2, a.findings().size(), titles(a).toString());
    for (Finding finding : a.findings()) {
      String builtFor =
          " that java.util.jar.Manifest.read builds for com.acme.Plugins.load(Plugins.java:44):"
              + " size or rebuild what Manifest.read makes there once it is drained";
      assertEquals(finding.site() == 1, finding.title().endsWith(builtFor), finding.title());
      assertEquals(
          finding.site() == 1 ? "com.acme.Plugins.load(Plugins.java:44)" : finding.siteLabel(),
          finding.line());
    }
    // Tables show both frames, the program's last, so a label cut short on the left keeps it.
    assertEquals(
        List.of(
            "java.util.jar.Attributes.<init>(Attributes.java:82)"
                + " ← com.acme.Plugins.load(Plugins.java:44)",
            "com.acme.Index.<init>(Index.java:20)"),
        a.sites().stream().map(s -> s.tableLabel()).toList());
  }

  @Test
  void peakCapacityNeedsEnoughDeadSlotsAndMostOfTheTable() throws Exception {
    long[] full = {1, 6000, 8192, 0, 300_000, 0};
    long[] fires = {1, 100, 8192, 0, 100_000, 7936};
    assertEquals(
        List.of(
            "peak capacity retained after deletes in the ConcurrentHashMap at"
                + " com.acme.X.<init>(X.java:1): copy it into a new map once drained: map = new"
                + " ConcurrentHashMap<>(map)"),
        titles(drained("java.util.concurrent.ConcurrentHashMap", "concurrent", full, fires, 5900)));
    assertEquals(
        List.of(),
        titles(single("java.util.concurrent.ConcurrentHashMap", "concurrent", 1, fires)),
        "no delete: a table presized for entries it never held has no cause to shrink");
    assertEquals(
        List.of(),
        titles(
            drained(
                "java.util.HashMap",
                "hashmap",
                new long[] {1, 3000, 4096, 0, 20_000, 0},
                new long[] {1, 10, 4096, 0, 20_000, 4064},
                2990)),
        "under 4,096 dead slots beyond the default table");
    assertEquals(
        List.of(),
        titles(
            drained(
                "java.util.HashMap",
                "hashmap",
                new long[] {1, 6000, 8192, 0, 0, 0},
                new long[] {1, 3000, 8192, 0, 0, 6000},
                3000)),
        "under 75% of the slots");
    assertEquals(
        List.of(),
        titles(drained("java.util.WeakHashMap", "weak", full, fires, 5900)),
        "weak maps are judged by their stale entries");
  }

  @Test
  void aSubclassOfTheAppIsCopiedIntoItsFamilysClass() throws Exception {
    long[] full = {1, 40_000, 65_536, 0, 2_000_000, 0};
    long[] after = {1, 100, 65_536, 0, 300_000, 65_280};
    Analysis a = drained("com.acme.LruCache", "hashmap", full, after, 39_900);
    assertTrue(titles(a).get(0).endsWith("map = new HashMap<>(map)"), titles(a).toString());
    Analysis linked = drained("java.util.LinkedHashMap", "hashmap", full, after, 39_900);
    assertTrue(
        titles(linked).get(0).endsWith("map = new LinkedHashMap<>(map)"),
        titles(linked).toString());
  }

  @Test
  void staleEntriesNeedSixtyFourAndAQuarterOfTheSize() throws Exception {
    assertEquals(
        1,
        single("java.util.WeakHashMap", "weak", 1, new long[] {1, 256, 512, 64, 0, 0})
            .findings()
            .size());
    assertEquals(
        List.of(),
        titles(single("java.util.WeakHashMap", "weak", 1, new long[] {1, 100, 512, 63, 0, 0})),
        "under 64");
    assertEquals(
        List.of(),
        titles(
            single(
                "java.lang.ThreadLocal$ThreadLocalMap",
                "threadlocal",
                1,
                new long[] {1, 1000, 2048, 249, 0, 0})),
        "under 25% of the size");
    Analysis tl =
        single(
            "java.lang.ThreadLocal$ThreadLocalMap",
            "threadlocal",
            1,
            new long[] {1, 1000, 2048, 250, 0, 0});
    assertTrue(
        titles(tl).get(0).endsWith("call ThreadLocal.remove() when done"), titles(tl).toString());
    assertEquals(250 * 32, tl.findings().get(0).bytesAtStake(), "no bytes to share: entry size");
  }

  @Test
  void oneSilentDeleteIsALowFindingAndNoneIsNothing() throws Exception {
    long[] quiet = {1, 1000, 2048, 0, 50_000, 0};
    Analysis one =
        single("java.util.HashMap", "hashmap", 1, quiet, "deleteHits", 5, "silentDeletes", 1);
    assertEquals(1, one.findings().size());
    assertEquals("low", one.findings().get(0).severity());
    assertTrue(one.findings().get(0).title().startsWith("1 remove() calls at com.acme.X"));
    assertEquals(List.of(), titles(single("java.util.HashMap", "hashmap", 1, quiet)));
  }

  @Test
  void aDeleteMissStormIsFoundInEveryFamily() throws Exception {
    for (String family : List.of("hashmap", "concurrent", "weak", "threadlocal", "identity")) {
      Analysis a =
          single(
              "java.util.X",
              family,
              1,
              new long[] {1, 100, 256, 0, 5000, 0},
              "deleteHits",
              100,
              "deleteMisses",
              1000);
      assertEquals(
          List.of(
              "91% of the deletes at com.acme.X.<init>(X.java:1) miss: check before deleting, or"
                  + " stop deleting absent keys"),
          titles(a),
          family);
      assertEquals(DeletePattern.MISS_STORM, a.sites().get(0).pattern(), family);
    }
  }

  @Test
  void deletePatternsWorkForJdkSites() throws Exception {
    Analysis a = Analyzer.analyze(RecordingReader.read(RecordingFixture.jdkSites(tmp).write()));
    assertEquals(DeletePattern.BULK_LOAD_THEN_DRAIN, a.sites().get(0).pattern());
    assertEquals(DeletePattern.STEADY_CHURN, a.sites().get(1).pattern());
    assertEquals(DeletePattern.MISS_STORM, a.sites().get(4).pattern());
  }
}
