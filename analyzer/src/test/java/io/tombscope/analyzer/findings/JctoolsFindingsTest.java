package io.tombscope.analyzer.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.render.ReportBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The finding of JCTools maps, shown to fire and not to fire, and their report section. */
class JctoolsFindingsTest {
  @TempDir Path tmp;
  private int recordings;

  private static String site(String mapClass) {
    return "{\"site\":1,\"mapClass\":\"org.jctools.maps."
        + mapClass
        + "\",\"family\":\"jctools\",\"trackedOneIn\":1,"
        + "\"allocationSite\":[\"com.acme.Sessions.<init>(Sessions.java:9)\"],\"t\":0}";
  }

  /**
   * One JCTools site in one interval: {@code gauge} = {maps, size, slots, tombstones (dead keys),
   * estimatedBytes, trimmedBytes}.
   */
  private Analysis single(String mapClass, long[] gauge) throws Exception {
    RecordingFixture f =
        new RecordingFixture(tmp.resolve("rec" + recordings++))
            .siteLine(site(mapClass))
            .count(1, "mapsCreated", 1)
            .count(1, "deleteHits", 50_000)
            .count(1, "tombstonesCreated", 50_000);
    f.interval(10_000, Map.of(1, gauge));
    return Analyzer.analyze(RecordingReader.read(f.end().write()));
  }

  private static List<Finding> kind(Analysis a, String kind) {
    return a.findings().stream().filter(f -> f.kind().equals(kind)).toList();
  }

  @Test
  void deadKeysAskToRecreateTheMapOrUseConcurrentHashMap() throws Exception {
    Analysis a =
        single("NonBlockingHashMap", new long[] {1, 1_000, 65_536, 30_000, 800_000, 50_000});
    assertEquals(MapFamily.JCTOOLS, a.sites().get(0).family());
    assertEquals(30_000, a.sites().get(0).tombstonesLive());
    List<Finding> found = kind(a, "jctoolsDeadKeys");
    assertEquals(1, found.size(), a.findings().toString());
    Finding f = found.get(0);
    assertTrue(f.title().contains("30,000 dead keys"), f.title());
    assertTrue(f.title().contains("recreate it after bulk removes"), f.title());
    assertTrue(f.title().contains("ConcurrentHashMap"), f.title());
    assertTrue(f.title().contains("com.acme.Sessions.<init>(Sessions.java:9)"), f.title());
    assertTrue(f.detail().contains("estimates"), f.detail());
    assertTrue(f.detail().contains("strongly referenced"), f.detail());
    assertEquals(750_000, f.bytesAtStake());
    assertEquals("high", f.severity(), "thirty times more dead keys than live ones");
    assertTrue(kind(a, "tombstones").isEmpty(), "BucketHashMap's rule is not JCTools'");
    assertTrue(kind(a, "troveTombstones").isEmpty(), "nor Trove's");
  }

  @Test
  void longKeysKeepNoObjects() throws Exception {
    Analysis a =
        single("NonBlockingHashMapLong", new long[] {1, 1_000, 65_536, 30_000, 800_000, 50_000});
    Finding f = kind(a, "jctoolsDeadKeys").get(0);
    assertTrue(f.detail().contains("keys are longs"), f.detail());
    assertFalse(f.detail().contains("strongly referenced"), f.detail());
  }

  @Test
  void fewDeadKeysAreNoFinding() throws Exception {
    Analysis few = single("NonBlockingHashMap", new long[] {1, 1_000, 8_192, 63, 200_000, 50_000});
    assertTrue(kind(few, "jctoolsDeadKeys").isEmpty(), few.findings().toString());
    Analysis fewerThanLive =
        single("NonBlockingHashMap", new long[] {1, 10_000, 65_536, 5_000, 800_000, 700_000});
    assertTrue(
        kind(fewerThanLive, "jctoolsDeadKeys").isEmpty(), fewerThanLive.findings().toString());
  }

  @Test
  void theReportExplainsJctoolsAndSaysItsFiguresAreEstimates() throws Exception {
    Analysis a =
        single("NonBlockingHashMap", new long[] {1, 1_000, 65_536, 30_000, 800_000, 50_000});
    String page = ReportBuilder.build(a).render();
    assertTrue(page.contains("Third-party maps"), "the family's section");
    assertTrue(page.contains("NonBlockingHashMap"), "its explanation");
    assertTrue(
        page.contains("Sites: JCTools maps (dead keys as tombstones, estimates)"), "its table");
    assertTrue(page.contains("JCTools maps are concurrent"), "estimates labelled");
    assertFalse(page.contains("JDK maps tracked"), "a JCTools site is not a JDK site");
  }
}
