package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.AppCode;
import io.tombscope.agent.bootstrap.JdkGauges;
import io.tombscope.agent.bootstrap.JdkProbes;
import io.tombscope.agent.bootstrap.TrackedMaps;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * The JDK's map classes, already loaded by the time the agent starts and so retransformed, with
 * {@link JdkMapAdvice}. Only methods that stay small after advice, or that are too big to be
 * inlined anyway, are advised; the hot lookup paths ({@code get}, {@code put}) are never touched.
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

  /**
   * Opens what the probes need and readies them; false (with a warning) if it cannot, and then the
   * JDK's maps are left alone.
   */
  static boolean prepare(
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
      // Loaded now, so that it is retransformed with the others rather than transformed while it
      // loads from inside an IdentityHashMap operation.
      Class.forName(IDENTITY_ITERATOR);
      return true;
    } catch (Throwable t) {
      warn.accept("JDK maps are not recorded: " + t);
      return false;
    }
  }

  /** One transformation per advised class; all are loaded before the agent starts. */
  static List<Transformation> transformations() {
    return List.of(
        new Transformation(
            MAP,
            b ->
                b.visit(
                    advice(JdkMapAdvice.DefaultRemoveKeyValue.class)
                        .on(named("remove").and(takesArguments(2))))),
        new Transformation(
            HASH_MAP,
            b ->
                b.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.NodeRemoved.class).on(named("afterNodeRemoval")),
                        advice(JdkMapAdvice.RemoveKey.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.RemoveKeyValue.class)
                            .on(named("remove").and(takesArguments(2))),
                        advice(JdkMapAdvice.Resize.class)
                            .on(named("resize").and(takesArguments(0))),
                        advice(JdkMapAdvice.Clear.class).on(named("clear"))))),
        new Transformation(
            LINKED_HASH_MAP,
            // LinkedHashMap overrides afterNodeRemoval without calling HashMap's.
            b -> b.visit(advice(JdkMapAdvice.NodeRemoved.class).on(named("afterNodeRemoval")))),
        new Transformation(
            CONCURRENT_HASH_MAP,
            b ->
                b.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.AddCount.class).on(named("addCount")),
                        advice(JdkMapAdvice.ConcurrentRemoveKey.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.ConcurrentRemoveKeyValue.class)
                            .on(named("remove").and(takesArguments(2))),
                        advice(JdkMapAdvice.Transfer.class).on(named("transfer"))))),
        new Transformation(
            WEAK_HASH_MAP,
            b ->
                b.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.WeakRemove.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.Expunge.class).on(named("expungeStaleEntries")),
                        advice(JdkMapAdvice.ResizeTo.class).on(named("resize")),
                        advice(JdkMapAdvice.Clear.class).on(named("clear"))))),
        new Transformation(
            IDENTITY_HASH_MAP,
            b ->
                b.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.SizeRemove.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.BooleanRemove.class).on(named("removeMapping")),
                        advice(JdkMapAdvice.ResizeTo.class).on(named("resize")),
                        advice(JdkMapAdvice.Clear.class).on(named("clear"))))),
        new Transformation(
            IDENTITY_ITERATOR,
            b ->
                b.visit(
                    advice(JdkMapAdvice.IdentityIteratorRemove.class)
                        .on(named("remove").and(takesArguments(0))))),
        new Transformation(
            THREAD_LOCAL_MAP,
            b ->
                b.visit(
                    new AsmVisitorWrapper.Compound(
                        advice(JdkMapAdvice.Created.class).on(isConstructor()),
                        advice(JdkMapAdvice.ThreadLocalRemove.class)
                            .on(named("remove").and(takesArguments(1))),
                        advice(JdkMapAdvice.Expunge.class).on(named("expungeStaleEntry")),
                        advice(JdkMapAdvice.ResizeTo.class).on(named("resize"))))));
  }

  private static Advice advice(Class<?> adviceClass) {
    return Advice.to(adviceClass);
  }
}
