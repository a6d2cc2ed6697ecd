package io.tombscope.analyzer.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Finds the recording directory that the agent in a live JVM writes, from that JVM's own arguments
 * and system properties read over JMX: {@code out=} of its {@code -javaagent} option or {@code
 * tombscope.out}, else the default {@code tombscope-%pid-%date}, relative to the JVM's working
 * directory. A directory counts only when its {@code meta.json} names the JVM's pid.
 */
final class AgentRecording {
  private AgentRecording() {}

  static Optional<Path> of(MBeanServerConnection server, long pid) {
    try {
      ObjectName runtime = new ObjectName("java.lang:type=Runtime");
      String[] arguments = (String[]) server.getAttribute(runtime, "InputArguments");
      TabularData properties = (TabularData) server.getAttribute(runtime, "SystemProperties");
      String out = null;
      for (String argument : arguments) {
        if (argument.startsWith("-javaagent:") && argument.contains("tombscope")) {
          for (String option : argument.substring(argument.indexOf('=') + 1).split(",")) {
            if (option.startsWith("out=")) {
              out = option.substring(4);
            }
          }
        }
      }
      String workingDirectory = property(properties, "user.dir");
      if (out == null) {
        out = property(properties, "tombscope.out");
      }
      if (out == null) {
        out = "tombscope-%pid-%date";
      }
      Path base = workingDirectory == null ? Path.of("") : Path.of(workingDirectory);
      String pattern = out.replace("%pid", Long.toString(pid));
      if (!pattern.contains("%date")) {
        Path dir = base.resolve(pattern);
        return writtenBy(dir, pid) ? Optional.of(dir) : Optional.empty();
      }
      Path glob = base.resolve(pattern.replace("%date", "*"));
      try (DirectoryStream<Path> dirs =
          Files.newDirectoryStream(glob.getParent(), glob.getFileName().toString())) {
        Path newest = null;
        for (Path dir : dirs) {
          if (writtenBy(dir, pid)
              && (newest == null || dir.getFileName().compareTo(newest.getFileName()) > 0)) {
            newest = dir;
          }
        }
        return Optional.ofNullable(newest);
      }
    } catch (Exception e) {
      return Optional.empty(); // only an addendum to the release: without it, nothing is said
    }
  }

  private static String property(TabularData properties, String key) {
    CompositeData row = properties.get(new Object[] {key});
    return row == null ? null : (String) row.get("value");
  }

  private static boolean writtenBy(Path dir, long pid) throws IOException {
    Path meta = dir.resolve("meta.json");
    return Files.isRegularFile(meta)
        && Files.readString(meta).replace(" ", "").contains("\"pid\":" + pid + ",");
  }
}
