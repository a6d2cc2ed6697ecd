package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent leaves the program's output and the JVM's class data sharing alone: a hello-world
 * prints the same bytes with and without it, on Java 17 and 25, and its own classes still come from
 * a class-data-sharing archive (appending to the boot class path would print a warning and stop
 * that).
 */
class QuietStartIT {
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void outputAndClassDataSharingAreTheProgramsOwn(String feature) throws Exception {
    Path java = java(feature);
    Path jar = programJar();
    Run plain = run(java, jar);
    for (String options : List.of("", ",jdk=false")) {
      String agent = "-javaagent:" + ForkedJvm.agentJar() + "=out=" + tmp.resolve("rec") + options;
      Run withAgent = run(java, jar, agent);
      assertEquals(0, withAgent.exitCode, withAgent.stderr);
      assertEquals(plain.stdout, withAgent.stdout, "stdout with " + options);
      // Beside its one documented start line (quiet=true leaves that out too).
      List<String> startLines =
          withAgent.stderr.lines().filter(l -> ForkedJvm.START_LINE.matcher(l).matches()).toList();
      assertEquals(1, startLines.size(), withAgent.stderr);
      assertEquals(
          plain.stderr,
          withAgent.stderr.replace(startLines.get(0) + "\n", ""),
          "stderr with " + options);
    }

    Run quiet =
        run(
            java,
            jar,
            "-javaagent:" + ForkedJvm.agentJar() + "=out=" + tmp.resolve("q") + ",quiet=true");
    assertEquals(plain.stderr, quiet.stderr, "stderr with quiet=true");

    // A dynamic archive of the program's own classes, used with the agent attached.
    Path archive = tmp.resolve("app.jsa");
    Run dump = run(java, jar, "-XX:ArchiveClassesAtExit=" + archive);
    assertTrue(Files.isRegularFile(archive), dump.stdout + dump.stderr);
    Run shared =
        run(
            java,
            jar,
            "-XX:SharedArchiveFile=" + archive,
            "-Xshare:auto",
            "-Xlog:class+load",
            "-javaagent:" + ForkedJvm.agentJar() + "=out=" + tmp.resolve("rec-cds"));
    assertTrue(
        shared
            .stdout
            .lines()
            .anyMatch(
                l ->
                    l.contains(
                        " " + HelloProgram.class.getName() + " source: shared objects file")),
        "the program's class comes from the archive:\n" + shared.stdout);
  }

  /**
   * A program that needs neither byte-buddy nor JMX pays for neither: byte-buddy's advice and agent
   * builder stay unloaded, and no MBean server is made, even once the agent's background start-up
   * work is done.
   */
  @ParameterizedTest
  @ValueSource(strings = {"17", "25"})
  void noByteBuddyAndNoMBeanServerUnlessNeeded(String feature) throws Exception {
    Path java = java(feature);
    Path jar = programJar(IdleProgram.class);
    Run idle =
        run(
            java,
            jar,
            IdleProgram.class,
            "-Xlog:class+load",
            "-javaagent:" + ForkedJvm.agentJar() + "=out=" + tmp.resolve("idle"));
    assertEquals(0, idle.exitCode, idle.stderr);
    assertTrue(idle.stdout.contains("idle 0"), idle.stdout);
    List<String> loaded =
        idle.stdout
            .lines()
            .filter(l -> l.contains("[class,load]"))
            .map(l -> l.substring(l.indexOf("[class,load]") + "[class,load]".length()).trim())
            .map(l -> l.split(" ")[0])
            .toList();
    assertTrue(loaded.contains(IdleProgram.class.getName()), "the log lists the program's class");
    for (String avoided :
        List.of(
            "io.tombscope.agent.shaded.net.bytebuddy.asm.Advice",
            "io.tombscope.agent.shaded.net.bytebuddy.agent.builder.AgentBuilder",
            "com.sun.jmx.mbeanserver.JmxMBeanServer")) {
      assertFalse(loaded.contains(avoided), avoided + " was loaded");
    }
  }

  private static Path java(String feature) {
    if (feature.equals("25")) {
      Assumptions.assumeTrue(Files.isExecutable(TEMURIN_25), "Temurin 25 is not installed");
      return TEMURIN_25;
    }
    Assumptions.assumeTrue(Runtime.version().feature() == 17, "this JVM is not Java 17");
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The program in a jar of its own: archives of application classes take jars only. */
  private Path programJar() throws IOException {
    return programJar(HelloProgram.class);
  }

  private Path programJar(Class<?> program) throws IOException {
    Path jar = tmp.resolve(program.getSimpleName() + ".jar");
    String entry = program.getName().replace('.', '/') + ".class";
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        var in = program.getResourceAsStream("/" + entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
    }
    return jar;
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private Run run(Path java, Path jar, String... jvmArgs) throws Exception {
    return run(java, jar, HelloProgram.class, jvmArgs);
  }

  private Run run(Path java, Path jar, Class<?> program, String... jvmArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m"));
    command.addAll(List.of(jvmArgs));
    command.addAll(List.of("-cp", jar.toString(), program.getName()));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("did not finish: " + command);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
