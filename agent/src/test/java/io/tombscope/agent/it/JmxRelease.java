package io.tombscope.agent.it;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** What a program under the agent calls to run a release through the agent's MBean. */
final class JmxRelease {
  private JmxRelease() {}

  /**
   * Runs a release named {@code trigger} and returns its event as JSON. The agent registers its
   * bean off the start-up path, so a program that asks at once may wait a moment for it.
   */
  static String releaseAsJson(String trigger) throws JMException, InterruptedException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("io.tombscope:type=Release");
    for (int i = 0; i < 200 && !server.isRegistered(name); i++) {
      Thread.sleep(50);
    }
    return (String)
        server.invoke(
            name, "releaseAsJson", new Object[] {trigger}, new String[] {String.class.getName()});
  }
}
