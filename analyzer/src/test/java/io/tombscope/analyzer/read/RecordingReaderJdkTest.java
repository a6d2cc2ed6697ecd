package io.tombscope.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.render.ReportBuilder;
import io.tombscope.analyzer.render.SummaryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "JDK maps" keys of the recording format, and recordings written before them. */
class RecordingReaderJdkTest {
  @TempDir Path tmp;

  @Test
  void familyTrackingAndTheNewCountersGaugesAndSeriesAreRead() throws Exception {
    Recording r = RecordingReader.read(RecordingFixture.jdkSites(tmp.resolve("jdk")).write());
    SiteRecord index = r.sites().get(1);
    assertEquals("hashmap", index.family);
    assertEquals(64, index.trackedOneIn);
    assertTrue(index.isJdk());
    assertEquals(12, index.counter("silentDeletes"));
    assertEquals(260_096, index.gauge("deadSlots"));
    assertEquals(260_096, index.peakDeadSlots);
    assertEquals(5, index.deadSlots.size());
    assertEquals(
        List.of(0L, 0L, 260_096L),
        List.of(index.deadSlots.get(1), index.deadSlots.get(0), index.deadSlots.last()));
    assertEquals(1, index.growEvents, "a resize is a grow line");
    assertEquals(0, index.growEventsOverflow);

    SiteRecord registry = r.sites().get(2);
    assertEquals("concurrent", registry.family);
    assertEquals(3, registry.counter("resizeHelpers"));
    assertEquals(2, registry.growHelpers);

    SiteRecord listeners = r.sites().get(3);
    assertEquals(5000, listeners.counter("staleExpunged"));
    assertEquals(40, listeners.counter("expunges"));
    assertEquals(400, listeners.tombstones.last(), "the weak gauge's tombstones: stale entries");
    assertEquals(40, listeners.histograms.get("expungeStale").getTotalCount());
    assertEquals(60, r.seriesTotals().get("expungeStale").getTotalCount());

    assertEquals("threadlocal", r.sites().get(4).family);
    assertEquals("identity", r.sites().get(5).family);
    assertEquals(1, r.sites().get(5).trackedOneIn);
  }

  @Test
  void aRecordingWithoutTheJdkKeysReadsAsBucketHashMapSitesTrackingEveryMap() throws Exception {
    Recording r = RecordingReader.read(RecordingFixture.threeSites(tmp.resolve("old")).write());
    for (SiteRecord s : r.sites().values()) {
      assertEquals(SiteRecord.BUCKET, s.family);
      assertEquals(1, s.trackedOneIn);
      assertEquals(0, s.peakDeadSlots);
      assertEquals(0, s.deadSlots.last());
      assertEquals(0, s.counter("silentDeletes"));
    }
    var a = Analyzer.analyze(r);
    assertTrue(a.sites().stream().allMatch(s -> s.family() == MapFamily.BUCKET));
    assertEquals(60_410, a.totals().tombstonesLive(), "tombstones stay BucketHashMap's");
    assertEquals(0, a.totals().deadSlots());
    assertEquals(0, a.totals().staleEntries());
  }

  @Test
  void unusableOrUnknownJdkValuesFallBackAndUnknownKeysAreIgnored() throws Exception {
    Path dir = tmp.resolve("odd");
    RecordingFixture f =
        new RecordingFixture(dir)
            .jdkSite(1, "java.util.HashMap", "hashmap", 1, "a.A.a(A.java:1)")
            .jdkSite(2, "com.other.SplayMap", "splay", 8, "a.B.b(B.java:2)")
            .count(1, "mapsCreated", 1)
            .count(2, "mapsCreated", 1)
            .count(1, "deleteHits", 5)
            .count(1, "countedIn2030", 9);
    f.interval(
        1000, Map.of(1, new long[] {1, 10, 64, 0, 1000, 0}, 2, new long[] {1, 5, 16, 3, 400, 2}));
    f.write();
    Path sites = dir.resolve("sites.jsonl");
    List<String> lines = Files.readAllLines(sites);
    Files.write(
        sites,
        List.of(
            lines
                .get(0)
                .replace("\"trackedOneIn\":1", "\"trackedOneIn\":0")
                .replace("\"family\":\"hashmap\"", "\"family\":7,\"addedIn2030\":{\"x\":[1]}"),
            lines.get(1)));
    Recording r = RecordingReader.read(dir);
    assertEquals(SiteRecord.BUCKET, r.sites().get(1).family, "a family that is no string");
    assertEquals(1, r.sites().get(1).trackedOneIn, "a tracking period below 1");
    assertEquals(9, r.sites().get(1).counter("countedIn2030"), "kept, and used by nothing");
    assertEquals("splay", r.sites().get(2).family);
    assertEquals(8, r.sites().get(2).trackedOneIn);

    var a = Analyzer.analyze(r);
    assertEquals(MapFamily.OTHER, a.sites().get(1).family());
    assertEquals(0, a.sites().get(1).tombstonesLive(), "an unknown family's gauge is not trusted");
    assertEquals(0, a.sites().get(1).reclaimableBytes());
    assertEquals(List.of(), a.findings());
    assertEquals("splay", SummaryJson.tree(a).path("sites").get(1).path("family").asText());
    String page = ReportBuilder.build(a).render();
    assertTrue(
        page.contains(">1 in 8</div><div class=\"label\">JDK maps tracked</div>")
            && page.contains(">1 site(s): splay</div>"),
        "an unknown family is shown as it came, with its tracking period");
    assertTrue(page.contains("splay: A map family this version of Tombscope does not know."));
  }
}
