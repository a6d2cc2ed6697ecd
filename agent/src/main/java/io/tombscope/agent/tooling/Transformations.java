package io.tombscope.agent.tooling;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every family of maps the agent instruments: adding a family is adding its list here. Nothing in
 * these lists loads byte-buddy; {@link LazyInstrumentation} does that when a listed class loads.
 */
final class Transformations {
  private Transformations() {}

  /** The transformations to install for {@code options}, each family's preparation done. */
  static List<Transformation> registered(
      AgentOptions options, Instrumentation inst, Consumer<String> warn) {
    List<Transformation> all = new ArrayList<>(MapInstrumentation.transformations());
    all.addAll(TroveInstrumentation.transformations());
    all.addAll(EclipseInstrumentation.transformations());
    all.addAll(EclipseUnifiedInstrumentation.transformations());
    all.addAll(JctoolsInstrumentation.transformations());
    all.addAll(FastutilInstrumentation.transformations());
    if (options.jdk()
        && JdkInstrumentation.prepare(
            inst, options.jdkSample(), options.jdkGrowSlots(), options.app(), warn)) {
      all.addAll(JdkInstrumentation.transformations());
    }
    return all;
  }
}
