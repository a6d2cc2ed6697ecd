package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.EclipseProbes;
import io.tombscope.agent.recording.SkippedClasses;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Eclipse Collections' primitive hash maps ({@code org.eclipse.collections:eclipse-collections}
 * 11.x to 13.x): the 56 primitive-keyed maps ({@code LongObjectHashMap}, {@code IntIntHashMap} …)
 * and the 14 object-keyed ones ({@code ObjectLongHashMap}, {@code
 * ObjectLongHashMapWithHashingStrategy} …), matched by name in any class loader, never linked at
 * compile time. The classes are generated from templates and share no superclass, so each is
 * checked and advised on its own.
 *
 * <p>Each class is checked before it is advised: one without the fields and methods the advice uses
 * (another version, or a patched copy) is left as it is, and the recording names it and what it
 * lacks.
 */
final class EclipseInstrumentation {
  static final String PACKAGE = "org.eclipse.collections.impl.map.mutable.primitive.";

  private static final List<String> PRIMITIVES =
      List.of("Byte", "Char", "Short", "Int", "Long", "Float", "Double");

  private EclipseInstrumentation() {}

  /** Every primitive hash map of the library with sentinels. */
  static List<Transformation> transformations() {
    List<Transformation> all = new ArrayList<>();
    for (String name : classNames()) {
      all.add(new Transformation(name, new Checked(!name.startsWith(PACKAGE + "Object"))));
    }
    return all;
  }

  /** The binary names of the maps advised (70 in 11.1.0 and 13.0.0). */
  static List<String> classNames() {
    List<String> names = new ArrayList<>();
    for (String k : PRIMITIVES) {
      for (String v : PRIMITIVES) {
        names.add(PACKAGE + k + v + "HashMap");
      }
      names.add(PACKAGE + k + "ObjectHashMap");
    }
    for (String v : PRIMITIVES) {
      names.add(PACKAGE + "Object" + v + "HashMap");
      names.add(PACKAGE + "Object" + v + "HashMapWithHashingStrategy");
    }
    return names;
  }

  /**
   * What is missing from {@code type} for the advice, or null if it has all of it: the fields read
   * by advice and gauges, and the methods advised.
   */
  static String layoutProblem(TypeDescription type, boolean primitiveKeys) {
    List<String> missing = new ArrayList<>();
    field(type, "occupiedWithData", missing);
    field(type, "occupiedWithSentinels", missing);
    if (table(type) == null) {
      missing.add("array field keys or keysValues");
    }
    method(type, "rehash", missing, takesArguments(int.class).and(returns(void.class)));
    method(type, "clear", missing, takesArguments(0).and(returns(void.class)));
    method(
        type,
        "addKeyValueAtIndex",
        missing,
        takesArguments(3).and(takesArgument(2, int.class)).and(returns(void.class)));
    if (primitiveKeys) {
      method(type, "removeKeyAtIndex", missing, takesArguments(int.class));
      method(type, "removeKey", missing, takesArguments(1));
    } else {
      method(type, "removeKeyAtIndex", missing, objectAtIndex());
    }
    if (!has(type, "trimToSize", takesArguments(0)) && !has(type, "compact", takesArguments(0))) {
      missing.add("method trimToSize() or compact()");
    }
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  private static ElementMatcher.Junction<MethodDescription> objectAtIndex() {
    return takesArguments(2).and(takesArgument(0, Object.class)).and(takesArgument(1, int.class));
  }

  /** The table field's name: {@code keys}, or {@code keysValues} (keys and values interleaved). */
  private static String table(TypeDescription type) {
    for (String name : List.of("keys", "keysValues")) {
      boolean found =
          type.getDeclaredFields().filter(named(name)).stream()
              .anyMatch(
                  (FieldDescription.InDefinedShape f) -> !f.isStatic() && f.getType().isArray());
      if (found) {
        return name;
      }
    }
    return null;
  }

  private static void field(TypeDescription type, String name, List<String> missing) {
    boolean found =
        type.getDeclaredFields().filter(named(name)).stream()
            .anyMatch(
                (FieldDescription.InDefinedShape f) ->
                    !f.isStatic() && f.getType().asErasure().represents(int.class));
    if (!found) {
      missing.add("field int " + name);
    }
  }

  private static void method(
      TypeDescription type,
      String name,
      List<String> missing,
      ElementMatcher<? super MethodDescription> shape) {
    if (!has(type, name, shape)) {
      missing.add("method " + name + " of the expected parameters");
    }
  }

  private static boolean has(
      TypeDescription type, String name, ElementMatcher<? super MethodDescription> shape) {
    return !type.getDeclaredMethods().filter(named(name).and(not(isStatic())).and(shape)).isEmpty();
  }

  /** Advises a map class once its layout is checked; reports and skips it if not. */
  private record Checked(boolean primitiveKeys) implements Transformation.Advising {
    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
      throw new UnsupportedOperationException("the class must be checked first");
    }

    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type) {
      String problem;
      try {
        problem = layoutProblem(type, primitiveKeys);
      } catch (RuntimeException e) {
        problem = "its members cannot be read: " + e;
      }
      if (problem != null) {
        SkippedClasses.report(EclipseProbes.FAMILY, type.getName(), problem);
        return builder;
      }
      boolean pairs = "keysValues".equals(table(type));
      Advice removes =
          primitiveKeys
              ? Advice.to(EclipseAdvice.RemoveAtIndex.class)
              : Advice.to(EclipseAdvice.RemoveObjectKey.class);
      ElementMatcher.Junction<MethodDescription> removesOn =
          primitiveKeys
              ? named("removeKeyAtIndex").and(takesArguments(int.class))
              : named("removeKeyAtIndex").and(objectAtIndex());
      Advice removeKey =
          Advice.to(
              primitiveKeys
                  ? EclipseAdvice.RemovePrimitiveKey.class
                  : EclipseAdvice.RemoveObjectKey.class);
      ElementMatcher.Junction<MethodDescription> removeKeyOn =
          primitiveKeys
              ? named("removeKey").and(takesArguments(1)).or(removeKeyIfAbsent())
              : removeKeyIfAbsent();
      return builder.visit(
          new AsmVisitorWrapper.Compound(
              Advice.to(EclipseAdvice.Created.class).on(isConstructor()),
              removes.on(removesOn.and(not(isStatic()))),
              removeKey.on(removeKeyOn.and(not(isStatic()))),
              Advice.to(EclipseAdvice.Insert.class)
                  .on(named("addKeyValueAtIndex").and(takesArguments(3))),
              Advice.to(EclipseAdvice.Compact.class)
                  .on(named("trimToSize").or(named("compact")).and(takesArguments(0))),
              Advice.to(
                      pairs ? EclipseAdvice.RehashKeysValues.class : EclipseAdvice.RehashKeys.class)
                  .on(named("rehash").and(takesArguments(int.class))),
              Advice.to(EclipseAdvice.Clear.class).on(named("clear").and(takesArguments(0)))));
    }
  }

  private static ElementMatcher.Junction<MethodDescription> removeKeyIfAbsent() {
    return named("removeKeyIfAbsent").and(takesArguments(2));
  }
}
