package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.analysis.MapFamily;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.cli.CliRun;
import io.tombscope.analyzer.read.Recording;
import io.tombscope.analyzer.read.RecordingReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tombscope attach PID} against live JVMs, and against a process that is no JVM. */
class AttachCommandIT {
  @TempDir Path tmp;

  private static final String AGENT = System.getProperty("tombscope.agent.jar");

  private BufferedReader serviceOut;

  private Process start(String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), IdleService.class.getName()));
    Process p =
        new ProcessBuilder(command).redirectError(tmp.resolve("service.err").toFile()).start();
    serviceOut =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("READY", serviceOut.readLine());
    return p;
  }

  private static void stop(Process p) throws Exception {
    p.getOutputStream().close();
    p.waitFor(30, TimeUnit.SECONDS);
    p.destroy();
  }

  @Test
  void attachesTheAgentAndPrintsTheRecordingDirectory() throws Exception {
    Process service = start();
    Path expected = tmp.resolve("rec-" + service.pid());
    CliRun run;
    try {
      run =
          CliRun.of(
              "attach",
              Long.toString(service.pid()),
              "out=" + tmp.resolve("rec-%pid") + ",interval=200ms,jdksample=1",
              "--agent-jar",
              AGENT);
      assertEquals(0, run.exitCode(), run.err());
      assertEquals(expected.toString(), run.out().strip());
      assertTrue(run.err().contains("starting the agent in JVM " + service.pid()), run.err());
      assertTrue(Files.isRegularFile(expected.resolve("meta.json")));
      assertEquals(
          service.pid(),
          new ObjectMapper().readTree(expected.resolve("meta.json").toFile()).path("pid").asLong());
      // A HashMap constructed, filled and drained after the attach: jdksample=1 tracks it.
      service.getOutputStream().write("work\n".getBytes(StandardCharsets.UTF_8));
      service.getOutputStream().flush();
      assertEquals("DONE 0", serviceOut.readLine());
    } finally {
      stop(service);
    }
    Recording r = RecordingReader.read(expected);
    assertTrue(r.ended(), "the JVM shut down normally and the agent closed its recording");
    assertEquals(service.pid(), r.meta().pid());
    Analysis a = Analyzer.analyze(r);
    SiteAnalysis drained =
        a.sites().stream()
            .filter(s -> s.label().startsWith(IdleService.class.getName() + ".main("))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no site of IdleService: " + a.sites()));
    assertEquals(MapFamily.HASHMAP, drained.family());
    assertEquals(1, drained.trackedOneIn());
    assertEquals(10_000, drained.deleteHits());
  }

  @Test
  void theDefaultOutIsRelativeToTheJvmsWorkingDirectoryWithItsDate() throws Exception {
    Path cwd = Files.createDirectories(tmp.resolve("cwd"));
    Process service = start("-Duser.dir=" + cwd);
    try {
      CliRun run = CliRun.of("attach", Long.toString(service.pid()), "--agent-jar", AGENT);
      assertEquals(0, run.exitCode(), run.err());
      Path printed = Path.of(run.out().strip());
      assertEquals(cwd, printed.getParent(), run.out());
      assertTrue(
          printed.getFileName().toString().matches("tombscope-" + service.pid() + "-\\d{8}-\\d{6}"),
          run.out());
      assertTrue(Files.isRegularFile(printed.resolve("meta.json")));
    } finally {
      stop(service);
    }
  }

  @Test
  void aJvmStartedWithTheAgentIsOneClearLine() throws Exception {
    Process service = start("-javaagent:" + AGENT + "=out=" + tmp.resolve("first"));
    try {
      CliRun run = CliRun.of("attach", Long.toString(service.pid()), "--agent-jar", AGENT);
      assertEquals(1, run.exitCode(), run.err());
      assertEquals(
          "tombscope: JVM "
              + service.pid()
              + " already runs the Tombscope agent (it was started"
              + " with -javaagent)",
          run.err().strip());
    } finally {
      stop(service);
    }
  }

  @Test
  void aProcessThatIsNoJvmIsOneClearLineAndLeftAlone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      CliRun run = CliRun.of("attach", Long.toString(sleeper.pid()), "--agent-jar", AGENT);
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
