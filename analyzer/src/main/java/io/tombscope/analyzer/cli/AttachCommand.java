package io.tombscope.analyzer.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Starts the agent in a running JVM through the JDK attach API, as {@code -javaagent} would have at
 * launch, and prints the recording directory. Maps constructed before the attach are not tracked.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the Tombscope agent in a running JVM and prints where its recording goes.",
      "Only maps constructed after the attach are tracked."
    })
final class AttachCommand implements Callable<Integer> {
  static final String DEFAULT_OUT = "tombscope-%pid-%date";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "process id of the JVM")
  long pid;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "OPTIONS",
      description =
          "agent options, as after -javaagent:tombscope-agent.jar= (for example"
              + " out=rec-%%pid,jdksample=16); a relative out is relative to the JVM's working"
              + " directory")
  String options = "";

  @Option(
      names = "--agent-jar",
      paramLabel = "PATH",
      description = "the agent jar (default: agent/target/tombscope-agent.jar in Tombscope's home)")
  Path agentJar;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Path jar = agentJar(agentJar);
    checkTarget(pid);

    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      throw new IOException(
          "cannot attach to JVM " + pid + " (is it yours, and attachable?): " + e.getMessage(), e);
    }
    Properties target;
    long startedMillis = System.currentTimeMillis();
    try {
      String jvmArgs = vm.getAgentProperties().getProperty("sun.jvm.args", "");
      if (jvmArgs.contains("-javaagent:") && jvmArgs.contains("tombscope-agent")) {
        throw new IOException(
            "JVM " + pid + " already runs the Tombscope agent (it was started with -javaagent)");
      }
      target = vm.getSystemProperties();
      spec.commandLine().getErr().println("tombscope: starting the agent in JVM " + pid + "...");
      spec.commandLine().getErr().flush();
      vm.loadAgent(jar.toString(), options);
    } catch (AgentLoadException e) {
      throw new IOException("JVM " + pid + " could not load " + jar + ": " + e.getMessage(), e);
    } catch (AgentInitializationException e) {
      throw new IOException("the agent failed to start in JVM " + pid + ": " + e.getMessage(), e);
    } finally {
      vm.detach();
    }

    Path pattern = recordingPattern(target);
    // Older than the attach (less the coarsest file-time granularity): a recording of before.
    Path recording = find(pattern, startedMillis - 2000);
    if (recording == null) {
      // agentmain returned before loadAgent did, so its meta.json would be there by now.
      throw new IOException(
          "the agent started no recording in "
              + pattern
              + ": is it already running in JVM "
              + pid
              + "? That JVM's stderr says why");
    }
    spec.commandLine().getOut().println(recording);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The agent jar to load: {@code given} (from {@code --agent-jar}), else the one in Tombscope's
   * home; absolute.
   *
   * @throws TombscopeCli.UsageProblem if it is missing
   */
  static Path agentJar(Path given) throws Exception {
    Path jar =
        (given != null ? given : DemoCommand.home().resolve("agent/target/tombscope-agent.jar"))
            .toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new TombscopeCli.UsageProblem(
          "agent jar "
              + jar
              + " is missing: build it with `mvn -DskipTests install`, or name one with"
              + " --agent-jar");
    }
    return jar;
  }

  /**
   * The checks every command makes before it attaches to {@code pid}: not this process, alive, and
   * a JVM. On JDK 17 the attach API sends SIGQUIT before it knows the target is a JVM, which ends
   * any other process, so a mistyped PID must never reach it.
   *
   * @throws TombscopeCli.UsageProblem naming what is wrong, in one line
   */
  static void checkTarget(long pid) throws TombscopeCli.UsageProblem {
    if (pid == ProcessHandle.current().pid()) {
      throw new TombscopeCli.UsageProblem("PID " + pid + " is this tombscope process");
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      throw new TombscopeCli.UsageProblem("no process with PID " + pid);
    }
    if (!attachable(pid)) {
      throw new TombscopeCli.UsageProblem(
          "PID "
              + pid
              + " ("
              + process.get().info().command().orElse("unknown command")
              + ") is not a JVM");
    }
  }

  /**
   * Whether attaching can work. HotSpot lists itself for the attach API, unless it runs without
   * performance data; on Linux a JVM also catches SIGQUIT, the signal the attach API sends to start
   * the JVM's attach listener, and which ends any process that does not catch it.
   */
  static boolean attachable(long pid) {
    String id = Long.toString(pid);
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      if (d.id().equals(id)) {
        return true;
      }
    }
    Path status = Path.of("/proc", id, "status");
    if (!Files.isReadable(status)) {
      return true; // Not Linux: let the attach itself say what is wrong.
    }
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("SigCgt:")) {
          long caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (caught & (1L << (3 - 1))) != 0; // SIGQUIT is signal 3
        }
      }
    } catch (IOException | NumberFormatException e) {
      return true;
    }
    return true;
  }

  /**
   * The recording directory the agent will use, with {@code %pid} expanded and {@code %date} left
   * in: the option the agent reads (the last {@code out=}, else the JVM's {@code tombscope.out},
   * else the default), resolved against the JVM's working directory.
   */
  Path recordingPattern(Properties target) {
    String out = null;
    for (String part : options == null ? new String[0] : options.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equals("out")) {
        out = part.substring(eq + 1).trim();
      }
    }
    if (out == null) {
      out = target.getProperty("tombscope.out", DEFAULT_OUT).trim();
    }
    Path dir = Path.of(out.replace("%pid", Long.toString(pid)));
    String cwd = target.getProperty("user.dir");
    return cwd == null ? dir.toAbsolutePath() : Path.of(cwd).resolve(dir).normalize();
  }

  /**
   * The directory {@code pattern} names whose {@code meta.json} was written at or after {@code
   * sinceMillis}, the newest if several; null if none.
   */
  static Path find(Path pattern, long sinceMillis) throws IOException {
    String name = pattern.getFileName() == null ? "" : pattern.getFileName().toString();
    if (!pattern.toString().contains("%date")) {
      return written(pattern, sinceMillis) ? pattern : null;
    }
    Path parent = pattern.getParent();
    if (parent == null || parent.toString().contains("%date") || !Files.isDirectory(parent)) {
      return null;
    }
    // The agent writes %date as yyyyMMdd-HHmmss; that format sorts by time.
    Pattern match =
        Pattern.compile(
            Stream.of(name.split("%date", -1))
                .map(Pattern::quote)
                .reduce((a, b) -> a + "\\d{8}-\\d{6}" + b)
                .orElse(""));
    try (Stream<Path> children = Files.list(parent)) {
      List<Path> found =
          children
              .filter(p -> match.matcher(p.getFileName().toString()).matches())
              .filter(p -> written(p, sinceMillis))
              .sorted(Comparator.comparing(Path::toString))
              .toList();
      return found.isEmpty() ? null : found.get(found.size() - 1);
    }
  }

  /** Whether {@code dir} holds a recording whose {@code meta.json} names the JVM {@code pid}. */
  static boolean writtenBy(Path dir, long pid) {
    try {
      Path meta = dir.resolve("meta.json");
      return Files.isRegularFile(meta)
          && Files.size(meta) < 1 << 20
          && Files.readString(meta).replace(" ", "").contains("\"pid\":" + pid + ",");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean written(Path dir, long sinceMillis) {
    try {
      return Files.getLastModifiedTime(dir.resolve("meta.json")).toMillis() >= sinceMillis;
    } catch (IOException e) {
      return false;
    }
  }
}
