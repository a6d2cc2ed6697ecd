package io.tombscope.benchmarks.jvm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's packaged jars are: a system property if set, else the module's build output
 * relative to the working directory (the repository root when run as the README says).
 */
public final class BuiltJar {
  private BuiltJar() {}

  /**
   * The shaded agent: {@code -Dtombscope.agent.jar}, else {@code agent/target/tombscope-agent.jar}.
   */
  public static Path agent() {
    return locate("tombscope.agent.jar", "agent/target/tombscope-agent.jar", "agent");
  }

  /**
   * The analyzer's command line: {@code -Dtombscope.analyzer.jar}, else {@code
   * analyzer/target/tombscope.jar}.
   */
  public static Path analyzer() {
    return locate("tombscope.analyzer.jar", "analyzer/target/tombscope.jar", "analyzer");
  }

  /**
   * The jar named by {@code property}, else {@code defaultPath}, as an absolute path.
   *
   * @throws IllegalStateException with a one-line message if there is no such file
   */
  static Path locate(String property, String defaultPath, String module) {
    String configured = System.getProperty(property);
    Path jar = Path.of(configured != null ? configured : defaultPath).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          module
              + " jar not found: "
              + jar
              + (configured != null
                  ? " (given by -D" + property + ")"
                  : " (run from the repository root after `mvn -pl "
                      + module
                      + " install`, or set -D"
                      + property
                      + "=PATH)"));
    }
    return jar;
  }

  /** The {@code -javaagent} JVM argument for {@code jar} with {@code options} (may be empty). */
  public static String javaagent(Path jar, String options) {
    if (options.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("agent options must not contain spaces: " + options);
    }
    return "-javaagent:" + jar + (options.isEmpty() ? "" : "=" + options);
  }
}
