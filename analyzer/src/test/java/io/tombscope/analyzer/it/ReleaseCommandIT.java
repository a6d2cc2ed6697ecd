package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.cli.CliRun;
import io.tombscope.analyzer.fixture.EventText;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tombscope release PID} against a live JVM running the packaged agent. */
class ReleaseCommandIT {
  @TempDir Path tmp;

  @Test
  void releasesMemoryInALiveJvmAndRecordsIt() throws Exception {
    Path rec = tmp.resolve("rec");
    Process service =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:"
                    + System.getProperty("tombscope.agent.jar")
                    + "=out="
                    + rec
                    + ",interval=200ms",
                "-cp",
                System.getProperty("java.class.path"),
                DrainedService.class.getName())
            .redirectError(tmp.resolve("service.err").toFile())
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertTrue(ready != null && ready.startsWith("READY"), "service said: " + ready);

      CliRun run = CliRun.of("release", Long.toString(service.pid()));
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("heap used"), run.out());
      assertTrue(run.out().contains("1 maps compacted, 0 pending"), run.out());
      assertTrue(run.out().contains("trigger: attach"), run.out());
    } finally {
      service.getOutputStream().close();
      service.waitFor(30, TimeUnit.SECONDS);
      service.destroy();
    }
    List<String> events = EventText.lines(rec);
    assertTrue(
        events.stream()
            .anyMatch(
                l -> l.contains("\"type\":\"release\"") && l.contains("\"trigger\":\"attach\"")),
        "the release is in the recording");
  }

  @Test
  void aJvmWithoutTheAgentIsOneClearLine() throws Exception {
    Process plain =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DrainedService.class.getName())
            .start();
    try {
      new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      CliRun run = CliRun.of("release", Long.toString(plain.pid()));
      assertEquals(1, run.exitCode(), run.err());
      assertTrue(run.err().contains("has no Tombscope agent"), run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
    } finally {
      plain.getOutputStream().close();
      plain.waitFor(30, TimeUnit.SECONDS);
      plain.destroy();
    }
  }

  @Test
  void aProcessThatIsNoJvmIsOneClearLineAndLeftAlone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      CliRun run = CliRun.of("release", Long.toString(sleeper.pid()));
      assertEquals(2, run.exitCode(), run.err());
      assertTrue(run.err().strip().endsWith("is not a JVM"), run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertTrue(sleeper.isAlive(), "no SIGQUIT was sent to it");
    } finally {
      sleeper.destroy();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
