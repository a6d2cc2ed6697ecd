package io.tombscope.analyzer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.reports.Expandable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sites tables: ranked by waste and cost, one row per allocation line, insert-only folded. */
class SitesTableTest {
  @TempDir Path tmp;

  @Test
  void sitesAreRankedByWasteMergedByLineAndInsertOnlyOnesFolded() throws Exception {
    String hashMap = "java.util.HashMap";
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec"))
            .jdkSite(1, hashMap, "hashmap", 1, "com.acme.Busy.run(Busy.java:5)")
            .jdkSite(2, hashMap, "hashmap", 1, "com.acme.Quiet.<init>(Quiet.java:3)")
            .jdkSite(
                3,
                hashMap,
                "hashmap",
                1,
                "com.acme.Batch.load(Batch.java:9)",
                "com.acme.A.a(A.java:1)")
            .jdkSite(
                4,
                hashMap,
                "hashmap",
                1,
                "com.acme.Batch.load(Batch.java:9)",
                "com.acme.B.b(B.java:2)")
            .jdkSite(5, hashMap, "hashmap", 1, "com.acme.Other.<init>(Other.java:7)");
    for (int id = 1; id <= 5; id++) {
      f.count(id, "mapsCreated", 1);
    }
    long[] tiny = {1, 10, 16, 0, 500, 0};
    long[] full = {1, 100_000, 262_144, 0, 4_000_000, 0};
    f.interval(1000, Map.of(1, tiny, 2, tiny, 3, full, 4, full, 5, tiny));
    f.count(1, "deleteHits", 90_000).count(3, "deleteHits", 99_990).count(4, "deleteHits", 99_990);
    long[] drained = {1, 10, 262_144, 0, 1_050_000, 262_128};
    f.interval(1000, Map.of(1, tiny, 2, tiny, 3, drained, 4, drained, 5, tiny));
    Analysis a = Analyzer.analyze(RecordingReader.read(f.end().write()));

    List<SitesTable.Titled> tables = SitesTable.tables(a.sites());
    assertEquals(
        List.of("Sites: JDK maps"), tables.stream().map(SitesTable.Titled::heading).toList());
    List<List<Object>> rows = tables.get(0).table().rows();
    assertEquals(3, rows.size(), rows.toString());

    assertEquals("#3 #4", rows.get(0).get(0), "the drained line first, its two sites merged");
    Expandable batch = (Expandable) rows.get(0).get(1);
    assertEquals("Batch.load(Batch.java:9)", batch.text());
    assertTrue(batch.lines().contains("com.acme.A.a(A.java:1)"), batch.lines().toString());
    assertTrue(batch.lines().contains("com.acme.B.b(B.java:2)"), batch.lines().toString());
    assertEquals(199_980L, rows.get(0).get(5), "deletes summed");

    assertEquals("#1", rows.get(1).get(0), "then the site that deleted without waste");

    assertEquals("2 sites", rows.get(2).get(0), "insert-only sites folded last");
    Expandable quiet = (Expandable) rows.get(2).get(1);
    assertEquals("2 insert-only sites: no deletes, no waste", quiet.text());
    assertEquals(2L, rows.get(2).get(4), "their maps");
  }

  @Test
  void aFrameIsShownWithoutItsPackage() {
    assertEquals(
        "Types.isSameType(Types.java:2194)",
        SitesTable.shortFrame("com.sun.tools.javac.code.Types.isSameType(Types.java:2194)"));
    assertEquals("X.<init>(X.java:1)", SitesTable.shortFrame("X.<init>(X.java:1)"));
  }
}
