package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the advice on {@code io.tombscope.map.BucketHashMap}, matched by name in whatever class
 * loader loads it (never linked at compile time), and on copies already loaded when the agent is
 * attached late.
 */
final class MapInstrumentation {
  static final String MAP_CLASS = "io.tombscope.map.BucketHashMap";

  private MapInstrumentation() {}

  static void install(Instrumentation inst, Consumer<String> warn) {
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .with(
            new AgentBuilder.Listener.Adapter() {
              @Override
              public void onError(
                  String typeName,
                  ClassLoader loader,
                  JavaModule module,
                  boolean loaded,
                  Throwable error) {
                warn.accept("could not instrument " + typeName + ": " + error);
              }
            })
        .type(named(MAP_CLASS))
        .transform(
            (builder, type, loader, module, domain) ->
                builder
                    .visit(Advice.to(MapAdvice.Created.class).on(isConstructor()))
                    .visit(Advice.to(MapAdvice.DeleteStart.class).on(named("observeDeleteStart")))
                    .visit(Advice.to(MapAdvice.Delete.class).on(named("observeDelete")))
                    .visit(
                        Advice.to(MapAdvice.TombstoneReused.class)
                            .on(named("observeTombstoneReused")))
                    .visit(Advice.to(MapAdvice.GrowStart.class).on(named("observeGrowStart")))
                    .visit(
                        Advice.to(MapAdvice.EvacuateStart.class).on(named("observeEvacuateStart")))
                    .visit(Advice.to(MapAdvice.Evacuate.class).on(named("observeEvacuate")))
                    .visit(Advice.to(MapAdvice.GrowEnd.class).on(named("observeGrowEnd")))
                    .visit(Advice.to(MapAdvice.Trim.class).on(named("observeTrim")))
                    .visit(Advice.to(MapAdvice.Clear.class).on(named("observeClear")))
                    .visit(
                        Advice.to(MapAdvice.CompactionFailed.class)
                            .on(named("observeCompactionFailed")))
                    .visit(Advice.to(MapAdvice.Write.class).on(named("observeWrite"))))
        .installOn(inst);
  }
}
