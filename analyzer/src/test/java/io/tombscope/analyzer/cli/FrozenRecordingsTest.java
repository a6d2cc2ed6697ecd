package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recordings as agents of earlier versions wrote them, each pinned to the summary it gives: old
 * recordings keep reading, and a change to the summary shows as a diff of its golden files.
 *
 * <p>Layout: {@code src/test/resources/recordings/format<N>-<agent version>/} holds {@code rec/}
 * (the recording, made by the packaged agent of that version; see the {@code README.md} there for
 * the command) and beside it {@code summary.txt} ({@code tombscope summary}) and {@code
 * summary.json} ({@code tombscope summary --json}). Each later format or agent version adds a
 * directory and never deletes or rewrites a recording.
 *
 * <p>When the summary changes on purpose (a new key, finding or wording), refresh every golden file
 * with
 *
 * <pre>
 * mvn -B -o test -pl analyzer -am -Dtest=FrozenRecordingsTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true
 * </pre>
 *
 * and review the diff of the {@code summary.*} files before committing it: it is what users of the
 * summary will see change. Keys of the JSON are also held to {@code docs/summary-json.md} by {@link
 * SummaryJsonSchemaTest}.
 */
class FrozenRecordingsTest {
  static final Path RECORDINGS = Path.of("src/test/resources/recordings");

  static Stream<Path> recordings() throws IOException {
    try (Stream<Path> dirs = Files.list(RECORDINGS)) {
      List<Path> all = dirs.filter(Files::isDirectory).sorted().toList();
      assertFalse(all.isEmpty(), "no frozen recordings under " + RECORDINGS);
      return all.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void theTextSummaryIsTheGoldenOne(Path version) throws IOException {
    CliRun run = CliRun.of("summary", version.resolve("rec").toString());
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err(), "a recording of the agent reads without a warning");
    assertMatchesGolden(version.resolve("summary.txt"), run.out());
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void theJsonSummaryIsTheGoldenOne(Path version) throws IOException {
    CliRun run = CliRun.of("summary", "--json", version.resolve("rec").toString());
    assertEquals(0, run.exitCode(), run.err());
    assertMatchesGolden(version.resolve("summary.json"), run.out());
  }

  @ParameterizedTest
  @MethodSource("recordings")
  void everySiteAndTheReportRender(Path version, @TempDir Path tmp) throws IOException {
    Path rec = version.resolve("rec");
    JsonNode summary =
        new ObjectMapper().readTree(CliRun.of("summary", "--json", rec.toString()).out());
    assertTrue(summary.path("sites").size() > 0, summary.toString());
    for (JsonNode site : summary.path("sites")) {
      CliRun run = CliRun.of("summary", rec.toString(), "--site", site.path("id").asText());
      assertEquals(0, run.exitCode(), run.err());
    }
    CliRun report = CliRun.of("report", rec.toString(), "-o", tmp.resolve("r.html").toString());
    assertEquals(0, report.exitCode(), report.err());
  }

  private static void assertMatchesGolden(Path golden, String actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertTrue(
        Files.exists(golden),
        golden + " is missing: create it with -Dgolden.update=true (see this test's Javadoc)");
    assertEquals(
        Files.readString(golden, StandardCharsets.UTF_8),
        actual,
        golden + " differs: if the change is intended, refresh it with -Dgolden.update=true");
  }
}
