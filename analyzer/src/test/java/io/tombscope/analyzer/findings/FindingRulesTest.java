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

  /** A release that freed 96 MiB of heap while RSS fell by 4: the JVM kept it committed. */
  @Test
  void memoryAReleaseFreedButTheJvmKeptIsFoundWithTheReason() throws Exception {
    long mib = 1 << 20;
    for (String xms : new String[] {"-Xms1g", "-Xms64m"}) {
      RecordingFixture f =
          new RecordingFixture(tmp.resolve("kept" + xms))
              .jvmArguments(xms, "-Xmx1g")
              .site(1, "io.tombscope.map.BucketHashMap", "a.B.c(B.java:1)");
      f.interval(1000, Map.of(1, new long[] {1, 900, 2048, 3, 20_000}));
      for (String trigger : new String[] {"api", "exit"}) {
        f.release(
            trigger,
            new long[] {128 * mib, 32 * mib},
            new long[] {1024 * mib, 1024 * mib},
            new long[] {1200 * mib, 1196 * mib});
      }
      var a = Analyzer.analyze(RecordingReader.read(f.end().write()));
      assertEquals(
          1, a.findings().size(), "one finding, the exit release left out: " + a.findings());
      var finding = a.findings().get(0);
      assertEquals(
          "the api release freed 96.0 MiB of heap but RSS fell by only 4.0 MiB: the JVM kept the"
              + " memory",
          finding.title());
      assertEquals(92 * mib, finding.bytesAtStake());
      assertEquals("high", finding.severity());
      assertTrue(
          finding
              .detail()
              .contains(xms.equals("-Xms1g") ? "-Xms equals -Xmx (1g)" : "MaxHeapFreeRatio"),
          finding.detail());
    }
  }

  @Test
  void aReleaseWhoseRssFellWithTheHeapHasNoFinding() throws Exception {
    long mib = 1 << 20;
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("given-back"))
            .site(1, "io.tombscope.map.BucketHashMap", "a.B.c(B.java:1)");
    f.interval(1000, Map.of(1, new long[] {1, 900, 2048, 3, 20_000}));
    f.release(
        "api",
        new long[] {128 * mib, 32 * mib},
        new long[] {400 * mib, 80 * mib},
        new long[] {600 * mib, 300 * mib});
    f.release(
        "api",
        new long[] {128 * mib, 32 * mib},
        new long[] {400 * mib, 400 * mib},
        new long[] {-1, -1});
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
