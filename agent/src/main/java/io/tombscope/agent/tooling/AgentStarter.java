package io.tombscope.agent.tooling;

import io.tombscope.agent.recording.RecordingWriter;
import io.tombscope.agent.release.ReleaseBean;
import io.tombscope.agent.release.ReleaseTrigger;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts the agent once the probes are defined in the boot loader: options, probe configuration,
 * the recording, the shutdown hook and the instrumentation, which loads byte-buddy only when a
 * class of a map other than the JDK's loads ({@link LazyInstrumentation}). Called reflectively by
 * {@code TombscopeAgent}; it never throws into the app.
 */
public final class AgentStarter {
  static final String PROBES = "io.tombscope.agent.bootstrap.Probes";
  private static final Consumer<String> WARN = line -> System.err.println("tombscope: " + line);

  private static volatile RecordingWriter recording;
  private static volatile ReleaseTrigger releaseTrigger;
  private static final CountDownLatch INSTRUMENTED = new CountDownLatch(1);

  private AgentStarter() {}

  /** The running recording, or null before the agent started. */
  public static RecordingWriter recording() {
    return recording;
  }

  /** The release trigger, or null before the agent started. */
  public static ReleaseTrigger releaseTrigger() {
    return releaseTrigger;
  }

  /**
   * Waits up to {@code millis} until the classes loaded before the agent started (the JDK's maps)
   * are instrumented or given up on; false if the agent is not running or the time ran out.
   */
  public static boolean awaitInstrumented(long millis) throws InterruptedException {
    return releaseTrigger != null && INSTRUMENTED.await(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the agent. At JVM start ({@code attached} false) the instrumentation of classes already
   * loaded runs on a background thread so that {@code main} need not wait for it; attached to a
   * running JVM, it finishes before this returns, so that {@code tombscope attach} returns only
   * once the maps constructed after it are recorded.
   */
  public static void start(
      String args, Instrumentation inst, boolean attached, List<String> jvmArguments) {
    AgentOptions options = AgentOptions.parse(args, System.getProperties(), WARN);
    try {
      // The probes must come from the boot loader, or every advice call would fail (and be
      // silently suppressed): check once, loudly.
      Class.forName(PROBES, false, null);
    } catch (ClassNotFoundException e) {
      WARN.accept("agent not started: the probes are not in the boot loader");
      return;
    }
    if (Runtime.version().feature() >= 24) {
      // Keeps the relocated byte-buddy off sun.misc.Unsafe, which newer JDKs warn about.
      System.setProperty(
          net.bytebuddy.dynamic.loading.ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
    }
    io.tombscope.agent.bootstrap.Probes.configure(
        options.latencySamplePeriod(), options.callSiteSamplePeriod());
    RecordingWriter writer =
        RecordingWriter.open(
            options.out() == null ? null : Path.of(options.out()),
            options.intervalMillis(),
            options.histogramMillis(),
            options.segmentMillis(),
            options.given(),
            jvmArguments,
            WARN);
    recording = writer;
    if (!options.quiet() && writer.directory() != null && writer.isRecording()) {
      // The one line the agent prints when all is well, like JFR's "Started recording".
      System.err.println("tombscope: " + writer.startLine());
    }
    if (options.prometheusPort() >= 0) {
      io.tombscope.agent.live.LiveView.start(
          options.prometheusHost(),
          options.prometheusPort(),
          options.prometheusSites(),
          writer,
          WARN);
    }
    if (ModuleLayer.boot().findModule("jdk.jfr").isPresent() && flightRecordingRequested()) {
      io.tombscope.agent.jfr.JfrEvents.start(writer, WARN);
    }
    writer.start();
    ReleaseTrigger trigger = new ReleaseTrigger(writer, WARN);
    releaseTrigger = trigger;
    ReleaseTrigger atExit = options.releaseAtExit() ? trigger : null;
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(writer, atExit), "tombscope-shutdown"));
    LazyInstrumentation lazy =
        LazyInstrumentation.install(
            inst, Transformations.registered(), Transformations.jdk(options, inst, WARN), WARN);
    // The rest (retransforming the classes already loaded, watching for an MBean server) is off
    // the program's way: main starts meanwhile.
    Thread rest =
        new Thread(
            () -> {
              try {
                if (options.jmx()) {
                  ReleaseBean.registerWhenServerExists(inst, trigger, WARN);
                }
                lazy.retransformLoaded(inst);
              } catch (RuntimeException | LinkageError e) {
                // Never an uncaught exception's trace on the program's stderr.
                WARN.accept("start-up step failed: " + e);
              } finally {
                INSTRUMENTED.countDown();
              }
            },
            "tombscope-start");
    rest.setDaemon(true);
    rest.start();
    if (attached) {
      try {
        rest.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (options.releasePeriodMillis() > 0) {
      startPeriodicRelease(trigger, options.releasePeriodMillis());
    }
  }

  /**
   * True when the JVM's command line starts a flight recording. Only then are the JFR events
   * registered: making JFR ready costs a JVM that does not use it most of a second of CPU.
   */
  private static boolean flightRecordingRequested() {
    StringBuilder flags = new StringBuilder();
    for (String arg : ProcessHandle.current().info().arguments().orElse(new String[0])) {
      flags.append(arg).append(' ');
    }
    flags.append(System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "")).append(' ');
    flags.append(System.getenv().getOrDefault("JDK_JAVA_OPTIONS", ""));
    return flags.indexOf("-XX:StartFlightRecording") >= 0
        || flags.indexOf("-XX:+FlightRecorder") >= 0;
  }

  private static void startPeriodicRelease(ReleaseTrigger trigger, long periodMillis) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  Thread.sleep(periodMillis);
                  trigger.release("period");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Throwable e) {
                WARN.accept("periodic release stopped: " + e);
              }
            },
            "tombscope-release");
    t.setDaemon(true);
    t.start();
  }

  private static void stop(RecordingWriter writer, ReleaseTrigger exitRelease) {
    try {
      if (exitRelease != null) {
        exitRelease.release("exit");
      }
    } catch (Throwable t) {
      WARN.accept("the release at exit failed: " + t);
    }
    Throwable suppressed = io.tombscope.agent.bootstrap.Sites.firstSuppressed();
    if (suppressed != null) {
      // Probes swallow their failures, and maps undo failed compactions, to keep the app safe;
      // say so once, at the end.
      WARN.accept(
          io.tombscope.agent.bootstrap.Sites.suppressedErrors()
              + " failures were kept from the program (probe errors, compactions undone), the"
              + " first: "
              + suppressed);
    }
    try {
      writer.close();
    } catch (Throwable t) {
      WARN.accept("the last flush failed: " + t);
    }
  }
}
