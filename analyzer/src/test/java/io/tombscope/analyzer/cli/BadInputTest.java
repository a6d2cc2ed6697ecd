package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.fixture.RecordingFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every piece of bad input: exit 2 and one line naming the file and line, or a warning. */
class BadInputTest {
  @TempDir Path tmp;

  private Path recording() {
    return RecordingFixture.threeSites(tmp.resolve("rec")).write();
  }

  private static void assertOneLineError(CliRun run, String... parts) {
    assertEquals(2, run.exitCode(), run.err());
    String err = run.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("tombscope: "), err);
    for (String p : parts) {
      assertTrue(err.contains(p), "'" + p + "' not in: " + err);
    }
    assertFalse(err.contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void aMissingDirectory() {
    assertOneLineError(
        CliRun.of("summary", tmp.resolve("nope").toString()),
        "nope",
        "no such recording directory");
  }

  @Test
  void anEmptyRecording() throws Exception {
    Path rec = recording();
    Files.writeString(rec.resolve("events.jsonl"), "");
    assertOneLineError(CliRun.of("summary", rec.toString()), "events.jsonl", "empty");
  }

  /** A report or diff that cannot be written says why, and which file stands in the way. */
  @Test
  void anOutputUnderAFileNamesTheFileInTheWay() throws Exception {
    Path rec = recording();
    Path blocker = Files.writeString(tmp.resolve("blocker"), "not a directory");
    for (List<String> args :
        List.of(
            List.of("report", rec.toString(), "-o", blocker.resolve("r.html").toString()),
            List.of("diff", rec.toString(), rec.toString(), "-o", blocker + "/d.html"))) {
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(1, run.exitCode(), run.err());
      String err = run.err().strip();
      assertEquals(
          "tombscope: cannot write "
              + args.get(args.size() - 1)
              + ": "
              + blocker
              + ": exists and is not a directory",
          err);
    }
  }

  @Test
  void aDirectoryThatIsNoRecording() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("other"));
    assertOneLineError(CliRun.of("report", dir.toString()), "meta.json", "missing");
  }

  @Test
  void aTruncatedLastLineIsAWarningAndTheRestIsUsed() throws Exception {
    Path rec = recording();
    Path events = rec.resolve("events.jsonl");
    Files.writeString(
        events,
        "{\"type\":\"counters\",\"t\":11000,\"site\":1,\"deleteHi",
        StandardOpenOption.APPEND);
    long lines = Files.readAllLines(events).size();
    CliRun run = CliRun.of("summary", rec.toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("warning: " + events + ":" + lines + ": truncated last line"),
        run.err());
    assertTrue(run.out().contains("\"deleteHits\" : 146000"), run.out());
  }

  @Test
  void aCorruptLineInTheMiddleNamesItsLine() throws Exception {
    Path rec = recording();
    Path events = rec.resolve("events.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(events));
    lines.set(6, lines.get(6).substring(0, 20) + "%%%");
    Files.write(events, lines, StandardCharsets.UTF_8);
    assertOneLineError(CliRun.of("summary", rec.toString()), events + ":7:");
  }

  @Test
  void aCorruptHistogramLineNamesItsLine() throws Exception {
    Path rec = recording();
    Path hlog = rec.resolve("histograms.hlog");
    List<String> lines = new ArrayList<>(Files.readAllLines(hlog));
    int target = 6;
    assertTrue(lines.get(target).startsWith("Tag="), lines.get(target));
    lines.set(
        target, lines.get(target).substring(0, lines.get(target).length() - 12) + "!!notbase64!");
    Files.write(hlog, lines, StandardCharsets.UTF_8);
    assertOneLineError(
        CliRun.of("report", rec.toString()), hlog + ":" + (target + 1) + ":", "histogram");
  }

  @Test
  void unknownFutureFieldsAndEventsAreIgnored() throws Exception {
    Path rec = recording();
    Path events = rec.resolve("events.jsonl");
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(events)) {
      lines.add(l.replaceFirst("\\{", "{\"addedIn2030\":{\"deep\":[1,2]},"));
    }
    Files.write(events, lines, StandardCharsets.UTF_8);
    CliRun run = CliRun.of("summary", rec.toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("", run.err());
  }

  @Test
  void badUsageIsExitTwo() {
    CliRun run = CliRun.of("summary");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("Missing required parameter"), run.err());
    assertEquals(2, CliRun.of("frobnicate").exitCode());
  }

  @Test
  void helpIsThereForEveryCommand() {
    for (String command : List.of("report", "summary", "diff", "demo", "release", "attach")) {
      CliRun run = CliRun.of(command, "--help");
      assertEquals(0, run.exitCode(), command);
      assertTrue(run.out().contains("Usage: tombscope " + command), run.out());
    }
  }
}
