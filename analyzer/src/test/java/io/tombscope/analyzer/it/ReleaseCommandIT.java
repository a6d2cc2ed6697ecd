package io.tombscope.analyzer.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.analyzer.cli.CliRun;
import io.tombscope.analyzer.fixture.EventText;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tombscope release PID} against a live JVM running the packaged agent. */
class ReleaseCommandIT {
  private static final String AGENT = System.getProperty("tombscope.agent.jar");

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

  @Test
  void aReleaseOpensNoListeningSocketInTheTargetBeforeDuringOrAfter() throws Exception {
    Process service = startService("-javaagent:" + AGENT + "=out=" + tmp.resolve("rec"));
    try {
      assertEquals(List.of(), ListeningSockets.of(service.pid()), "before the release");
      CliRun run = releaseWatchingSockets(service.pid());
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("1 maps compacted, 0 pending"), run.out());
      // A second release finds the agent as the first left it.
      CliRun again = releaseWatchingSockets(service.pid());
      assertEquals(0, again.exitCode(), again.err());
      assertTrue(again.out().contains("trigger: attach"), again.out());
      Thread.sleep(500);
      assertEquals(List.of(), ListeningSockets.of(service.pid()), "after the releases");
    } finally {
      stop(service);
    }
  }

  @Test
  void aReleaseReachesAnAgentStartedByAttachAndOpensNoSocket() throws Exception {
    Process service = startService();
    try {
      CliRun attach =
          CliRun.of(
              "attach",
              Long.toString(service.pid()),
              "out=" + tmp.resolve("rec-%pid"),
              "--agent-jar",
              AGENT);
      assertEquals(0, attach.exitCode(), attach.err());
      CliRun run = releaseWatchingSockets(service.pid());
      assertEquals(0, run.exitCode(), run.err());
      assertTrue(run.out().contains("trigger: attach"), run.out());
      assertEquals(List.of(), ListeningSockets.of(service.pid()), "after the release");
    } finally {
      stop(service);
    }
    assertTrue(
        String.join("\n", EventText.lines(tmp.resolve("rec-" + service.pid())))
            .contains("\"trigger\":\"attach\""),
        "the release is in the recording the attach started");
  }

  @Test
  void aJvmWithoutTheAgentGetsItsJarLoadedAndNoSocket() throws Exception {
    Process plain = startService();
    try {
      CliRun run = releaseWatchingSockets(plain.pid());
      assertEquals(1, run.exitCode(), run.err());
      assertTrue(run.err().contains("has no Tombscope agent running"), run.err());
      assertEquals(List.of(), ListeningSockets.of(plain.pid()), "after the release");
      assertTrue(plain.isAlive());
    } finally {
      stop(plain);
    }
  }

  @Test
  void theSocketCheckSeesAListeningSocket() throws Exception {
    long self = ProcessHandle.current().pid();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = String.format(":%04X", server.getLocalPort());
      assertTrue(
          ListeningSockets.of(self).stream().anyMatch(s -> s.endsWith(port)),
          "listening on " + port + ": " + ListeningSockets.of(self));
    }
  }

  /**
   * Runs {@code tombscope release PID} while another thread reads the target's listening sockets
   * every few milliseconds; fails if any was seen, and if none was read while the release ran.
   */
  private CliRun releaseWatchingSockets(long pid) throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    List<String> seen = new ArrayList<>();
    Thread watcher =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  List<String> now = ListeningSockets.of(pid);
                  synchronized (seen) {
                    seen.addAll(now);
                  }
                  reads.incrementAndGet();
                  Thread.sleep(5);
                } catch (Exception e) {
                  return;
                }
              }
            });
    watcher.start();
    CliRun run;
    try {
      run = CliRun.of("release", Long.toString(pid), "--agent-jar", AGENT);
    } finally {
      done.set(true);
      watcher.join();
    }
    synchronized (seen) {
      assertEquals(List.of(), seen, "listening sockets of JVM " + pid + " during the release");
    }
    assertTrue(reads.get() > 1, "the sockets were read while the release ran: " + reads);
    return run;
  }

  private Process startService(String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), DrainedService.class.getName()));
    Process p =
        new ProcessBuilder(command).redirectError(tmp.resolve("service.err").toFile()).start();
    String ready =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
    assertTrue(ready != null && ready.startsWith("READY"), "service said: " + ready);
    return p;
  }

  private static void stop(Process p) throws Exception {
    p.getOutputStream().close();
    p.waitFor(30, TimeUnit.SECONDS);
    p.destroy();
  }
}
