package io.tombscope.agent;

import java.io.File;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The agent's entry point: {@code premain} and {@code agentmain} both funnel into {@link #start}.
 * Every signature here mentions JDK types only, because the JVM resolves them before the bootstrap
 * jar is on the boot class path. It appends the nested bootstrap jar (the probes that instrumented
 * maps call), then hands over to the tooling layer; nothing it does can stop the app.
 */
public final class TombscopeAgent {
  private static final String BOOTSTRAP_JAR = "/META-INF/tombscope/bootstrap.jar";
  private static final String STARTER = "io.tombscope.agent.tooling.AgentStarter";
  private static boolean started;

  private TombscopeAgent() {}

  /** Called by {@code -javaagent:tombscope-agent.jar=options}. */
  public static void premain(String options, Instrumentation inst) {
    start(options, inst);
  }

  /** Called when the agent is attached to a running JVM. */
  public static void agentmain(String options, Instrumentation inst) {
    start(options, inst);
  }

  private static synchronized void start(String options, Instrumentation inst) {
    if (started) {
      System.err.println("tombscope: the agent is already running in this JVM; ignoring it");
      return;
    }
    started = true;
    try {
      inst.appendToBootstrapClassLoaderSearch(new JarFile(extractBootstrapJar()));
      Class.forName(STARTER)
          .getMethod("start", String.class, Instrumentation.class)
          .invoke(null, options, inst);
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      System.err.println("tombscope: agent not started, the application runs on: " + cause);
    }
  }

  private static File extractBootstrapJar() throws Exception {
    File jar = File.createTempFile("tombscope-bootstrap-", ".jar");
    jar.deleteOnExit();
    try (InputStream in = TombscopeAgent.class.getResourceAsStream(BOOTSTRAP_JAR)) {
      if (in == null) {
        throw new IllegalStateException("the agent jar has no " + BOOTSTRAP_JAR);
      }
      Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
    return jar;
  }
}
