package io.tombscope.agent.release;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.management.ObjectName;

/**
 * The {@link ReleaseMXBean} the agent registers, once the JVM has a platform MBean server.
 *
 * <p>Making that server is what costs: it builds and registers every platform MXBean, about 0.2 s
 * of CPU in a JVM that no JMX client ever reaches. So the agent does not make it. It registers the
 * bean when the server appears: made by the program, by a JMX agent started on the command line, or
 * by JConsole or VisualVM attaching (each loads the JDK's MBean server class first, which a
 * name-only {@link ClassFileTransformer} sees).
 */
public final class ReleaseBean implements ReleaseMXBean {
  // The class of every MBean server the JDK makes, the platform's included.
  private static final String SERVER_CLASS = "com/sun/jmx/mbeanserver/JmxMBeanServer";

  private final ReleaseTrigger trigger;

  ReleaseBean(ReleaseTrigger trigger) {
    this.trigger = trigger;
  }

  /**
   * Registers the bean as soon as the JVM has an MBean server: now if it has one, else when one is
   * made. Registering runs on a thread of its own, as the server may still be under construction.
   */
  public static void registerWhenServerExists(
      Instrumentation inst, ReleaseTrigger trigger, Consumer<String> warn) {
    AtomicBoolean started = new AtomicBoolean();
    Runnable register =
        () -> {
          if (started.compareAndSet(false, true)) {
            Thread t = new Thread(() -> register(trigger, warn), "tombscope-jmx");
            t.setDaemon(true);
            t.start();
          }
        };
    ClassFileTransformer watch =
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              Module module,
              ClassLoader loader,
              String className,
              Class<?> classBeingRedefined,
              ProtectionDomain domain,
              byte[] classfileBuffer) {
            if (loader == null && SERVER_CLASS.equals(className)) {
              inst.removeTransformer(this);
              register.run();
            }
            return null;
          }
        };
    inst.addTransformer(watch);
    // Added first, then checked: a server made in between is seen by one or the other.
    Class<?>[] loaded = inst.getAllLoadedClasses();
    if (loaded == null) {
      return; // the JVM is exiting (a program that ended before this background step ran)
    }
    for (Class<?> c : loaded) {
      if (c.getClassLoader() == null && c.getName().equals(SERVER_CLASS.replace('/', '.'))) {
        inst.removeTransformer(watch);
        register.run();
        return;
      }
    }
  }

  /** Registers the bean in the platform MBean server; a failure is one warning line. */
  private static void register(ReleaseTrigger trigger, Consumer<String> warn) {
    try {
      ManagementFactory.getPlatformMBeanServer()
          .registerMBean(new ReleaseBean(trigger), new ObjectName(OBJECT_NAME));
    } catch (Exception e) {
      warn.accept("could not register the JMX release trigger " + OBJECT_NAME + ": " + e);
    }
  }

  @Override
  public String release() {
    return trigger.release("jmx").table();
  }

  @Override
  public String releaseFor(String trigger) {
    return this.trigger.release(checked(trigger)).table();
  }

  @Override
  public String releaseAsJson(String trigger) {
    return this.trigger.release(checked(trigger)).toEvent(-1).toString();
  }

  private static String checked(String trigger) {
    if (!java.util.Set.of("jmx", "attach", "api").contains(trigger)) {
      throw new IllegalArgumentException("trigger must be jmx, attach or api, not " + trigger);
    }
    return trigger;
  }

  @Override
  public String getLastRelease() {
    ReleaseResult last = trigger.last();
    return last == null ? "" : last.table();
  }

  @Override
  public long getReleaseCount() {
    return trigger.count();
  }
}
