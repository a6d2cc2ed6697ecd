package io.tombscope.benchmarks.jvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a program in a new JVM of the same Java installation, its standard error passed through, and
 * times it from start to exit.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * How a child ended.
   *
   * @param exitCode the process's exit code
   * @param elapsedNanos wall time from start to exit
   * @param stdout its standard output lines, or empty when they went to a file
   */
  public record Outcome(int exitCode, long elapsedNanos, List<String> stdout) {}

  /**
   * Runs {@code java ARGS} and waits for it.
   *
   * @param args JVM options, then the main class or {@code -jar JAR}, then the program's arguments
   * @param stdoutFile where standard output goes; null to collect it in {@link Outcome#stdout()}
   */
  public static Outcome run(List<String> args, Path stdoutFile)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (stdoutFile != null) {
      builder.redirectOutput(stdoutFile.toFile());
    }
    long start = System.nanoTime();
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    if (stdoutFile == null) {
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.add(line);
        }
      }
    }
    int exit = process.waitFor();
    return new Outcome(exit, System.nanoTime() - start, List.copyOf(lines));
  }

  /** The class path of this JVM, for children that run this module's own classes. */
  public static String classPath() {
    return System.getProperty("java.class.path");
  }
}
