package io.tombscope.agent;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * The agent's entry point: {@code premain} and {@code agentmain} both funnel into {@link #start}.
 * Every signature here mentions JDK types only, because the JVM resolves them before the probes
 * exist. It defines the probes (the classes of the nested bootstrap jar, which instrumented maps
 * call) in the boot loader, then hands over to the tooling layer; nothing it does can stop the app.
 */
public final class TombscopeAgent {
  private static final String BOOTSTRAP_JAR = "/META-INF/tombscope/bootstrap.jar";
  private static final String STARTER = "io.tombscope.agent.tooling.AgentStarter";
  private static final String DEFINER = "io.tombscope.agent.BootDefiner";
  private static final String ARGUMENTS = "io.tombscope.agent.RuntimeArguments";
  private static final String ATTACHED_RELEASE = "io.tombscope.agent.tooling.AttachedRelease";

  /** The options of {@code tombscope release PID}: a release, answered in the file named after. */
  private static final String RELEASE_COMMAND = "@release=";

  private static boolean started;

  private TombscopeAgent() {}

  /** Called by {@code -javaagent:tombscope-agent.jar=options}. */
  public static void premain(String options, Instrumentation inst) {
    start(options, inst, false);
  }

  /**
   * Called when the agent is attached to a running JVM: it starts the agent, or, with the options
   * {@code @release=FILE}, runs a release in the agent already running and answers in FILE.
   */
  public static void agentmain(String options, Instrumentation inst) {
    if (options != null && options.startsWith(RELEASE_COMMAND)) {
      release(options.substring(RELEASE_COMMAND.length()));
      return;
    }
    start(options, inst, true);
  }

  private static void release(String replyFile) {
    try {
      Class.forName(ATTACHED_RELEASE).getMethod("run", String.class).invoke(null, replyFile);
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      System.err.println("tombscope: the release failed, the application runs on: " + cause);
    }
  }

  private static synchronized void start(String options, Instrumentation inst, boolean attached) {
    if (started) {
      System.err.println("tombscope: the agent is already running in this JVM; ignoring it");
      return;
    }
    started = true;
    try {
      List<String> jvmArguments = defineProbes(inst);
      Class.forName(STARTER)
          .getMethod("start", String.class, Instrumentation.class, boolean.class, List.class)
          .invoke(null, options, inst, attached, jvmArguments);
    } catch (Throwable t) {
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      System.err.println("tombscope: agent not started, the application runs on: " + cause);
    }
  }

  /**
   * Defines the probes in the boot loader, in memory: no file is written. {@link BootDefiner} runs
   * in a class loader of its own, the only module that {@code jdk.internal.misc} is exported to; so
   * does {@link RuntimeArguments}, whose answer this returns (null if it could not be read: the
   * recording then asks the {@code RuntimeMXBean}).
   */
  @SuppressWarnings("unchecked")
  private static List<String> defineProbes(Instrumentation inst) throws Exception {
    Map<String, byte[]> probes = bootstrapClasses();
    Isolated loader = new Isolated();
    Class<?> definer = loader.define(DEFINER, classFile(DEFINER));
    Class<?> arguments = loader.define(ARGUMENTS, classFile(ARGUMENTS));
    Module base = Object.class.getModule();
    inst.redefineModule(
        base,
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(loader.getUnnamedModule())),
        Map.of(),
        Set.of(),
        Map.of());
    ((Consumer<Map<String, byte[]>>) definer.getConstructor().newInstance()).accept(probes);
    try {
      return ((Supplier<List<String>>) arguments.getConstructor().newInstance()).get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static byte[] classFile(String name) throws Exception {
    return resource("/" + name.replace('.', '/') + ".class");
  }

  private static Map<String, byte[]> bootstrapClasses() throws Exception {
    Map<String, byte[]> classes = new HashMap<>();
    try (JarInputStream jar =
        new JarInputStream(new ByteArrayInputStream(resource(BOOTSTRAP_JAR)))) {
      for (JarEntry e; (e = jar.getNextJarEntry()) != null; ) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
          classes.put(
              name.substring(0, name.length() - ".class".length()).replace('/', '.'),
              jar.readAllBytes());
        }
      }
    }
    if (classes.isEmpty()) {
      throw new IllegalStateException("the agent jar's " + BOOTSTRAP_JAR + " holds no classes");
    }
    return classes;
  }

  private static byte[] resource(String path) throws Exception {
    try (InputStream in = TombscopeAgent.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the agent jar has no " + path);
      }
      return in.readAllBytes();
    }
  }

  /**
   * Holds {@link BootDefiner} and {@link RuntimeArguments} alone, so the export to its unnamed
   * module reaches nothing else.
   */
  private static final class Isolated extends ClassLoader {
    Isolated() {
      super("tombscope-boot-definer", ClassLoader.getPlatformClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
