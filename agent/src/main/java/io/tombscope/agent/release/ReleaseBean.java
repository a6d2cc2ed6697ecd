package io.tombscope.agent.release;

import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import javax.management.ObjectName;

/** The {@link ReleaseMXBean} the agent registers. */
public final class ReleaseBean implements ReleaseMXBean {
  private final ReleaseTrigger trigger;

  ReleaseBean(ReleaseTrigger trigger) {
    this.trigger = trigger;
  }

  /** Registers the bean in the platform MBean server; a failure is one warning line. */
  public static void register(ReleaseTrigger trigger, Consumer<String> warn) {
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
