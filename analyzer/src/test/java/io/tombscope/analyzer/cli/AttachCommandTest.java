package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tombscope attach}: everything that needs no second JVM (those are in AttachCommandIT). */
class AttachCommandTest {
  @TempDir Path tmp;

  private Path jar() throws Exception {
    return Files.writeString(tmp.resolve("agent.jar"), "not used before the checks");
  }

  private static void assertOneLineError(CliRun run, String expected) {
    assertEquals(2, run.exitCode(), run.err());
    assertEquals("tombscope: " + expected, run.err().strip());
    assertFalse(run.err().contains("\tat "));
  }

  @Test
  void helpDescribesPidOptionsAndTheAgentJar() {
    CliRun run = CliRun.of("attach", "--help");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Usage: tombscope attach"), run.out());
    assertTrue(run.out().contains("out=rec-%pid,jdksample=16"), run.out());
    assertTrue(run.out().contains("--agent-jar=PATH"), run.out());
    assertTrue(CliRun.of("--help").out().contains("attach"));
  }

  @Test
  void aMissingAgentJarIsNamed() {
    Path missing = tmp.resolve("nope.jar");
    assertOneLineError(
        CliRun.of("attach", "1", "--agent-jar", missing.toString()),
        "agent jar "
            + missing
            + " is missing: build it with `mvn -DskipTests install`, or name one with"
            + " --agent-jar");
  }

  @Test
  void attachingToItselfIsRefused() throws Exception {
    long self = ProcessHandle.current().pid();
    assertOneLineError(
        CliRun.of("attach", Long.toString(self), "--agent-jar", jar().toString()),
        "PID " + self + " is this tombscope process");
  }

  @Test
  void aPidWithNoProcessIsRefused() throws Exception {
    // Above Linux's largest pid_max (2^22).
    assertOneLineError(
        CliRun.of("attach", "4194305", "--agent-jar", jar().toString()),
        "no process with PID 4194305");
  }

  @Test
  void badUsageIsExitTwo() {
    assertEquals(2, CliRun.of("attach").exitCode());
    assertEquals(2, CliRun.of("attach", "notapid").exitCode());
  }

  @Test
  void theRecordingGoesWhereTheAgentWillPutIt() {
    AttachCommand c = new AttachCommand();
    c.pid = 4242;
    Properties target = new Properties();
    target.setProperty("user.dir", "/srv/app");
    c.options = "interval=1s,out=rec-%pid,jdksample=16";
    assertEquals(Path.of("/srv/app/rec-4242"), c.recordingPattern(target));
    c.options = "out=/data/first,out=/data/%pid/last";
    assertEquals(Path.of("/data/4242/last"), c.recordingPattern(target), "the last out wins");
    c.options = "";
    assertEquals(Path.of("/srv/app/tombscope-4242-%date"), c.recordingPattern(target));
    target.setProperty("tombscope.out", "../recs/r-%pid");
    assertEquals(Path.of("/srv/recs/r-4242"), c.recordingPattern(target), "the JVM's property");
  }

  @Test
  void aDatedRecordingIsFoundByItsPatternAndAgeAndAnOlderOneIsNot() throws Exception {
    Path old = Files.createDirectories(tmp.resolve("tombscope-7-20250101-000000"));
    Files.writeString(old.resolve("meta.json"), "{}");
    Files.setLastModifiedTime(
        old.resolve("meta.json"), java.nio.file.attribute.FileTime.fromMillis(1000));
    Path pattern = tmp.resolve("tombscope-7-%date");
    assertNull(AttachCommand.find(pattern, 2000), "written before the attach");
    Path fresh = Files.createDirectories(tmp.resolve("tombscope-7-20260101-120000"));
    Files.writeString(fresh.resolve("meta.json"), "{}");
    Files.writeString(
        Files.createDirectories(tmp.resolve("tombscope-7-later")).resolve("meta.json"), "{}");
    assertEquals(fresh, AttachCommand.find(pattern, 2000));
    assertNull(AttachCommand.find(tmp.resolve("other"), 0), "no such directory");
  }
}
