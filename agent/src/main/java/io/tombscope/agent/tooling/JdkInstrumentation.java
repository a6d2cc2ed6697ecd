package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.AppCode;
import io.tombscope.agent.bootstrap.JdkGauges;
import io.tombscope.agent.bootstrap.JdkProbes;
import io.tombscope.agent.bootstrap.TrackedMaps;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.utility.JavaModule;

/**
 * Retransforms the JDK's map classes, already loaded by the time the agent starts, with {@link
 * JdkMapAdvice}. Only methods that stay small after advice, or that are too big to be inlined
 * anyway, are advised; the hot lookup paths ({@code get}, {@code put}) are never touched.
 */
final class JdkInstrumentation {
  // Map itself, for the default remove(key, value) that some of the maps below inherit.
  static final String MAP = "java.util.Map";
  static final String HASH_MAP = "java.util.HashMap";
  static final String LINKED_HASH_MAP = "java.util.LinkedHashMap";
  static final String CONCURRENT_HASH_MAP = "java.util.concurrent.ConcurrentHashMap";
  static final String WEAK_HASH_MAP = "java.util.WeakHashMap";
  static final String IDENTITY_HASH_MAP = "java.util.IdentityHashMap";
  static final String IDENTITY_ITERATOR = "java.util.IdentityHashMap$IdentityHashMapIterator";
  static final String THREAD_LOCAL_MAP = "java.lang.ThreadLocal$ThreadLocalMap";

  private JdkInstrumentation() {}

  /** Opens what the probes need and installs the advice; false (with a warning) if it cannot. */
  static boolean install(
      Instrumentation inst, int trackedOneIn, int growSlots, String app, Consumer<String> warn) {
    try {
      // The advised JDK classes call the probes in the boot loader's unnamed module, which
      // java.base does not read by default; the gauges read private fields of java.util and
      // java.lang. Both are granted to that module only, never to the application's class path.
      Module probes = JdkProbes.class.getModule();
      Module base = Object.class.getModule();
      inst.redefineModule(
          base,
          Set.of(probes),
          Map.of(),
          Map.of(
              "java.util", Set.of(probes),
              "java.util.concurrent", Set.of(probes),
              "java.lang", Set.of(probes)),
          Set.of(),
          Map.of());
      JdkGauges.init();
      JdkProbes.configure(trackedOneIn, growSlots);
      AppCode.configure(app, System.getProperty("sun.java.command"));
      // Loaded and initialized now, not from inside a map operation of the class being advised.
      TrackedMaps.recorderOf(new Object());
      // Loaded before the transformation starts, so it is retransformed with the rest: loaded
      // while IdentityHashMap itself is being transformed, it would be skipped.
      Class.forName(IDENTITY_ITERATOR);
    } catch (Throwable t) {
      warn.accept("JDK maps are not recorded: " + t);
      return false;
    }
    new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        .ignore(
            not(
                namedOneOf(
                    MAP,
                    HASH_MAP,
                    LINKED_HASH_MAP,
                    CONCURRENT_HASH_MAP,
                    WEAK_HASH_MAP,
                    IDENTITY_HASH_MAP,
                    IDENTITY_ITERATOR,
                    THREAD_LOCAL_MAP)))
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
        .type(named(MAP))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    advice(JdkMapAdvice.DefaultRemoveKeyValue.class)
                        .on(named("remove").and(takesArguments(2)))))
        .type(named(HASH_MAP))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.NodeRemoved.class).on(named("afterNodeRemoval")),
                        advice(JdkMapAdvice.RemoveKey.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.RemoveKeyValue.class)
                            .on(named("remove").and(takesArguments(2))),
                        advice(JdkMapAdvice.Resize.class)
                            .on(named("resize").and(takesArguments(0))),
                        advice(JdkMapAdvice.Clear.class).on(named("clear")))))
        .type(named(LINKED_HASH_MAP))
        .transform(
            // LinkedHashMap overrides afterNodeRemoval without calling HashMap's.
            (builder, type, loader, module, domain) ->
                builder.visit(advice(JdkMapAdvice.NodeRemoved.class).on(named("afterNodeRemoval"))))
        .type(named(CONCURRENT_HASH_MAP))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.AddCount.class).on(named("addCount")),
                        advice(JdkMapAdvice.ConcurrentRemoveKey.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.ConcurrentRemoveKeyValue.class)
                            .on(named("remove").and(takesArguments(2))),
                        advice(JdkMapAdvice.Transfer.class).on(named("transfer")))))
        .type(named(WEAK_HASH_MAP))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.WeakRemove.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.Expunge.class).on(named("expungeStaleEntries")),
                        advice(JdkMapAdvice.ResizeTo.class).on(named("resize")),
                        advice(JdkMapAdvice.Clear.class).on(named("clear")))))
        .type(named(IDENTITY_HASH_MAP))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.SizeRemove.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.BooleanRemove.class).on(named("removeMapping")),
                        advice(JdkMapAdvice.ResizeTo.class).on(named("resize")),
                        advice(JdkMapAdvice.Clear.class).on(named("clear")))))
        .type(named(IDENTITY_ITERATOR))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    advice(JdkMapAdvice.IdentityIteratorRemove.class)
                        .on(named("remove").and(takesArguments(0)))))
        .type(named(THREAD_LOCAL_MAP))
        .transform(
            (builder, type, loader, module, domain) ->
                builder.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.ThreadLocalRemove.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.Expunge.class).on(named("expungeStaleEntry")),
                        advice(JdkMapAdvice.ResizeTo.class).on(named("resize")))))
        .installOn(inst);
    return true;
  }

  private static Advice advice(Class<?> adviceClass) {
    return Advice.to(adviceClass);
  }
}
