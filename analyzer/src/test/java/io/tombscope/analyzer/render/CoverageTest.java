package io.tombscope.analyzer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording that saw no waste says what it did not see, never that nothing wastes memory. */
class CoverageTest {
  @TempDir Path tmp;

  @Test
  void deletesOfUntrackedJdkMapsAreCountedAndNamedWithTheOptionThatShowsThem() throws Exception {
    RecordingFixture f = new RecordingFixture(tmp.resolve("untracked"));
    f.rawEvent(
        "{\"type\":\"untracked\",\"t\":1000,\"family\":\"hashmap\",\"deletes\":1320000,"
            + "\"deleteMisses\":4100,\"resizes\":52000}");
    f.rawEvent(
        "{\"type\":\"untracked\",\"t\":1000,\"family\":\"weak\",\"deletes\":200,\"resizes\":3}");
    f.interval(1000, Map.of());
    Analysis a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    assertEquals(1_320_200, a.recording().untrackedDeletes());

    String summary = SummaryText.render(a);
    assertTrue(summary.contains("in 0 maps at 0 sites; 1,320,200 more in JDK maps not tracked"));
    assertTrue(summary.contains("No findings in the maps tracked."), summary);
    assertTrue(summary.contains("(hashmap 1,320,000, weak 200)"), summary);
    assertTrue(summary.contains("jdksample=1"), summary);
    assertFalse(summary.contains("nothing"), summary);

    String html = ReportBuilder.build(a).render();
    assertTrue(html.contains("No findings in the maps tracked."));
    assertFalse(html.contains("nothing here wastes memory"));

    var json = SummaryJson.tree(a);
    assertEquals(52_000, json.path("untracked").path("hashmap").path("resizes").asLong());
    assertTrue(json.path("notSeen").asText().contains("jdksample=1"));
  }

  @Test
  void aRecordingThatSawEveryMapSaysItsNoneCoversTheMapsRecorded() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("all"))
            .site(1, "io.tombscope.map.BucketHashMap", "com.acme.X.<init>(X.java:1)");
    f.count(1, "mapsCreated", 1);
    f.interval(1000, Map.of(1, new long[] {1, 10, 16, 0, 400}));
    Analysis a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    assertEquals("", Coverage.notSeen(a));
    assertTrue(Coverage.noFindings(a).startsWith("No findings in the maps recorded"));
  }
}
