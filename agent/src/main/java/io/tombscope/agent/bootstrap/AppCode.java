package io.tombscope.agent.bootstrap;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;

/**
 * Tells the program's own code from the JDK's and its libraries', so that a map built or emptied
 * inside a library names the program's line that reached it ({@code appFrame} in the recording).
 *
 * <p>With the agent option {@code app} (package prefixes), a class is the program's when its name
 * starts with one of them. Without it: never the JDK's (boot or platform loader, {@code jrt:}) or
 * the agent's; otherwise the program's when it was loaded from a directory (a build's output) or
 * from the jar that {@code java -jar} ran, and a library's when it came from any other jar. The
 * answer is computed once per class.
 */
public final class AppCode {
  // Written once by the agent before any map is instrumented.
  private static String[] prefixes;
  private static String mainJarPath;

  private static final ClassValue<Boolean> IS_APP =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
          return decide(c, prefixes, mainJarPath);
        }
      };

  private AppCode() {}

  /**
   * Sets the program's packages ({@code app}: prefixes separated by {@code :}; null or empty for
   * the default rule) and the command line that started the JVM (its {@code sun.java.command}).
   */
  public static void configure(String app, String javaCommand) {
    if (app != null && !app.isBlank()) {
      java.util.List<String> given = new java.util.ArrayList<>();
      for (String p : app.split(":")) {
        if (!p.isBlank()) {
          given.add(p.trim());
        }
      }
      prefixes = given.toArray(new String[0]);
    }
    if (javaCommand != null) {
      String command = javaCommand.trim();
      int space = command.indexOf(' ');
      String first = space < 0 ? command : command.substring(0, space);
      if (first.endsWith(".jar")) {
        mainJarPath = new java.io.File(first).getAbsolutePath();
      }
    }
  }

  /** True if {@code c} is the program's own code. */
  static boolean isApp(Class<?> c) {
    return IS_APP.get(c);
  }

  /**
   * Whether {@code c} is the program's own code, given the {@code app} prefixes (null for the
   * default rule) and the absolute path of the jar {@code java -jar} ran (or null).
   */
  static boolean decide(Class<?> c, String[] prefixes, String mainJar) {
    String name = c.getName();
    if (JdkProbes.isAgentCode(name)) {
      return false;
    }
    if (prefixes != null) {
      for (String prefix : prefixes) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }
    ClassLoader loader = c.getClassLoader();
    if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
      return false;
    }
    ProtectionDomain domain = c.getProtectionDomain();
    CodeSource source = domain == null ? null : domain.getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null || !"file".equals(location.getProtocol())) {
      return false; // jrt: modules, generated classes, nested archives: not the program's own
    }
    String path = location.getPath();
    if (path.endsWith("/")) {
      return true; // a directory of classes: the program being built or run from its build
    }
    if (mainJar == null) {
      return false;
    }
    try {
      return new java.io.File(location.toURI()).getAbsolutePath().equals(mainJar);
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return false;
    }
  }
}
