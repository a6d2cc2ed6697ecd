package io.tombscope.analyzer.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.reports.HeadlessChromium;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports fit a laptop's screen and a desktop's in a real headless Chromium: no table or tile wider
 * than its card, and frames wrap between names, never inside one, closed or unfolded.
 */
class ReportFitsTest {
  @TempDir Path tmp;

  @Test
  void reportsOfBothKindsOfMapsFitAtLaptopAndDesktopWidths() throws Exception {
    Path bucket = tmp.resolve("bucket.html");
    ReportBuilder.build(
            Analyzer.analyze(
                RecordingReader.read(RecordingFixture.threeSites(tmp.resolve("b")).write())))
        .writeTo(bucket);
    Path jdk = tmp.resolve("jdk.html");
    ReportBuilder.build(Analyzer.analyze(RecordingReader.read(longFrames().write()))).writeTo(jdk);
    try (HeadlessChromium browser = new HeadlessChromium()) {
      assertEquals(List.of(), browser.misfits(bucket));
      assertEquals(List.of(), browser.misfits(jdk));
    }
  }

  /** JDK sites with the long frames of a compiler, a library-built map and a drained map. */
  private RecordingFixture longFrames() {
    RecordingFixture f =
        RecordingFixture.jdkSites(tmp.resolve("j"))
            .jdkSite(
                6,
                "java.util.LinkedHashMap",
                "hashmap",
                1,
                "com.sun.tools.javac.code.Types$DefaultTypeVisitor.visitClassTypeWithAVeryLongName"
                    + "(Types.java:2194)",
                "com.sun.tools.javac.comp.Attr.attribClassBodyAndEverythingElse(Attr.java:5566)",
                "com.sun.tools.javac.main.JavaCompiler.compile(JavaCompiler.java:921)");
    f.count(6, "mapsCreated", 2943).count(6, "deleteHits", 2_270_000);
    f.interval(1000, Map.of(6, new long[] {2943, 2943, 2943 * 16, 0, 2943 * 100, 2943 * 14}));
    f.deleteSite(
        6,
        List.of(
            "com.sun.tools.javac.code.Types$DefaultTypeVisitor.visitClassTypeWithAVeryLongName"
                + "(Types.java:2200)",
            "com.sun.tools.javac.comp.Attr.attribClassBodyAndEverythingElse(Attr.java:5570)"),
        2_270_000,
        0);
    return f;
  }
}
