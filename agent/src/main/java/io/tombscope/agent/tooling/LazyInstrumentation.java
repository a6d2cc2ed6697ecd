package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;

import io.tombscope.agent.bootstrap.RecorderFields;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the registered {@link Transformation}s without paying for byte-buddy up front: a
 * transformer that only compares each loading class's name with a set, and byte-buddy's machinery
 * (over a thousand classes, most of a second of CPU) built the first time a name matches. The JDK's
 * maps are woven by a {@link JdkWeaver}, with ASM alone: a program that never loads a class of the
 * other families never loads byte-buddy.
 *
 * <p>Classes already loaded when the agent starts (the JDK's maps, or everything under a late
 * attach) are retransformed by {@link #retransformLoaded}, which the agent runs on a background
 * thread so that {@code main} does not wait for it. Until a class is retransformed its maps run
 * uninstrumented: a map constructed before then is simply not tracked, and its deletes find no
 * recorder, which every probe treats as a map to ignore.
 */
final class LazyInstrumentation implements ClassFileTransformer {
  private final List<Transformation> transformations;
  // Internal names (a/b/C), as the JVM passes them to transform.
  private final Set<String> internalNames;
  // Null when the JDK's maps are not instrumented.
  private final JdkWeaver jdk;
  private final Consumer<String> warn;
  private final Object lock = new Object();
  private volatile Transformers byteBuddy;
  private Thread building;
  private boolean failed;

  private LazyInstrumentation(
      List<Transformation> transformations, JdkWeaver jdk, Consumer<String> warn) {
    this.transformations = List.copyOf(transformations);
    this.jdk = jdk;
    List<String> names = new ArrayList<>();
    for (String name : Transformation.classNames(transformations)) {
      names.add(name.replace('.', '/'));
    }
    this.internalNames = Set.copyOf(names);
    this.warn = warn;
  }

  /**
   * Registers the name filter: from now on every listed class, and every class {@code jdk} weaves
   * (null: none), is instrumented as it loads. Those already loaded wait for {@link
   * #retransformLoaded}.
   */
  static LazyInstrumentation install(
      Instrumentation inst,
      List<Transformation> transformations,
      JdkWeaver jdk,
      Consumer<String> warn) {
    LazyInstrumentation lazy = new LazyInstrumentation(transformations, jdk, warn);
    inst.addTransformer(lazy, true);
    return lazy;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain domain,
      byte[] classfileBuffer) {
    if (className == null) {
      return null;
    }
    boolean woven = jdk != null && jdk.internalNames().contains(className);
    if (!woven && !internalNames.contains(className)) {
      return null;
    }
    try {
      if (woven) {
        return jdk.weave(className, classfileBuffer);
      }
      Transformers t = byteBuddy();
      if (t == null) {
        return null;
      }
      // A class may gain a field as it loads, and keep it when it is retransformed later; one
      // retransformed without it cannot gain one.
      boolean own = classBeingRedefined == null || RecorderFields.declaredBy(classBeingRedefined);
      return (own ? t.own() : t.without())
          .transform(module, loader, className, classBeingRedefined, domain, classfileBuffer);
    } catch (Throwable e) {
      warn.accept("could not instrument " + className.replace('/', '.') + ": " + e);
      return null;
    }
  }

  /**
   * Retransforms every listed class that is loaded now: the woven ones first, then the others once
   * byte-buddy is built (only if there are any).
   */
  void retransformLoaded(Instrumentation inst) {
    try {
      Class<?>[] loaded = inst.getAllLoadedClasses();
      if (loaded == null) {
        return; // the JVM is exiting (a program that ended before this background step ran)
      }
      List<Class<?>> woven = new ArrayList<>();
      List<Class<?>> advised = new ArrayList<>();
      for (Class<?> c : loaded) {
        String name = c.getName().replace('.', '/');
        if (jdk != null && jdk.internalNames().contains(name) && inst.isModifiableClass(c)) {
          woven.add(c);
        } else if (internalNames.contains(name)
            && inst.isModifiableClass(c)
            // One that gained the recorder's field as it loaded is instrumented already.
            && !RecorderFields.declaredBy(c)) {
          advised.add(c);
        }
      }
      retransform(inst, woven);
      if (!advised.isEmpty() && byteBuddy() != null) {
        retransform(inst, advised);
      }
    } catch (Throwable e) {
      warn.accept("could not instrument the classes already loaded: " + e);
    }
  }

  private void retransform(Instrumentation inst, List<Class<?>> classes) {
    for (Class<?> c : classes) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable e) {
        warn.accept("could not instrument " + c.getName() + ": " + e);
      }
    }
  }

  /**
   * byte-buddy's transformer, built once by whichever thread needs it first; null if building it
   * failed, or while this very thread is building it (a listed class loading meanwhile is left
   * alone rather than recursing).
   */
  private Transformers byteBuddy() {
    Transformers t = byteBuddy;
    if (t != null) {
      return t;
    }
    synchronized (lock) {
      if (byteBuddy != null || failed || building == Thread.currentThread()) {
        return byteBuddy;
      }
      building = Thread.currentThread();
      try {
        byteBuddy =
            new Transformers(
                Build.transformer(transformations, warn, true),
                Build.transformer(transformations, warn, false));
      } catch (Throwable e) {
        failed = true;
        warn.accept("maps are not instrumented: " + e);
      } finally {
        building = null;
      }
      return byteBuddy;
    }
  }

  /**
   * byte-buddy's transformers: for classes that may gain a field or a method ({@code own}: as they
   * load), and for those that may not ({@code without}: retransformed after loading without them).
   */
  private record Transformers(ClassFileTransformer own, ClassFileTransformer without) {}

  /**
   * byte-buddy's side, in a class of its own: verifying {@link LazyInstrumentation} as it loads at
   * start would otherwise load byte-buddy's builder types with it.
   */
  private static final class Build {
    private Build() {}

    static ClassFileTransformer transformer(
        List<Transformation> transformations, Consumer<String> warn, boolean own) {
      AgentBuilder agent =
          new AgentBuilder.Default()
              .disableClassFormatChanges()
              .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
              .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
              .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
              // The name filter above already chose the class; the JDK's own are wanted too.
              .ignore(none())
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
                  });
      if (transformations.isEmpty()) {
        return agent.makeRaw();
      }
      // One byte-buddy transformation for every class, its advice looked up by name: hundreds of
      // transformations, each with matchers of its own, would cost memory for as long as the JVM
      // runs. The first transformation listed for a name wins, as byte-buddy's own order had it.
      Map<String, Transformation> byName = new HashMap<>();
      for (Transformation t : transformations) {
        byName.putIfAbsent(t.className(), t);
      }
      return agent
          .type(namedOneOf(byName.keySet().toArray(new String[0])))
          .transform(
              (b, type, loader, module, domain) ->
                  byName.get(type.getName()).advice().apply(b, type, own))
          .makeRaw();
    }
  }
}
