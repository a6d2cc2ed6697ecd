package io.tombscope.analyzer.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.read.RecordingException;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.render.JdkReleaseNote;
import java.io.IOException;
import java.util.concurrent.Callable;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs the release trigger in a live JVM: attaches, starts the JVM's local management agent (a
 * local-only connector; no remote port is opened) and calls the agent's MBean.
 */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a memory release in a live JVM that has the Tombscope agent and prints before/after.",
      "Maps are compacted by their own threads at their next write; the JVM then collects garbage."
    })
final class ReleaseCommand implements Callable<Integer> {
  static final String MBEAN = "io.tombscope:type=Release";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PID", description = "process id of the JVM")
  long pid;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    AttachCommand.checkTarget(pid);
    String address;
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (AttachNotSupportedException | IOException e) {
      throw new IOException(
          "cannot attach to JVM " + pid + " (is it running, a JVM, and yours?): " + e.getMessage(),
          e);
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      ObjectName name = new ObjectName(MBEAN);
      if (!server.isRegistered(name)) {
        throw new IOException(
            "JVM "
                + pid
                + " has no Tombscope agent with JMX (start it with -javaagent:tombscope-agent.jar,"
                + " without jmx=false, or now with: tombscope attach "
                + pid
                + ")");
      }
      spec.commandLine().getErr().println("tombscope: releasing memory in JVM " + pid + "...");
      String table =
          (String)
              server.invoke(
                  name,
                  "releaseFor",
                  new Object[] {"attach"},
                  new String[] {String.class.getName()});
      spec.commandLine().getOut().print(table);
      // What the release cannot give back: the JDK maps its recording shows, and how to shrink
      // them.
      var recording = AgentRecording.of(server, pid);
      if (recording.isPresent()) {
        try {
          spec.commandLine()
              .getOut()
              .print(JdkReleaseNote.text(Analyzer.analyze(RecordingReader.read(recording.get()))));
        } catch (RecordingException e) {
          // The release itself is done; a recording that cannot be read now adds nothing to it.
        }
      }
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
