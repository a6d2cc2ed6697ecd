package io.tombscope.analyzer.cli;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.read.Printable;
import io.tombscope.analyzer.read.RecordingException;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.render.JdkReleaseNote;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs the release trigger in a live JVM through the attach mechanism alone: it loads the agent jar
 * with the options {@code @release=FILE}, the agent already running there runs the release on the
 * JVM's attach listener thread and writes its answer to FILE, in a directory this command created
 * for it (owner-only), and this command reads FILE and removes both. No port is opened, in the
 * target or here.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a memory release in a live JVM that has the Tombscope agent and prints before/after.",
      "Maps are compacted by their own threads at their next write; the JVM then collects garbage."
    })
final class ReleaseCommand implements Callable<Integer> {
  /** The agent options that ask for a release; the agent's {@code TombscopeAgent} reads them. */
  static final String COMMAND = "@release=";

  /** An answer longer than this is no answer of the agent's. */
  static final long MAX_ANSWER_BYTES = 1 << 20;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PID", description = "process id of the JVM")
  long pid;

  @Option(
      names = "--agent-jar",
      paramLabel = "PATH",
      description =
          "the agent jar to load for the request (default: agent/target/tombscope-agent.jar in"
              + " Tombscope's home)")
  Path agentJar;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Path jar = AttachCommand.agentJar(agentJar);
    AttachCommand.checkTarget(pid);
    Path dir = answerDirectory();
    Path answerFile = dir.resolve("answer");
    List<String> answer;
    try {
      request(jar, COMMAND + answerFile);
      answer = read(answerFile);
    } finally {
      Files.deleteIfExists(answerFile);
      Files.deleteIfExists(dir);
    }
    String status = answer.isEmpty() ? "" : answer.get(0);
    if (status.equals("no-agent")) {
      throw new IOException(
          "JVM "
              + pid
              + " has no Tombscope agent running (start it with -javaagent:tombscope-agent.jar,"
              + " or now with: tombscope attach "
              + pid
              + ")");
    }
    if (status.startsWith("failed ")) {
      throw new IOException("the release failed in JVM " + pid + ": " + status.substring(7));
    }
    if (!status.equals("released") || answer.size() < 2) {
      throw new IOException("JVM " + pid + " answered what is no release: " + status);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (String line : answer.subList(2, answer.size())) {
      out.println(Printable.clean(line));
    }
    // What the release cannot give back: the JDK maps its recording shows, and how to shrink them.
    Path recording = answer.get(1).isEmpty() ? null : Path.of(answer.get(1));
    if (recording != null && recording.isAbsolute() && AttachCommand.writtenBy(recording, pid)) {
      try {
        out.print(JdkReleaseNote.text(Analyzer.analyze(RecordingReader.read(recording))));
      } catch (RecordingException e) {
        // The release itself is done; a recording that cannot be read now adds nothing to it.
      }
    }
    out.flush();
    return 0;
  }

  /** Loads the agent jar into the JVM with {@code options}; returns once its agentmain returned. */
  private void request(Path jar, String options) throws IOException {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      throw new IOException(
          "cannot attach to JVM " + pid + " (is it running, a JVM, and yours?): " + e.getMessage(),
          e);
    }
    try {
      vm.loadAgent(jar.toString(), options);
    } catch (AgentLoadException e) {
      throw new IOException("JVM " + pid + " could not load " + jar + ": " + e.getMessage(), e);
    } catch (AgentInitializationException e) {
      throw new IOException("the agent failed in JVM " + pid + ": " + e.getMessage(), e);
    } finally {
      vm.detach();
    }
  }

  /**
   * A fresh directory for the answer, owner-only. When the JVM runs as another user (this command
   * runs as root), the directory is given to that user, who must create the answer in it.
   */
  private Path answerDirectory() throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path dir =
        posix
            ? Files.createTempDirectory(
                "tombscope-release-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            : Files.createTempDirectory("tombscope-release-");
    Path process = Path.of("/proc", Long.toString(pid));
    try {
      if (posix && Files.exists(process)) {
        var owner = Files.getOwner(process);
        if (!owner.equals(Files.getOwner(dir))) {
          Files.setOwner(dir, owner);
        }
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // The JVM cannot answer then, and the command says so.
    }
    return dir;
  }

  /** The lines of the answer the agent wrote, which must be a regular file of bounded size. */
  private List<String> read(Path answerFile) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(answerFile, BasicFileAttributes.class, NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new IOException(
          "JVM "
              + pid
              + " gave no answer to the release: its agent may be older than this tombscope, or"
              + " could not write to "
              + answerFile.getParent()
              + "; that JVM's stderr says why");
    }
    if (!a.isRegularFile() || a.size() > MAX_ANSWER_BYTES) {
      throw new IOException(answerFile + ": not an answer of the agent's");
    }
    try (InputStream in = Files.newInputStream(answerFile, NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes((int) MAX_ANSWER_BYTES);
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString()
          .lines()
          .toList();
    } catch (CharacterCodingException e) {
      throw new IOException(answerFile + ": not UTF-8");
    }
  }
}
