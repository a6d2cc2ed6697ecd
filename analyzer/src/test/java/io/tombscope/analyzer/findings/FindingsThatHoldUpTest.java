package io.tombscope.analyzer.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings need a cause, rank by what waste cost over the run, and name the line to change: the
 * cases that real programs (javac, H2, a cache) got wrong.
 */
class FindingsThatHoldUpTest {
  @TempDir Path tmp;

  private static final String HASHMAP = "java.util.HashMap";

  private RecordingFixture fixture(String name) {
    return new RecordingFixture(tmp.resolve(name));
  }

  private static Analysis analyze(RecordingFixture f) throws Exception {
    return Analyzer.analyze(RecordingReader.read(f.end().write()));
  }

  private static List<String> kinds(Analysis a) {
    return a.findings().stream().map(Finding::kind).toList();
  }

  @Test
  void thousandsOfInsertOnlyOneEntryMapsInDefaultTablesAreNoWaste() throws Exception {
    // javac: 2,943 one-entry maps, each in its default 16-slot table, 14 slots dead by the copy
    // rule: 41,202 dead slots summed, but no map ever shrank.
    RecordingFixture f =
        fixture("tiny").jdkSite(1, HASHMAP, "hashmap", 1, "com.sun.tools.javac.X.<init>(X.java:1)");
    f.count(1, "mapsCreated", 2943);
    f.interval(1000, Map.of(1, new long[] {2943, 2943, 2943 * 16, 0, 2943 * 100, 2943 * 14}));
    f.interval(1000, Map.of(1, new long[] {2943, 2943, 2943 * 16, 0, 2943 * 100, 2943 * 14}));
    assertEquals(List.of(), kinds(analyze(f)));
  }

  @Test
  void tinyMapsThatDeleteAreStillNoWasteWhileTheyKeepTheirDefaultTable() throws Exception {
    RecordingFixture f =
        fixture("tinyDeletes").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.X.<init>(X.java:1)");
    f.count(1, "mapsCreated", 5000);
    f.interval(1000, Map.of(1, new long[] {5000, 40_000, 80_000, 0, 2_000_000, 10_000}));
    f.count(1, "deleteHits", 39_000);
    f.interval(1000, Map.of(1, new long[] {5000, 1000, 80_000, 0, 400_000, 78_000}));
    assertEquals(List.of(), kinds(analyze(f)));
  }

  @Test
  void aDrainedMapThatDiesBeforeTheEndIsStillFoundAtItsPeak() throws Exception {
    RecordingFixture f =
        fixture("died").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.Batch.<init>(Batch.java:9)");
    f.count(1, "mapsCreated", 1);
    f.interval(1000, Map.of(1, new long[] {1, 100_000, 262_144, 0, 4_000_000, 0}));
    f.count(1, "deleteHits", 99_990);
    f.interval(1000, Map.of(1, new long[] {1, 10, 262_144, 0, 1_050_000, 262_128}));
    f.interval(1000, Map.of(1, new long[] {1, 10, 262_144, 0, 1_050_000, 262_128}));
    f.interval(1000, Map.of(1, new long[] {0, 0, 0, 0, 0, 0}));
    f.interval(1000, Map.of(1, new long[] {0, 0, 0, 0, 0, 0}));
    Analysis a = analyze(f);
    assertEquals(List.of("peakCapacity"), kinds(a));
    Finding found = a.findings().get(0);
    assertEquals((262_128 - 16) * 4, found.bytesAtStake());
    assertEquals((262_128 - 16) * 4 * 2, found.byteSeconds(), "held two seconds");
    assertEquals("medium", found.severity(), "just under 1 MiB");
    assertTrue(found.detail().contains("collected before the recording ended"), found.detail());
    assertTrue(found.detail().contains("a peak of at least 100,000"), found.detail());
    assertEquals("com.acme.Batch.<init>(Batch.java:9)", found.line());
  }

  @Test
  void findingsAreRankedByTheirPeakOverTheRunNotByTheLastGauge() throws Exception {
    RecordingFixture f =
        fixture("rank")
            .jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.Early.<init>(Early.java:1)")
            .jdkSite(2, HASHMAP, "hashmap", 1, "com.acme.Late.<init>(Late.java:2)");
    f.count(1, "mapsCreated", 1).count(2, "mapsCreated", 1);
    f.interval(
        1000,
        Map.of(
            1, new long[] {1, 500_000, 1 << 20, 0, 20_000_000, 0},
            2, new long[] {1, 20_000, 32_768, 0, 800_000, 0}));
    f.count(1, "deleteHits", 500_000).count(2, "deleteHits", 19_990);
    f.interval(
        1000,
        Map.of(
            1, new long[] {1, 0, 1 << 20, 0, 4_000_000, 1 << 20},
            2, new long[] {1, 10, 32_768, 0, 140_000, 32_752}));
    f.interval(
        1000,
        Map.of(
            1, new long[] {0, 0, 0, 0, 0, 0}, 2, new long[] {1, 10, 32_768, 0, 140_000, 32_752}));
    Analysis a = analyze(f);
    assertEquals(List.of(1, 2), a.findings().stream().map(Finding::site).toList());
  }

  @Test
  void aSiteOfManyMapsIsSpokenOfAsItsMaps() throws Exception {
    RecordingFixture f =
        fixture("many").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.Shard.<init>(Shard.java:4)");
    f.count(1, "mapsCreated", 40);
    f.interval(1000, Map.of(1, new long[] {40, 400_000, 40 * 16_384, 0, 20_000_000, 0}));
    f.count(1, "deleteHits", 399_000);
    f.interval(1000, Map.of(1, new long[] {40, 1000, 40 * 16_384, 0, 3_000_000, 40 * 16_000}));
    Analysis a = analyze(f);
    assertEquals(List.of("peakCapacity"), kinds(a));
    assertTrue(
        a.findings()
            .get(0)
            .title()
            .startsWith(
                "peak capacity retained after deletes in the 40 HashMaps built at"
                    + " com.acme.Shard.<init>(Shard.java:4): copy each into a new map"),
        a.findings().get(0).title());
  }

  @Test
  void aMissStormNamesTheLineThatDeletesAndIsMediumOnlyWhenItsTimeMatters() throws Exception {
    Analysis cheap = missStorm("cheap", 2_000, 40_000);
    Finding f = cheap.findings().get(0);
    assertEquals("missStorm", f.kind());
    assertEquals("com.acme.Compiler.unvisit(Compiler.java:88)", f.line());
    assertTrue(f.title().startsWith("100% of the deletes at com.acme.Compiler.unvisit"), f.title());
    assertTrue(f.detail().contains("built at com.acme.Compiler.<init>(Compiler.java:12)"));
    assertEquals("low", f.severity(), "2,000 misses of 40 µs in a 10 s run: 0.8%");

    assertEquals("medium", missStorm("costly", 2_000, 1_000_000).findings().get(0).severity());
  }

  private Analysis missStorm(String name, long misses, long latencyNanos) throws Exception {
    RecordingFixture f =
        fixture(name)
            .site(
                1, "io.tombscope.map.BucketHashMap", "com.acme.Compiler.<init>(Compiler.java:12)");
    f.count(1, "mapsCreated", 1);
    for (int i = 0; i < 10; i++) {
      if (i == 0) {
        f.count(1, "deleteMisses", misses).histogram("deleteLatency", 1, latencyNanos, 100);
      }
      f.interval(1000, Map.of(1, new long[] {1, 100, 256, 0, 4000}));
    }
    f.deleteSite(
        1,
        List.of(
            "java.util.Collection.removeIf(Collection.java:576)",
            "com.acme.Compiler.unvisit(Compiler.java:88)"),
        misses,
        misses);
    f.deleteSite(1, "com.acme.Compiler.reset(Compiler.java:99)", 100, 0);
    return analyze(f);
  }

  @Test
  void aMapUsedAsASetHasNoSilentDeleteFinding() throws Exception {
    // H2's WeakHashMap<Database, Void>: every value is null, so every remove is "silent".
    RecordingFixture f =
        fixture("set")
            .jdkSite(1, "java.util.WeakHashMap", "weak", 1, "org.h2.engine.X.<clinit>(X.java:3)");
    f.count(1, "mapsCreated", 1).count(1, "deleteHits", 12).count(1, "silentDeletes", 12);
    f.interval(1000, Map.of(1, new long[] {1, 3, 16, 0, 500, 0}));
    assertEquals(List.of(), kinds(analyze(f)));

    RecordingFixture mixed =
        fixture("mixed").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.Index.<init>(Index.java:20)");
    mixed.count(1, "mapsCreated", 1).count(1, "deleteHits", 12).count(1, "silentDeletes", 3);
    mixed.interval(1000, Map.of(1, new long[] {1, 3, 16, 0, 500, 0}));
    mixed.deleteSite(1, "com.acme.Index.drop(Index.java:50)", 4096, 0);
    Finding silent = analyze(mixed).findings().get(0);
    assertEquals("silentDeletes", silent.kind());
    assertEquals("com.acme.Index.drop(Index.java:50)", silent.line());
  }

  @Test
  void churnThatCostsRealTimeIsAFindingAtTheDeletingLine() throws Exception {
    RecordingFixture f =
        fixture("churn")
            .site(1, "io.tombscope.map.BucketHashMap", "com.acme.Types.<init>(Types.java:90)");
    f.count(1, "mapsCreated", 1);
    for (int i = 0; i < 10; i++) {
      f.count(1, "deleteHits", 227_000).histogram("deleteLatency", 1, 200, 3500);
      f.interval(1000, Map.of(1, new long[] {1, 2, 16, 0, 400}));
    }
    f.deleteSite(1, "com.acme.Types.visit(Types.java:2194)", 2_270_000, 0);
    Analysis a = analyze(f);
    assertEquals(List.of("churn"), kinds(a));
    Finding churn = a.findings().get(0);
    assertTrue(
        churn.title().startsWith("2,270,000 deletes, about 454.0 ms, at com.acme.Types.visit"),
        churn.title());
    assertTrue(churn.title().contains("filled and emptied on every pass"), churn.title());
    assertEquals("low", churn.severity(), "4.5% of a 10 s run");
    assertEquals("com.acme.Types.visit(Types.java:2194)", churn.line());

    RecordingFixture quick =
        fixture("quick")
            .site(1, "io.tombscope.map.BucketHashMap", "com.acme.Types.<init>(Types.java:90)");
    quick.count(1, "mapsCreated", 1).count(1, "deleteHits", 20_000);
    quick.histogram("deleteLatency", 1, 40, 300);
    quick.interval(10_000, Map.of(1, new long[] {1, 2, 16, 0, 400}));
    assertEquals(List.of(), kinds(analyze(quick)), "0.8 ms of a 10 s run");
  }

  @Test
  void churnOfAJdkSetIsAFindingAtItsDeletingLineWithItsTimeAnEstimate() throws Exception {
    // javac: 2.27M add/remove pairs in one recursion-guard HashSet, its real map hotspot.
    RecordingFixture f =
        fixture("jdkChurn")
            .jdkSite(
                1,
                HASHMAP,
                "hashmap",
                1,
                "com.sun.tools.javac.code.Types$TypeRelation.<init>(Types.java:90)");
    f.count(1, "mapsCreated", 1);
    for (int i = 0; i < 10; i++) {
      f.count(1, "deleteHits", 227_000).histogram("deleteLatency", 1, 300, 3500);
      f.interval(1000, Map.of(1, new long[] {1, 2, 16, 0, 400, 0}));
    }
    f.deleteSite(
        1, "com.sun.tools.javac.code.Types$TypeRelation.visit(Types.java:2194)", 2_270_000, 0);
    Analysis a = analyze(f);
    assertEquals(List.of("churn"), kinds(a));
    Finding churn = a.findings().get(0);
    assertTrue(
        churn
            .title()
            .matches(
                "2,270,000 deletes, about 68\\d\\.\\d ms, at com\\.sun\\.tools\\.javac\\.code"
                    + "\\.Types\\$TypeRelation\\.visit\\(Types\\.java:2194\\): .*"),
        churn.title());
    assertEquals("medium", churn.severity(), "6.8% of a 10 s run");
    assertEquals(
        "com.sun.tools.javac.code.Types$TypeRelation.visit(Types.java:2194)", churn.line());
    assertTrue(churn.detail().contains("an estimate: one remove(key)"), churn.detail());

    RecordingFixture untimed =
        fixture("jdkUntimed").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.A.<init>(A.java:1)");
    untimed.count(1, "mapsCreated", 1).count(1, "deleteHits", 2_270_000);
    untimed.interval(10_000, Map.of(1, new long[] {1, 2, 16, 0, 400, 0}));
    assertEquals(List.of(), kinds(analyze(untimed)), "no time sampled, no cost claimed");
  }

  /** A JDK gauge line with the agent's exact peak and drained keys. */
  private static String gauge(
      int site,
      long maps,
      long size,
      long slots,
      long drainedSlots,
      long drainedPeak,
      long byteSec) {
    return String.format(
        "{\"type\":\"gauge\",\"t\":0,\"site\":%d,\"maps\":%d,\"size\":%d,\"slots\":%d,"
            + "\"buckets\":%d,\"overflowBuckets\":0,\"tombstones\":0,\"growing\":0,"
            + "\"estimatedBytes\":%d,\"deadSlots\":%d,\"sizePeak\":330000,"
            + "\"mapSizePeak\":330000,\"drainedMaps\":%d,\"drainedSlots\":%d,"
            + "\"drainedBytes\":%d,\"drainedBytesPeak\":%d,\"drainedByteSeconds\":%d}",
        site,
        maps,
        size,
        slots,
        slots,
        4 * slots + 40 * size,
        drainedSlots,
        drainedSlots > 0 ? 1 : 0,
        drainedSlots,
        4 * drainedSlots,
        drainedPeak,
        byteSec);
  }

  @Test
  void theAgentsExactPeaksAndDrainedWasteAreUsedAndALibraryBuiltMapNamesTheProgramsLine()
      throws Exception {
    RecordingFixture f =
        fixture("exact")
            .siteLine(
                "{\"site\":1,\"mapClass\":\"java.util.concurrent.ConcurrentHashMap\","
                    + "\"family\":\"concurrent\",\"trackedOneIn\":1,\"tracking\":\"sampled\","
                    + "\"allocationSite\":[\"com.github.benmanes.caffeine.cache.BoundedLocalCache"
                    + ".<init>(BoundedLocalCache.java:250)\",\"com.github.benmanes.caffeine.cache"
                    + ".Caffeine.build(Caffeine.java:1100)\",\"com.acme.CacheDriver.main"
                    + "(CacheDriver.java:28)\"],\"appFrame\":\"com.acme.CacheDriver.main"
                    + "(CacheDriver.java:28)\",\"t\":0}");
    f.count(1, "mapsCreated", 1).count(1, "deleteHits", 329_000);
    // The drain and its peak fall between the two gauges; only the agent's peak shows it.
    f.rawEvent(gauge(1, 1, 330_000, 524_288, 0, 0, 0));
    f.interval(1000, Map.of());
    f.rawEvent(gauge(1, 1, 1000, 524_288, 522_240, 2_092_800, 6_266_880));
    f.interval(1000, Map.of());
    Analysis a = analyze(f);
    assertEquals(330_000, a.sites().get(0).peakSize());
    assertTrue(a.sites().get(0).peakSizeExact());
    assertEquals(List.of("peakCapacity"), kinds(a));
    Finding found = a.findings().get(0);
    assertEquals("com.acme.CacheDriver.main(CacheDriver.java:28)", found.line());
    assertEquals(
        "peak capacity retained after deletes in the ConcurrentHashMap that"
            + " com.github.benmanes.caffeine.cache.Caffeine.build builds for"
            + " com.acme.CacheDriver.main(CacheDriver.java:28): size or rebuild what"
            + " Caffeine.build makes there once it is drained",
        found.title());
    assertEquals(
        2_092_800 - 16 * 4, found.bytesAtStake(), "the agent's peak, less a default table");
    assertTrue(found.detail().contains("the site's peak: 330,000 entries"), found.detail());
    assertTrue(found.detail().contains("ConcurrentHashMap never shrinks"), found.detail());
  }

  @Test
  void drainedFiguresOfTinyMapsWithinTheirDefaultTablesAreNoWaste() throws Exception {
    RecordingFixture f =
        fixture("exactTiny").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.X.<init>(X.java:1)");
    f.count(1, "mapsCreated", 3000).count(1, "deleteHits", 27_000);
    // 3,000 maps that held 10 entries and now hold 1: 14 drained slots each, all in default tables.
    f.rawEvent(
        gauge(1, 3000, 3000, 48_000, 42_000, 168_000, 168_000)
            .replace("\"drainedMaps\":1", "\"drainedMaps\":3000"));
    f.interval(1000, Map.of());
    assertEquals(List.of(), kinds(analyze(f)));
  }

  @Test
  void aDeleteNamesTheProgramsFrameTheAgentFoundForItsStack() throws Exception {
    RecordingFixture f =
        fixture("deleteApp").jdkSite(1, HASHMAP, "hashmap", 1, "com.acme.X.<init>(X.java:1)");
    f.count(1, "mapsCreated", 1).count(1, "deleteHits", 10).count(1, "deleteMisses", 5000);
    f.interval(1000, Map.of(1, new long[] {1, 10, 16, 0, 500, 0}));
    f.rawEvent(
        "{\"type\":\"deleteSite\",\"t\":1000,\"site\":1,\"frame\":"
            + "\"org.lib.Registry.unregister(Registry.java:70)\",\"callers\":"
            + "[\"org.lib.Facade.close(Facade.java:9)\"],\"deletes\":5000,\"deleteMisses\":5000,"
            + "\"appFrame\":\"com.acme.Shutdown.run(Shutdown.java:12)\"}");
    Analysis a = analyze(f);
    assertEquals("com.acme.Shutdown.run(Shutdown.java:12)", a.findings().get(0).line());
  }
}
