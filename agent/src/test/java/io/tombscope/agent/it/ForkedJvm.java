package io.tombscope.agent.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs a class of the test class path in a new JVM, optionally with the packaged agent. */
record ForkedJvm(int exitCode, String stdout, String stderr) {

  static Path agentJar() {
    String jar = System.getProperty("tombscope.agent.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "the packaged agent jar is missing (tombscope.agent.jar=" + jar + "); run mvn verify");
    }
    return Path.of(jar);
  }

  /**
   * Runs {@code main}, which attaches the packaged agent to itself: its arguments are the agent
   * jar, the agent options (recording to {@code rec} every 100 ms) and {@code rec}.
   */
  static ForkedJvm runAttaching(Class<?> main, Path rec) throws IOException, InterruptedException {
    return run(
        null,
        List.of("-XX:+EnableDynamicAgentLoading"),
        null,
        main,
        agentJar().toString(),
        "out=" + rec + ",interval=100ms",
        rec.toString());
  }

  static ForkedJvm run(String agentOptions, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(List.of(), agentOptions, main, args);
  }

  static ForkedJvm run(List<String> jvmArgs, String agentOptions, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(null, jvmArgs, agentOptions, main, args);
  }

  /** Runs with the {@code java} launcher at {@code java}, or this JVM's own if null. */
  static ForkedJvm run(
      Path java, List<String> jvmArgs, String agentOptions, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(java, jvmArgs, (Path) null, agentOptions, main, args);
  }

  /**
   * Runs with {@code firstOnClassPath} (a library's jar, say) ahead of the test class path, so its
   * classes load from there.
   */
  static ForkedJvm run(
      Path java,
      List<String> jvmArgs,
      Path firstOnClassPath,
      String agentOptions,
      Class<?> main,
      String... args)
      throws IOException, InterruptedException {
    String classPath =
        (firstOnClassPath == null ? "" : firstOnClassPath + File.pathSeparator)
            + programClassPath();
    return run(java, jvmArgs, agentOptions, classPath, main, args);
  }

  /** Runs with the class path {@code classPath} (another release of a library, say). */
  static ForkedJvm run(
      Path java,
      List<String> jvmArgs,
      String agentOptions,
      String classPath,
      Class<?> main,
      String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(
        java != null
            ? java.toString()
            : Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(jvmArgs);
    command.add("-Djdk.attach.allowAttachSelf=true");
    if (agentOptions != null) {
      command.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("fork", ".out");
    Path err = Files.createTempFile("fork", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("forked JVM did not finish: " + command);
    }
    return new ForkedJvm(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * The test class path without the agent's own build output and the libraries its jar bundles, so
   * a forked program finds the agent only in the packaged jar, relocated as users get it.
   */
  static String programClassPath() {
    Path agentTarget = agentJar().toAbsolutePath().getParent();
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !bundledInAgentJar(Path.of(entry).toAbsolutePath(), agentTarget))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * The program's class path with another release of a library: the jars whose names start with
   * {@code jarPrefix} swapped for {@code jar}, from the directory the build copies them to.
   */
  static String programClassPathWith(String jarPrefix, String jar) {
    Path path = Path.of(System.getProperty("tombscope.thirdparty.dir"), jar);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("missing " + path + "; run mvn verify");
    }
    List<String> entries =
        Arrays.stream(programClassPath().split(File.pathSeparator))
            .filter(e -> !Path.of(e).getFileName().toString().startsWith(jarPrefix))
            .collect(Collectors.toCollection(ArrayList::new));
    entries.add(path.toString());
    return String.join(File.pathSeparator, entries);
  }

  private static boolean bundledInAgentJar(Path entry, Path agentTarget) {
    String name = String.valueOf(entry.getFileName());
    boolean agentOutput = agentTarget.equals(entry.getParent()) && !name.equals("test-classes");
    return agentOutput || name.startsWith("byte-buddy") || name.startsWith("HdrHistogram");
  }

  /** The agent's documented start line (README), which {@link AgentOutputIT} checks itself. */
  static final java.util.regex.Pattern START_LINE =
      java.util.regex.Pattern.compile("tombscope: recording to /\\S*( \\(/\\S* [^)]*\\))?");

  /**
   * Stderr without the JVM's own class-data-sharing notice that appending to the boot path causes,
   * and without the agent's start line: what the agent says beyond starting.
   */
  String agentStderr() {
    return stderr
        .lines()
        .filter(l -> !l.contains("Sharing is only supported"))
        .filter(l -> !START_LINE.matcher(l).matches())
        .reduce("", (a, b) -> a + b + "\n");
  }
}
