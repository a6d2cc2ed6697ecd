package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.fixture.RecordingFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryCommandTest {
  @TempDir Path tmp;

  /** The keys of DESIGN.md's summary schema: a public contract, added to but never renamed. */
  @Test
  void theJsonSummaryHasEveryContractKeyAndTheFixturesTruth() throws Exception {
    RecordingFixture f = RecordingFixture.threeSites(tmp.resolve("rec"));
    f.write();
    CliRun run = CliRun.of("summary", f.dir().toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode j = new ObjectMapper().readTree(run.out());
    for (String key : List.of("start", "durationMs", "jvm", "agentOptions")) {
      assertTrue(j.path("recording").has(key), "recording." + key);
    }
    for (String key :
        List.of(
            "deletes",
            "deleteHits",
            "deleteMisses",
            "tombstonesLive",
            "tombstonesPeak",
            "tombstonesReclaimed",
            "grows",
            "sameSizeGrows",
            "evacuatedBuckets",
            "mapsTracked")) {
      assertTrue(j.path("totals").has(key), "totals." + key);
    }
    for (String key : List.of("count", "p50", "p99", "p999", "max")) {
      assertTrue(j.path("latency").path("deleteLatency").has(key), "latency.deleteLatency." + key);
    }
    JsonNode site = j.path("sites").get(0);
    for (String key :
        List.of(
            "id",
            "mapClass",
            "allocationSite",
            "maps",
            "deletes",
            "deleteHits",
            "deleteMisses",
            "tombstonesLive",
            "tombstonesPeak",
            "grows",
            "sameSizeGrows")) {
      assertTrue(site.has(key), "sites[]." + key);
    }
    for (String key : List.of("frame", "deletes", "deleteMisses")) {
      assertTrue(j.path("deleteSites").get(0).has(key), "deleteSites[]." + key);
    }
    JsonNode release = j.path("releases").get(0);
    for (String side : List.of("before", "after", "released")) {
      for (String key :
          List.of("heapUsedBytes", "heapCommittedBytes", "rssBytes", "mapBytes", "tombstones")) {
        assertTrue(release.path(side).has(key), "releases[]." + side + "." + key);
      }
    }
    assertTrue(release.has("trigger"));
    for (String key : List.of("severity", "site", "title", "detail")) {
      assertTrue(j.path("findings").get(0).has(key), "findings[]." + key);
    }

    long hits = f.total(1, "deleteHits") + f.total(2, "deleteHits") + f.total(3, "deleteHits");
    long misses = f.total(3, "deleteMisses");
    assertEquals(hits, j.path("totals").path("deleteHits").asLong());
    assertEquals(misses, j.path("totals").path("deleteMisses").asLong());
    assertEquals(hits + misses, j.path("totals").path("deletes").asLong());
    assertEquals(3, j.path("totals").path("sameSizeGrows").asLong());
    assertEquals(17, j.path("totals").path("grows").asLong());
    assertEquals(3, j.path("totals").path("mapsTracked").asLong());
    assertEquals(60_000 + 390 + 20, j.path("totals").path("tombstonesLive").asLong());
    assertEquals(
        1_300_000, j.path("releases").get(0).path("released").path("heapUsedBytes").asLong());
    assertEquals(780, j.path("latency").path("deleteLatency").path("count").asLong());
  }

  /** Keys added for JDK maps; every site has them, a BucketHashMap site with its defaults. */
  @Test
  void theJsonSummaryHasTheJdkKeysAndTheirValues() throws Exception {
    RecordingFixture f = RecordingFixture.jdkSites(tmp.resolve("jdk"));
    f.write();
    CliRun run = CliRun.of("summary", f.dir().toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode j = new ObjectMapper().readTree(run.out());
    JsonNode sites = j.path("sites");
    List<String> keys =
        List.of(
            "family",
            "trackedOneIn",
            "silentDeletes",
            "deadSlots",
            "staleEntries",
            "staleExpunged",
            "resizes");
    for (JsonNode site : sites) {
      for (String key : keys) {
        assertTrue(site.has(key), "sites[" + site.path("id") + "]." + key);
      }
    }
    JsonNode index = sites.get(0);
    assertEquals("hashmap", index.path("family").asText());
    assertEquals(64, index.path("trackedOneIn").asInt());
    assertEquals(12, index.path("silentDeletes").asLong());
    assertEquals(260_096, index.path("deadSlots").asLong());
    assertEquals(14, index.path("resizes").asLong());
    assertEquals(0, index.path("tombstonesLive").asLong());
    assertEquals("concurrent", sites.get(1).path("family").asText());
    assertEquals(3, sites.get(1).path("resizeHelpers").asLong());
    assertEquals("weak", sites.get(2).path("family").asText());
    assertEquals(400, sites.get(2).path("staleEntries").asLong());
    assertEquals(5000, sites.get(2).path("staleExpunged").asLong());
    assertEquals("threadlocal", sites.get(3).path("family").asText());
    assertEquals(200, sites.get(3).path("staleEntries").asLong());
    assertEquals("identity", sites.get(4).path("family").asText());
    assertEquals(7936, sites.get(4).path("deadSlots").asLong());
    assertEquals(12, j.path("totals").path("silentDeletes").asLong());
    assertEquals(260_096 + 7936, j.path("totals").path("deadSlots").asLong());
    assertEquals(600, j.path("totals").path("staleEntries").asLong());
    assertEquals(0, j.path("totals").path("tombstonesLive").asLong());
    assertTrue(j.path("findings").get(0).path("title").asText().endsWith("(1 in 64 maps tracked)"));

    JsonNode old =
        new ObjectMapper()
            .readTree(
                CliRun.of(
                        "summary",
                        RecordingFixture.threeSites(tmp.resolve("old")).write().toString(),
                        "--json")
                    .out())
            .path("sites")
            .get(0);
    assertEquals("bucket", old.path("family").asText());
    assertEquals(1, old.path("trackedOneIn").asInt());
    assertEquals(0, old.path("deadSlots").asLong());
    assertEquals(0, old.path("resizes").asLong());
  }

  /** A release that ends with more heap in use than it began with gives back none: no "-4 KiB". */
  @Test
  void aReleaseWhoseHeapGrewSaysSoInsteadOfANegativeAmount() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("grew"))
            .site(3, "io.tombscope.map.BucketHashMap", "com.acme.Cache.<init>(Cache.java:10)")
            .count(3, "deleteHits", 10)
            .interval(1000, java.util.Map.of(3, new long[] {1, 5, 1024, 0, 8192, 4096}))
            .release(1_000_000, 1_004_904, 0, 0)
            .end();
    f.write();
    CliRun run = CliRun.of("summary", f.dir().toString());
    assertEquals(0, run.exitCode(), run.err());
    String released =
        run.out().lines().filter(l -> l.startsWith("released: ")).findFirst().orElseThrow();
    assertTrue(released.startsWith("released: no heap (it grew 4.8 KiB)"), released);
  }

  @Test
  void patternsAreClassifiedPerSite() throws Exception {
    RecordingFixture f = RecordingFixture.threeSites(tmp.resolve("rec"));
    f.write();
    JsonNode sites =
        new ObjectMapper()
            .readTree(CliRun.of("summary", f.dir().toString(), "--json").out())
            .path("sites");
    assertEquals("steady churn at constant size", sites.get(0).path("pattern").asText());
    assertEquals("bulk load then drain", sites.get(1).path("pattern").asText());
    assertEquals("delete-miss storm", sites.get(2).path("pattern").asText());
  }

  @Test
  void aRecordingWithoutAnEndLineSaysWhetherItsJvmStillRuns() throws Exception {
    long self = ProcessHandle.current().pid();
    for (boolean running : new boolean[] {true, false}) {
      RecordingFixture f =
          new RecordingFixture(tmp.resolve("rec-" + running))
              .site(1, "io.tombscope.map.BucketHashMap", "com.acme.Cache.<init>(Cache.java:41)")
              .count(1, "deleteHits", 10);
      f.interval(1000, Map.of(1, new long[] {1, 100, 1024, 10, 12_000}));
      // This JVM stands for the one recording. Started before the recording, it is the writer;
      // a recording older than the process is another JVM's that had the same pid.
      f.writtenBy(self, running ? System.currentTimeMillis() : RecordingFixture.START).write();
      CliRun run = CliRun.of("summary", f.dir().toString());
      assertEquals(0, run.exitCode(), run.err());
      String expected =
          running
              ? "(still being written: JVM " + self + " is running)"
              : "(cut short: no end line)";
      assertTrue(run.out().lines().findFirst().orElseThrow().endsWith(expected), run.out());
    }
  }

  /** Loaded to about a million and drained to 50,000 between two gauges: the resizes show it. */
  @Test
  void aDrainWithinOneIntervalIsSeenThroughItsResizes() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .jdkSite(1, "java.util.HashMap", "hashmap", 1, "com.acme.Import.run(Import.java:71)");
    f.count(1, "deleteHits", 950_000).count(1, "growsLoad", 3).count(1, "growsFinished", 3);
    f.resize(1, 18, 19, 0).resize(1, 19, 20, 0).resize(1, 20, 21, 0);
    f.interval(1000, Map.of(1, new long[] {1, 50_000, 1 << 21, 0, 9_000_000, (1 << 21) - 65_536}));
    f.end().write();
    JsonNode site =
        new ObjectMapper()
            .readTree(CliRun.of("summary", f.dir().toString(), "--json").out())
            .path("sites")
            .get(0);
    assertEquals(786_433, site.path("peakSize").asLong(), site.toString());
    assertEquals("bulk load then drain", site.path("pattern").asText());
  }

  @Test
  void findingsAreRankedByMemoryAtStakeAndNameTheFix() throws Exception {
    RecordingFixture f = RecordingFixture.threeSites(tmp.resolve("rec"));
    f.write();
    JsonNode findings =
        new ObjectMapper()
            .readTree(CliRun.of("summary", f.dir().toString(), "--json").out())
            .path("findings");
    JsonNode first = findings.get(0);
    assertEquals(2, first.path("site").asInt(), first.toString());
    assertTrue(
        first
            .path("title")
            .asText()
            .startsWith("recreate or trim() the map at com.acme.Batch.load"));
    assertTrue(
        first.path("detail").asText().contains("41% of its slots are tombstones"),
        first.toString());
    long previous = Long.MAX_VALUE;
    for (JsonNode n : findings) {
      assertTrue(n.path("bytesAtStake").asLong() <= previous);
      previous = n.path("bytesAtStake").asLong();
    }
    assertTrue(findings.toString().contains("90% of the deletes at com.acme.Sessions"));
    assertTrue(findings.toString().contains("rebuilt the map 3 times at the same size"));
  }

  @Test
  void theTextSummaryNamesTheBusiestSite() throws Exception {
    RecordingFixture f = RecordingFixture.threeSites(tmp.resolve("rec"));
    f.write();
    CliRun run = CliRun.of("summary", f.dir().toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("deletes: 155,000"), run.out());
    assertTrue(run.out().contains("com.acme.Batch.load(Batch.java:9)"));
    assertTrue(
        run.out().contains("released: 1.2 MiB of heap, 3.7 MiB of RSS over 1 release(s)"),
        run.out());
    assertTrue(
        run.out().contains("heap used 47.7 MiB -> 46.4 MiB, RSS 143.1 MiB -> 139.3 MiB, map bytes"),
        run.out());
  }

  @Test
  void aReleaseWhoseRssWasUnreadableAddsNoRss() throws Exception {
    RecordingFixture f = RecordingFixture.threeSites(tmp.resolve("rec"));
    String side =
        "{\"heapUsedBytes\":%d,\"heapCommittedBytes\":0,\"rssBytes\":-1,\"mapBytes\":0,"
            + "\"tombstones\":0}";
    f.rawEvent(
        "{\"type\":\"release\",\"t\":5000,\"trigger\":\"api\",\"before\":"
            + side.formatted(3 << 20)
            + ",\"after\":"
            + side.formatted(1 << 20)
            + ",\"released\":"
            + side.formatted(2 << 20)
            + ",\"mapsCompacted\":1,\"mapsPending\":0,\"pendingBytes\":0,\"gcCount\":2,"
            + "\"durationMs\":40}");
    f.write();
    CliRun run = CliRun.of("summary", f.dir().toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out().contains("released: 3.2 MiB of heap, 3.7 MiB of RSS over 2 release(s)"),
        run.out());
    assertTrue(run.out().contains("heap used 3.0 MiB -> 1.0 MiB, map bytes"), run.out());
  }

  @Test
  void theTextSummaryShowsFamiliesTheirWasteAndSampling() throws Exception {
    RecordingFixture f = RecordingFixture.jdkSites(tmp.resolve("jdk"));
    f.write();
    CliRun run = CliRun.of("summary", f.dir().toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.out()
            .contains(
                "JDK maps: 5 site(s), 268,032 dead slots, 600 stale entries, 12 silent deletes"
                    + " (sampled sites count their tracked maps only)"),
        run.out());
    String index =
        run.out().lines().filter(l -> l.contains("com.acme.Index")).findFirst().orElseThrow();
    assertTrue(index.contains("hashmap 1/64"), index);
    assertTrue(index.contains("260,096"), index);
    String old =
        CliRun.of("summary", RecordingFixture.threeSites(tmp.resolve("old")).write().toString())
            .out();
    assertFalse(old.contains("JDK maps"), old);
    assertTrue(old.lines().anyMatch(l -> l.contains("Batch.load") && l.contains(" bucket ")), old);
  }

  @Test
  void siteShowsOneSiteInFullWithItsStackCallersAndFindings() throws Exception {
    Path rec = RecordingFixture.threeSites(tmp.resolve("rec")).write();
    CliRun run = CliRun.of("summary", rec.toString(), "--site", "1,3");
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    assertTrue(out.startsWith("Site 1: io.tombscope.map.BucketHashMap (bucket)\n"), out);
    assertTrue(
        out.contains(
            "  allocated at\n"
                + "    com.acme.Cache.<init>(Cache.java:41)\n"
                + "    com.acme.Main.main(Main.java:12)\n"),
        out);
    assertTrue(out.contains("  deletes     50,000 (50,000 hits, 0 misses, 0.0% missed)"), out);
    assertTrue(out.contains("  grows       3 (3 same-size)"), out);
    assertTrue(out.contains("49,000    0.0% missed  com.acme.Cache.evict(Cache.java:88)"), out);
    String site3 = out.substring(out.indexOf("Site 3:"));
    assertTrue(site3.contains("10,000   90.0% missed  com.acme.Sessions.logout"), site3);
    assertTrue(site3.contains("] 90% of the deletes at com.acme.Sessions"), site3);
    assertFalse(out.contains("Sites by deletes"), "only the sites asked for");

    CliRun json = CliRun.of("summary", rec.toString(), "--site", "3", "--json");
    assertEquals(0, json.exitCode(), json.err());
    JsonNode sites = new ObjectMapper().readTree(json.out());
    assertEquals(1, sites.size());
    assertEquals(3, sites.get(0).path("id").asInt());
    assertEquals(9000, sites.get(0).path("deleteMisses").asLong());
  }

  @Test
  void aDeleteCallSiteShowsTheCallersThatReachedIt() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .site(1, "io.tombscope.map.BucketHashMap", "com.acme.Cache.<init>(Cache.java:4)");
    f.count(1, "mapsCreated", 1).count(1, "deleteHits", 8192);
    f.interval(1000, Map.of(1, new long[] {1, 10, 64, 0, 1_000}));
    List<String> viaLogout =
        List.of("com.acme.Cache.evict(Cache.java:9)", "com.acme.Sessions.logout(Sessions.java:30)");
    List<String> viaExpiry =
        List.of("com.acme.Cache.evict(Cache.java:9)", "com.acme.Expiry.run(Expiry.java:12)");
    f.deleteSite(1, viaLogout, 4096, 0).deleteSite(1, viaExpiry, 4096, 4096);
    Path rec = f.end().write();

    CliRun text = CliRun.of("summary", rec.toString(), "--site", "1");
    assertEquals(0, text.exitCode(), text.err());
    assertTrue(
        text.out()
            .contains(
                "           4,096  100.0% missed  com.acme.Cache.evict(Cache.java:9)\n"
                    + "                                 ← com.acme.Expiry.run(Expiry.java:12)\n"),
        text.out());
    assertTrue(text.out().contains("← com.acme.Sessions.logout(Sessions.java:30)"), text.out());

    JsonNode json =
        new ObjectMapper().readTree(CliRun.of("summary", rec.toString(), "--json").out());
    assertEquals(2, json.path("deleteSites").size(), "one call site per stack, not per frame");
    for (JsonNode d : json.path("deleteSites")) {
      assertEquals("com.acme.Cache.evict(Cache.java:9)", d.path("frame").asText());
      assertEquals(1, d.path("callers").size(), d.toString());
      assertEquals("[1]", d.path("sites").toString(), "the allocation site it deletes from");
    }
    String summary = CliRun.of("summary", rec.toString()).out();
    assertTrue(
        summary.contains(
            "4,096  100.0% missed  site #1   com.acme.Cache.evict(Cache.java:9)\n"
                + "                                           ← com.acme.Expiry.run(Expiry.java:12)"),
        summary);

    Path html = tmp.resolve("report.html");
    assertEquals(0, CliRun.of("report", rec.toString(), "-o", html.toString()).exitCode());
    assertTrue(
        java.nio.file.Files.readString(html)
            .replace("<wbr>", "")
            .contains(
                "<summary>com.acme.Cache.evict(Cache.java:9) ← com.acme.Expiry.run(Expiry.java:12)"
                    + "</summary>"),
        "the report's call site unfolds to its callers");
  }

  @Test
  void anUnknownSiteIsOneLineNamingTheRecordingsSites() throws Exception {
    Path rec = RecordingFixture.threeSites(tmp.resolve("rec")).write();
    CliRun run = CliRun.of("summary", rec.toString(), "--site", "9");
    assertEquals(2, run.exitCode());
    assertEquals(
        "tombscope: --site 9: " + rec + " has no site 9 (its sites are 1 to 3)\n", run.err());
  }

  @Test
  void theTextSummarySaysHowManySitesItLeftOut() throws Exception {
    RecordingFixture f = new RecordingFixture(tmp.resolve("many"));
    Map<Integer, long[]> gauges = new java.util.HashMap<>();
    for (int id = 1; id <= 25; id++) {
      f.site(id, "io.tombscope.map.BucketHashMap", "com.acme.Site" + id + ".make(S.java:1)");
      f.count(id, "mapsCreated", 1).count(id, "deleteHits", id);
      gauges.put(id, new long[] {1, 10, 64, 0, 1_000});
    }
    f.interval(1000, gauges);
    CliRun run = CliRun.of("summary", f.end().write().toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Sites by deletes (20 of 25; --json lists all):"), run.out());
    assertTrue(run.out().contains("com.acme.Site25.make"), "the busiest are shown");
    assertFalse(run.out().contains("com.acme.Site5.make"), "the quietest are left out");
  }
}
