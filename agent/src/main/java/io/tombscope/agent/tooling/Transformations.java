package io.tombscope.agent.tooling;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every family of maps the agent instruments: adding a family is adding its list here. Nothing in
 * these lists loads byte-buddy; {@link LazyInstrumentation} does that when a listed class loads.
 * The JDK's maps are woven with ASM alone ({@link #jdk}).
 */
final class Transformations {
  private Transformations() {}

  /** The transformations to install, one list per family of maps other than the JDK's. */
  static List<Transformation> registered() {
    List<Transformation> all = new ArrayList<>(MapInstrumentation.transformations());
    all.addAll(TroveInstrumentation.transformations());
    all.addAll(EclipseInstrumentation.transformations());
    all.addAll(JctoolsInstrumentation.transformations());
    all.addAll(FastutilInstrumentation.transformations());
    return all;
  }

  /**
   * The weaver of the JDK's maps, their probes made ready; null with {@code jdk=false} or if they
   * cannot be (then with a warning).
   */
  static JdkWeaver jdk(AgentOptions options, Instrumentation inst, Consumer<String> warn) {
    if (!options.jdk()
        || !JdkInstrumentation.prepare(
            inst, options.jdkSample(), options.jdkGrowSlots(), options.app(), warn)) {
      return null;
    }
    return new JdkWeaver(JdkInstrumentation.hooks());
  }
}
