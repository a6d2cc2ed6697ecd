package io.tombscope.agent.it;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** What a program under the agent calls to run a release through the agent's MBean. */
final class JmxRelease {
  private JmxRelease() {}

  /** Runs a release named {@code trigger} and returns its event as JSON. */
  static String releaseAsJson(String trigger) throws JMException {
    return (String)
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("io.tombscope:type=Release"),
                "releaseAsJson",
                new Object[] {trigger},
                new String[] {String.class.getName()});
  }
}
