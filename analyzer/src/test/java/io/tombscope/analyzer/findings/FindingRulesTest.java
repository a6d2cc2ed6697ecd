package io.tombscope.analyzer.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingRulesTest {
  @TempDir Path tmp;

  @Test
  void aQuietMapHasNoFindings() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("quiet"))
            .site(1, "io.tombscope.map.BucketHashMap", "a.B.c(B.java:1)")
            .count(1, "mapsCreated", 1)
            .count(1, "deleteHits", 10);
    f.interval(1000, Map.of(1, new long[] {1, 900, 2048, 3, 20_000}));
    var a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    assertEquals(0, a.findings().size(), a.findings().toString());
  }

  @Test
  void aMapKeptAtPeakSizeIsFoundWithTheBytesATrimGivesBack() throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("peak"))
            .site(1, "io.tombscope.map.BucketHashMap", "a.Big.<init>(Big.java:5)")
            .count(1, "mapsCreated", 1)
            .count(1, "deleteHits", 990_000);
    f.interval(1000, Map.of(1, new long[] {1, 10_000, 2_228_224, 0, 20_000_000}));
    var a = Analyzer.analyze(RecordingReader.read(f.end().write()));
    var finding = a.findings().get(0);
    assertTrue(finding.title().contains("keeps its peak size"), finding.title());
    assertEquals("high", finding.severity());
    assertEquals(20_000_000 - RecordingFixture.trimmedBytes(10_000), finding.bytesAtStake());
  }
}
