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
   * @param cpuSeconds its CPU time, user and system, in the kernel's ticks of 10 ms (Linux; 0
   *     elsewhere)
   */
  public record Outcome(int exitCode, long elapsedNanos, List<String> stdout, double cpuSeconds) {}

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
    long ticksBefore = ticks();
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
    long elapsed = System.nanoTime() - start;
    long ticks = ticks() - ticksBefore;
    // The reaper thread may account the child a moment after waitFor returns.
    for (int i = 0; i < 20 && ticks == 0 && ticksBefore >= 0; i++) {
      Thread.sleep(5);
      ticks = ticks() - ticksBefore;
    }
    return new Outcome(exit, elapsed, List.copyOf(lines), Math.max(0, ticks) * 0.01);
  }

  /** CPU ticks of this process's reaped children so far, or -1 where the kernel does not say. */
  private static long ticks() {
    try {
      return AlternatedRuns.childTicks();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The class path of this JVM, for children that run this module's own classes. */
  public static String classPath() {
    return System.getProperty("java.class.path");
  }
}
