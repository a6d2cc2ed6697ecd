package io.tombscope.benchmarks.jvm;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a program's {@code main} and, as the JVM exits, prints on stderr where its CPU time went, by
 * kind of thread: one line {@value #PREFIX} {@code kind=seconds ...}. The kinds: the program's own
 * threads, the JIT's (C1, C2), the collector's, the VM's other threads, the agent's ({@code
 * tombscope-*}) and threads that ended before the exit (the process's total less the threads still
 * there). Linux only: it reads {@code /proc/self/task}. A shutdown hook prints it, so a program
 * that calls {@code System.exit} (javac) is measured too.
 *
 * <pre>java -cp benchmarks.jar io.tombscope.benchmarks.jvm.ThreadCpu MAIN_CLASS [ARGS...]</pre>
 */
public final class ThreadCpu {
  /** What the line starts with. */
  public static final String PREFIX = "THREAD_CPU";

  /** The kinds, in the order the line gives them. */
  public static final List<String> KINDS =
      List.of("program", "c1", "c2", "gc", "vm", "agent", "ended");

  private ThreadCpu() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ThreadCpu MAIN_CLASS [ARGS...]");
      System.exit(2);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(ThreadCpu::report, "thread-cpu-report"));
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void report() {
    try {
      System.err.println(line(byKind()));
    } catch (IOException | RuntimeException e) {
      System.err.println(PREFIX + " unavailable: " + e);
    }
  }

  /** CPU seconds by kind of thread, as now. */
  static Map<String, Double> byKind() throws IOException {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (String kind : KINDS) {
      seconds.put(kind, 0.0);
    }
    double live = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          continue; // the thread ended meanwhile: counted with the ended ones
        }
        double s = AlternatedRuns.ticks(stat, 14) * AlternatedRuns.TICK_SECONDS;
        live += s;
        seconds.merge(
            kindOf(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))), s, Double::sum);
      }
    }
    double total =
        AlternatedRuns.ticks(
                Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII), 14)
            * AlternatedRuns.TICK_SECONDS;
    seconds.put("ended", Math.max(0, total - live));
    return seconds;
  }

  /** The kind of a thread by its name as the kernel keeps it (its first 15 characters). */
  static String kindOf(String name) {
    if (name.startsWith("C1 CompilerThre")) {
      return "c1";
    }
    if (name.startsWith("C2 CompilerThre")) {
      return "c2";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Periodic")) {
      return "gc";
    }
    if (name.startsWith("tombscope-")) {
      return "agent";
    }
    if (name.equals("VM Thread")
        || name.startsWith("Reference Handl")
        || name.equals("Finalizer")
        || name.equals("Signal Dispatch")
        || name.equals("Service Thread")
        || name.startsWith("Monitor Deflati")
        || name.startsWith("Sweeper thread")
        || name.equals("Common-Cleaner")
        || name.equals("Notification Th")
        || name.equals("Attach Listener")) {
      return "vm";
    }
    return "program";
  }

  static String line(Map<String, Double> seconds) {
    StringBuilder b = new StringBuilder(PREFIX);
    for (Map.Entry<String, Double> e : seconds.entrySet()) {
      b.append(' ').append(e.getKey()).append('=');
      b.append(String.format(Locale.ROOT, "%.2f", e.getValue()));
    }
    return b.toString();
  }

  /** The seconds by kind that a {@link #PREFIX} line of {@code stderr} gives, or null if none. */
  public static Map<String, Double> parse(String stderr) {
    for (String l : stderr.lines().toList()) {
      if (!l.startsWith(PREFIX + " ") || l.startsWith(PREFIX + " unavailable")) {
        continue;
      }
      Map<String, Double> seconds = new LinkedHashMap<>();
      for (String kv : l.substring(PREFIX.length() + 1).split(" ")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          seconds.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
        }
      }
      return seconds;
    }
    return null;
  }
}
