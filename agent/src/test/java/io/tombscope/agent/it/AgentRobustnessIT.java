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
    assertTrue(Files.exists(RecordingLines.firstEventsFile(tmp.resolve("rec"))));
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
                while (!Files.exists(RecordingLines.firstEventsFile(rec))) {
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
                "-javaagent:"
                    + ForkedJvm.agentJar()
                    + "=out="
                    + rec
                    + ",interval=100ms,histograms=100ms",
                "-cp",
                ForkedJvm.programClassPath(),
                RecordedProgram.class.getName(),
                "linger",
                "60000")
            .redirectOutput(tmp.resolve("killed.out").toFile())
            .redirectError(tmp.resolve("killed.err").toFile())
            .start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.readString(tmp.resolve("killed.out")).contains("TRUTH")
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(300); // a few more intervals
    p.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no final flush
    // Every written line is whole: the compressed segment decodes to the last flush.
    var events = RecordingLines.events(rec);
    assertTrue(events.size() > 3, "lines: " + events.size());
    assertTrue(events.stream().noneMatch(e -> e.path("type").asText().equals("end")));
    assertTrue(events.stream().anyMatch(e -> e.path("type").asText().equals("counters")));
    try (var reader =
        new org.HdrHistogram.HistogramLogReader(
            RecordingLines.histogramLog(rec, tmp.resolve("killed.hlog")).toFile())) {
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
