package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.cli.CliRun;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tombscope release PID} on a JVM whose waste is in a JDK map: the release cannot give it
 * back, and says so with the way to shrink it.
 */
class JdkReleaseIT {
  @TempDir Path tmp;

  @Test
  void aReleaseSaysWhatTheJdkMapsKeepAndHowToShrinkThem() throws Exception {
    Path rec = tmp.resolve("rec-%pid");
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
                JdkDrainedService.class.getName())
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
      assertTrue(run.out().contains("Not given back: "), run.out());
      assertTrue(run.out().contains("in the tables of the JDK's maps"), run.out());
      assertTrue(
          run.out().contains("peak capacity retained after deletes in the HashMap"), run.out());
      assertTrue(run.out().contains("JdkDrainedService.java:"), run.out());
    } finally {
      service.getOutputStream().close();
      service.waitFor(30, TimeUnit.SECONDS);
      service.destroy();
    }
  }
}
