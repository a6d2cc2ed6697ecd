package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.findings.Finding;
import io.tombscope.analyzer.read.RecordingReader;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of programs run under the packaged agent with its defaults, one per case that real
 * programs got wrong: each names the line to change, and none fires without a cause.
 */
class FindingsIT {
  private static final Path SOURCE =
      Path.of("src/test/java/io/tombscope/analyzer/it/WasteCases.java");
  private static final Set<String> WASTE =
      Set.of("peakCapacity", "tombstones", "peakSizeKept", "staleEntries");

  @TempDir static Path tmp;

  /** The recording of {@link WasteCases}, every case in one run under the agent. */
  static Analysis a;

  @BeforeAll
  static void run() throws Exception {
    Path rec = tmp.resolve("rec");
    Path out = tmp.resolve("program.out");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + System.getProperty("tombscope.agent.jar") + "=out=" + rec,
                "-cp",
                programClassPath(),
                WasteCases.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the program did not finish: " + Files.readString(out));
    }
    assertEquals(0, p.exitValue(), Files.readString(out));
    a = Analyzer.analyze(RecordingReader.read(rec));
  }

  /**
   * The program's class path: the test classes and the one library it uses, not the whole test
   * class path (a program's own, as users run it).
   */
  private static String programClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(
            e ->
                e.endsWith("test-classes")
                    || Path.of(e).getFileName().toString().startsWith("caffeine-"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * The frames {@code WasteCases.java:N} of the lines whose marker comment contains {@code tag}.
   */
  private static List<String> lines(String tag) throws IOException {
    List<String> source = Files.readAllLines(SOURCE);
    List<String> found = new ArrayList<>();
    for (int i = 0; i < source.size(); i++) {
      String line = source.get(i);
      int comment = line.indexOf("// ");
      if (comment > 0 && line.substring(comment).contains(tag)) {
        found.add("(WasteCases.java:" + (i + 1) + ")");
      }
    }
    assertTrue(!found.isEmpty(), "no line marked " + tag);
    return found;
  }

  private static boolean namesOneOf(Finding f, List<String> lines) {
    return lines.stream().anyMatch(l -> f.line().endsWith(l));
  }

  private static String all(Analysis a) {
    StringBuilder out = new StringBuilder();
    a.findings()
        .forEach(
            f ->
                out.append(f.kind())
                    .append(" @ ")
                    .append(f.line())
                    .append(": ")
                    .append(f.title())
                    .append('\n'));
    return out.toString();
  }

  @Test
  void aBigHashMapAndWeakHashMapAmongThousandsOfSmallOnesAreFoundWithTheDefaults()
      throws Exception {
    for (String family : List.of("HashMap", "WeakHashMap")) {
      List<String> marked = new ArrayList<>(lines("ALLOCATES big " + family));
      marked.addAll(lines("GROWS big " + family));
      assertTrue(
          a.findings().stream()
              .anyMatch(
                  f ->
                      f.kind().equals("peakCapacity")
                          && f.title().contains(" " + family + " ")
                          && namesOneOf(f, marked)
                          && f.bytesAtStake() > 100_000),
          family + ":\n" + all(a));
    }
  }

  @Test
  void thousandsOfInsertOnlyTinyMapsAreNoWaste() throws Exception {
    List<String> tiny = lines("TINY");
    assertEquals(
        List.of(),
        a.findings().stream().filter(f -> WASTE.contains(f.kind()) && namesOneOf(f, tiny)).toList(),
        all(a));
    // Not for want of seeing them: some of the tiny maps were tracked (one in jdksample).
    assertTrue(
        a.sites().stream().anyMatch(s -> tiny.stream().anyMatch(l -> s.label().endsWith(l))),
        "no tiny map was tracked");
  }

  @Test
  void aDrainedMapThatDiesBeforeTheEndIsStillFound() throws Exception {
    List<String> marked = new ArrayList<>(lines("ALLOCATES batch"));
    marked.addAll(lines("GROWS batch"));
    assertTrue(
        a.findings().stream()
            .anyMatch(
                f ->
                    f.kind().equals("peakCapacity")
                        && f.bytesAtStake() > 500_000
                        && namesOneOf(f, marked)),
        all(a));
  }

  @Test
  void aMissStormNamesTheLineThatDeletes() throws Exception {
    List<String> deletes = lines("DELETES missStorm");
    Finding storm =
        a.findings().stream()
            .filter(f -> f.kind().equals("missStorm"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(all(a)));
    assertTrue(namesOneOf(storm, deletes), storm.line() + " is not one of " + deletes);
    assertTrue(storm.title().contains("WasteCases.java:"), storm.title());
  }

  @Test
  void aMapUsedAsASetHasNoSilentDeleteFinding() throws Exception {
    assertTrue(
        a.sites().stream().anyMatch(s -> s.silentDeletes() > 0),
        "the agent saw the silent deletes the test is about");
    assertEquals(
        List.of(),
        a.findings().stream().filter(f -> f.kind().equals("silentDeletes")).toList(),
        all(a));
  }

  @Test
  void aMapBuiltInsideALibraryNamesTheProgramsLineWithAdviceForIt() throws Exception {
    List<String> marked = new ArrayList<>(lines("ALLOCATES ConcurrentHashMap"));
    marked.addAll(lines("GROWS ConcurrentHashMap"));
    Finding found =
        a.findings().stream()
            .filter(f -> f.kind().equals("peakCapacity") && namesOneOf(f, marked))
            .findFirst()
            .orElseThrow(() -> new AssertionError(all(a)));
    assertTrue(found.title().contains("size or rebuild"), found.title());
    assertTrue(!found.title().contains("new ConcurrentHashMap<>(map)"), found.title());
    assertTrue(found.siteLabel().startsWith("com.github.benmanes.caffeine."), found.siteLabel());
  }
}
