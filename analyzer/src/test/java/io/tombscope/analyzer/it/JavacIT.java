package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.findings.Finding;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.render.Coverage;
import io.tombscope.analyzer.render.ReportBuilder;
import io.tombscope.reports.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real program under the agent with its defaults: {@code javac} compiling Apache Commons Text
 * (its sources jar from Maven Central). Its findings were checked by hand once; what must hold is
 * asserted: the maps that do most of javac's deletes are tracked, from one of their deletes, at a
 * line of javac's and with their removes timed; no insert-only site is reported as waste; and every
 * finding names a line of javac's own code that deletes from or builds the map. The report is left
 * in {@code target/} beside a screenshot, for people to look at.
 */
class JavacIT {
  private static final Set<String> WASTE =
      Set.of("peakCapacity", "tombstones", "peakSizeKept", "staleEntries");

  @TempDir Path tmp;

  @Test
  void javacCompilingARealSourceTreeGetsFindingsThatHoldUp() throws Exception {
    Path sources =
        unzipSources(jarOnClassPath("commons-text-", "-sources.jar"), tmp.resolve("src"));
    List<String> files;
    try (var walk = Files.walk(sources)) {
      files =
          walk.filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.getFileName().toString().equals("module-info.java"))
              .map(Path::toString)
              .toList();
    }
    assertTrue(files.size() > 50, "sources: " + files.size());
    Path argFile = tmp.resolve("files.txt");
    Files.write(argFile, files);
    Path rec = tmp.resolve("rec");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "-J-javaagent:" + System.getProperty("tombscope.agent.jar") + "=out=" + rec,
                "-proc:none",
                "-nowarn",
                "-Xlint:none",
                "-encoding",
                "UTF-8",
                "-cp",
                jarOnClassPath("commons-lang3-", ".jar").toString(),
                "-d",
                tmp.resolve("classes").toString(),
                "@" + argFile));
    Process javac =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("javac.out").toFile())
            .start();
    // A guard against a hang, not a time target: on a loaded machine javac takes minutes.
    assertTrue(javac.waitFor(600, TimeUnit.SECONDS), "javac did not finish");
    assertEquals(0, javac.exitValue(), Files.readString(tmp.resolve("javac.out")));

    Analysis a = Analyzer.analyze(RecordingReader.read(rec));
    // javac deletes from its maps (tens of thousands of times); with the defaults most of them are
    // small maps that are not tracked, and the summary must say so instead of "nothing wastes".
    long deletes = a.totals().deletes() + a.recording().untrackedDeletes();
    assertTrue(deletes > 10_000, "javac's deletes seen: " + deletes);
    if (a.recording().untrackedDeletes() > 0) {
      assertTrue(Coverage.notSeen(a).contains("jdksample=1"), Coverage.notSeen(a));
      assertTrue(Coverage.noFindings(a).startsWith("No findings in the maps tracked."));
    }
    // javac's busiest maps are small sets and maps built before the agent advised the JDK's
    // classes (its Types and Check caches): neither sampled at construction nor grown. The defaults
    // still track the maps that do the most deletes, from one of their deletes, at javac's line.
    List<SiteAnalysis> fromDeletes =
        a.sites().stream().filter(s -> s.record().trackedAtDelete).toList();
    assertFalse(fromDeletes.isEmpty(), "no map tracked from its deletes of " + a.sites().size());
    SiteAnalysis busiest =
        fromDeletes.stream().max(Comparator.comparingLong(SiteAnalysis::deletes)).orElseThrow();
    assertTrue(busiest.deletes() >= 1000, "the busiest: " + busiest.deletes() + " deletes");
    String deleting = busiest.deletingLine(SiteAnalysis.DeleteCount.DELETES);
    assertTrue(
        deleting != null && deleting.startsWith("com.sun.tools.javac."),
        "the busiest deleting line is javac's: " + deleting);
    // One remove(key) in 256 of a tracked map is timed, so a churn cost can be estimated.
    assertTrue(
        fromDeletes.stream().anyMatch(s -> s.deleteLatencyMeanNanos() > 0),
        "no remove of a map tracked from its deletes was timed");
    Map<Integer, SiteAnalysis> sites =
        a.sites().stream().collect(Collectors.toMap(SiteAnalysis::id, Function.identity()));
    StringBuilder top = new StringBuilder("javac's findings:\n");
    a.findings().stream()
        .limit(10)
        .forEach(f -> top.append(f.severity()).append(' ').append(f.title()).append('\n'));
    System.out.println(top);
    for (Finding f : a.findings()) {
      if (f.site() == 0) {
        continue; // about the recording as a whole (a release)
      }
      SiteAnalysis s = sites.get(f.site());
      if (WASTE.contains(f.kind())) {
        assertTrue(
            s.deletes() + s.clears() > 0, "an insert-only site reported as waste: " + f.title());
      }
      assertTrue(
          f.line().startsWith("com.sun.tools.javac."),
          "a finding that names no line of javac's: " + f.line() + ": " + f.title());
      if (f.kind().equals("churn")) {
        assertTrue(f.title().contains(" at com.sun.tools.javac."), f.title());
      }
    }

    Path report = Path.of("target", "javac-report.html");
    ReportBuilder.build(a, "Tombscope report: javac compiling Apache Commons Text").writeTo(report);
    try (HeadlessChromium browser = new HeadlessChromium()) {
      assertEquals(List.of(), browser.misfits(report), "fits at 1366x768 and 1920x1080");
      for (int[] size : new int[][] {{1366, 768}, {1920, 1080}}) {
        browser.resize(size[0], size[1]);
        browser.open(report);
        browser.screenshot(Path.of("target", "javac-report-" + size[0] + ".png"));
      }
    }
  }

  /** The jar on the test class path whose file name starts with {@code prefix} and ends so. */
  private static Path jarOnClassPath(String prefix, String suffix) {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      boolean sources = name.endsWith("-sources.jar");
      if (name.startsWith(prefix)
          && name.endsWith(suffix)
          && (sources == suffix.equals("-sources.jar"))) {
        return Path.of(entry);
      }
    }
    throw new AssertionError("no " + prefix + "*" + suffix + " on the test class path");
  }

  private static Path unzipSources(Path jar, Path into) throws IOException {
    try (InputStream in = Files.newInputStream(jar);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        Path target = into.resolve(e.getName()).normalize();
        if (e.isDirectory() || !target.startsWith(into) || !e.getName().endsWith(".java")) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
      }
    }
    return into;
  }
}
