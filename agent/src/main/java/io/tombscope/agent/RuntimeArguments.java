package io.tombscope.agent;

import java.util.List;
import java.util.function.Supplier;

/**
 * The JVM's input arguments, as {@code RuntimeMXBean.getInputArguments()} gives them (those of
 * {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS} included), read from the JDK's internal
 * {@code VM} instead: the MXBean would first build the platform's MBean provider machinery, which
 * costs every JVM the agent starts in tens of milliseconds and dozens of generated classes.
 *
 * <p>Loaded, as {@link BootDefiner} is, into the class loader of its own that {@code
 * jdk.internal.misc} is exported to. JDK types only.
 */
public final class RuntimeArguments implements Supplier<List<String>> {
  public RuntimeArguments() {}

  @Override
  public List<String> get() {
    try {
      return List.of(
          (String[])
              Class.forName("jdk.internal.misc.VM").getMethod("getRuntimeArguments").invoke(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read the JVM's input arguments: " + e, e);
    }
  }
}
