package io.tombscope.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Defines the probe classes in the boot loader through the JDK's internal {@code Unsafe}, so that
 * every class loader reaches them without appending a jar to the boot class path (which prints a
 * warning and turns class data sharing off for the application's classes).
 *
 * <p>{@link TombscopeAgent} loads this class alone into a class loader of its own and exports
 * {@code jdk.internal.misc} to that loader's unnamed module only: the application's class path
 * gains no access to the JDK's internals. JDK types only.
 */
public final class BootDefiner implements Consumer<Map<String, byte[]>> {
  public BootDefiner() {}

  /** Defines every class of {@code classes} (binary name to class file) in the boot loader. */
  @Override
  public void accept(Map<String, byte[]> classes) {
    try {
      Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
      Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
      Method define =
          unsafeClass.getMethod(
              "defineClass",
              String.class,
              byte[].class,
              int.class,
              int.class,
              ClassLoader.class,
              ProtectionDomain.class);
      // A class can only be defined once its superclass and interfaces are: retry those whose
      // supertypes were not defined yet until a round defines nothing more.
      List<String> pending = new ArrayList<>(classes.keySet());
      while (!pending.isEmpty()) {
        List<String> later = new ArrayList<>();
        Throwable last = null;
        for (String name : pending) {
          byte[] bytes = classes.get(name);
          try {
            define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
          } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof NoClassDefFoundError)) {
              throw e;
            }
            later.add(name);
            last = e.getCause();
          }
        }
        if (later.size() == pending.size()) {
          throw new IllegalStateException("cannot define " + later + ": " + last);
        }
        pending = later;
      }
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot define the probes: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot define the probes: " + e, e);
    }
  }
}
