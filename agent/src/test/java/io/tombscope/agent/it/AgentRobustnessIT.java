package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent never changes what the program does, whatever goes wrong on its side. */
class AgentRobustnessIT {
  @TempDir Path tmp;

  @Test
  void badOptionsAreOneLineEachAndTheProgramRunsOn() throws Exception {
    ForkedJvm plain = ForkedJvm.run(null, RecordedProgram.class);
    ForkedJvm withBadOptions =
        ForkedJvm.run(
            "out=" + tmp.resolve("rec") + ",bogus=1,interval=soon,sample=-3,noequals",
            RecordedProgram.class);
    assertEquals(0, withBadOptions.exitCode());
    assertEquals(plain.stdout(), withBadOptions.stdout());
    String[] lines = withBadOptions.agentStderr().strip().split("\n");
    assertEquals(4, lines.length, withBadOptions.stderr());
    for (String line : lines) {
      assertTrue(line.startsWith("tombscope: "), line);
    }
    assertTrue(Files.exists(tmp.resolve("rec").resolve("events.jsonl")));
  }

  @Test
  void anUnwritableOutputDirectoryCostsTheRecordingNotTheProgram() throws Exception {
    Path blocker = Files.writeString(tmp.resolve("a-file"), "not a directory");
    ForkedJvm plain = ForkedJvm.run(null, RecordedProgram.class);
    ForkedJvm run = ForkedJvm.run("out=" + blocker.resolve("rec"), RecordedProgram.class);
    assertEquals(0, run.exitCode());
    assertEquals(plain.stdout(), run.stdout());
    String err = run.agentStderr().strip();
    assertEquals(1, err.lines().count(), err);
    assertEquals(
        "tombscope: recording to "
            + blocker.resolve("rec")
            + " stopped, the application runs on: "
            + blocker.resolve("rec")
            + ": Not a directory",
        err);
  }

  @Test
  void theRecordingDirectoryVanishingMidRunCostsOnlyTheRecording() throws Exception {
    Path rec = tmp.resolve("vanishing");
    Thread remover =
        new Thread(
            () -> {
              try {
                while (!Files.exists(rec.resolve("events.jsonl"))) {
                  Thread.sleep(5);
                }
                try (var files = Files.list(rec)) {
                  files.forEach(f -> f.toFile().delete());
                }
                rec.toFile().delete();
              } catch (Exception ignored) {
                // the test's assertions below decide
              }
            });
    remover.start();
    ForkedJvm run =
        ForkedJvm.run("out=" + rec + ",interval=50ms", RecordedProgram.class, "linger", "300");
    remover.join();
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("TRUTH"));
  }

  @Test
  void killMinusNineLeavesEveryWrittenLineReadable() throws Exception {
    Path rec = tmp.resolve("killed");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + ForkedJvm.agentJar() + "=out=" + rec + ",interval=100ms",
                "-cp",
                ForkedJvm.programClassPath(),
                RecordedProgram.class.getName(),
                "linger",
                "60000")
            .redirectOutput(tmp.resolve("killed.out").toFile())
            .redirectError(tmp.resolve("killed.err").toFile())
            .start();
    Path events = rec.resolve("events.jsonl");
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.readString(tmp.resolve("killed.out")).contains("TRUTH")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(300); // a few more intervals
    p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no final flush
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var lines = Files.readAllLines(events);
    assertTrue(lines.size() > 3, "lines: " + lines.size());
    for (String line : lines) {
      json.readTree(line); // every written line is whole
    }
    assertTrue(lines.stream().noneMatch(l -> l.contains("\"type\":\"end\"")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"counters\"")));
    try (var reader =
        new org.HdrHistogram.HistogramLogReader(rec.resolve("histograms.hlog").toFile())) {
      int intervals = 0;
      while (reader.nextIntervalHistogram() != null) {
        intervals++;
      }
      assertTrue(intervals > 0);
    }
  }

  @Test
  void theJarHoldsNoUnrelocatedClasses() throws Exception {
    try (JarFile jar = new JarFile(ForkedJvm.agentJar().toFile())) {
      assertTrue(jar.getManifest().getMainAttributes().getValue("Premain-Class") != null);
      assertEquals(
          "true", jar.getManifest().getMainAttributes().getValue("Can-Retransform-Classes"));
      assertTrue(jar.getEntry("META-INF/tombscope/bootstrap.jar") != null);
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class")) {
          String path =
              name.startsWith("META-INF/versions/")
                  ? name.replaceFirst("META-INF/versions/\\d+/", "")
                  : name;
          assertTrue(path.startsWith("io/tombscope/agent/"), "unrelocated class " + name);
          assertTrue(
              !path.startsWith("io/tombscope/agent/bootstrap/"),
              "probe outside the bootstrap jar: " + name);
        }
      }
    }
  }
}
