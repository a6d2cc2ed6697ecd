package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isArray;
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
 * Eclipse Collections' primitive hash maps and sets ({@code
 * org.eclipse.collections:eclipse-collections} 11.x to 13.x): the 56 primitive-keyed maps ({@code
 * LongObjectHashMap}, {@code IntIntHashMap} …), the 14 object-keyed ones ({@code
 * ObjectLongHashMap}, {@code ObjectLongHashMapWithHashingStrategy} …) and the 6 primitive sets with
 * sentinels ({@code LongHashSet}, {@code IntHashSet} … with the iterator of each), matched by name
 * in any class loader, never linked at compile time. The classes are generated from templates and
 * share no superclass, so each is checked and advised on its own.
 *
 * <p>Each class is checked before it is advised: one without the fields and methods the advice uses
 * (another version, or a patched copy) is left as it is, and so is a set's iterator when its set
 * is; the recording names each class skipped and what it lacks.
 */
final class EclipseInstrumentation {
  static final String PACKAGE = "org.eclipse.collections.impl.map.mutable.primitive.";
  static final String SET_PACKAGE = "org.eclipse.collections.impl.set.mutable.primitive.";

  // ByteHashSet and BooleanHashSet are bit sets: no table, no sentinels.
  private static final List<String> SET_ELEMENTS =
      List.of("Short", "Char", "Int", "Long", "Float", "Double");

  private static final List<String> PRIMITIVES =
      List.of("Byte", "Char", "Short", "Int", "Long", "Float", "Double");

  private EclipseInstrumentation() {}

  /** Every primitive hash map and set of the library with sentinels, and each set's iterator. */
  static List<Transformation> transformations() {
    List<Transformation> all = new ArrayList<>();
    for (String name : classNames()) {
      all.add(new Transformation(name, new Checked(!name.startsWith(PACKAGE + "Object"))));
    }
    for (String name : setClassNames()) {
      all.add(new Transformation(name, checkedSet()));
      all.add(new Transformation(iteratorOf(name), checkedSetIterator()));
    }
    return all;
  }

  /** The binary names of the primitive sets advised (6 in 11.1.0 and 13.0.0). */
  static List<String> setClassNames() {
    List<String> names = new ArrayList<>();
    for (String e : SET_ELEMENTS) {
      names.add(SET_PACKAGE + e + "HashSet");
    }
    return names;
  }

  /** The mutable iterator of a primitive set ({@code LongHashSet$InternalLongIterator}). */
  static String iteratorOf(String setName) {
    String simple = setName.substring(SET_PACKAGE.length(), setName.length() - "HashSet".length());
    return setName + "$Internal" + simple + "Iterator";
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

  /**
   * What is missing from a primitive set for the advice and the gauges, or null: the set's remove
   * writes {@code REMOVED} itself, so its own {@code remove(value)} and {@code add(value)} are
   * advised.
   */
  static String setLayoutProblem(TypeDescription type) {
    List<String> missing = new ArrayList<>();
    field(type, "occupiedWithData", missing);
    field(type, "occupiedWithSentinels", missing);
    boolean table =
        type.getDeclaredFields().filter(named("table")).stream()
            .anyMatch(
                (FieldDescription.InDefinedShape f) -> !f.isStatic() && f.getType().isArray());
    if (!table) {
      missing.add("array field table");
    }
    method(type, "rehash", missing, takesArguments(int.class).and(returns(void.class)));
    method(type, "clear", missing, takesArguments(0).and(returns(void.class)));
    method(type, "add", missing, takesArguments(1).and(returns(boolean.class)));
    method(type, "remove", missing, takesArguments(1).and(returns(boolean.class)));
    if (!has(type, "trimToSize", takesArguments(0)) && !has(type, "compact", takesArguments(0))) {
      missing.add("method trimToSize() or compact()");
    }
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  /** What is missing from a set's iterator, its set class included, or null. */
  static String setIteratorProblem(TypeDescription iterator) {
    FieldDescription.InDefinedShape outer =
        iterator.getDeclaredFields().filter(named("this$0")).stream().findFirst().orElse(null);
    if (outer == null) {
      return "no field this$0";
    }
    if (!has(iterator, "remove", takesArguments(0).and(returns(void.class)))) {
      return "no method remove()";
    }
    TypeDescription set = outer.getType().asErasure();
    String problem = setLayoutProblem(set);
    return problem == null ? null : "its set class " + set.getName() + " has " + problem;
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
    public DynamicType.Builder<?> apply(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
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
      Advice.WithCustomMapping advice = RecorderField.advice(type, own);
      Advice removes =
          primitiveKeys
              ? advice.to(EclipseAdvice.RemoveAtIndex.class)
              : advice.to(EclipseAdvice.RemoveObjectKey.class);
      ElementMatcher.Junction<MethodDescription> removesOn =
          primitiveKeys
              ? named("removeKeyAtIndex").and(takesArguments(int.class))
              : named("removeKeyAtIndex").and(objectAtIndex());
      Advice removeKey =
          advice.to(
              primitiveKeys
                  ? EclipseAdvice.RemovePrimitiveKey.class
                  : EclipseAdvice.RemoveObjectKey.class);
      ElementMatcher.Junction<MethodDescription> removeKeyOn =
          primitiveKeys
              ? named("removeKey").and(takesArguments(1)).or(removeKeyIfAbsent())
              : removeKeyIfAbsent();
      return RecorderField.define(builder, type, own)
          .visit(
              new AsmVisitorWrapper.Compound(
                  Advice.to(EclipseAdvice.Created.class).on(isConstructor()),
                  removes.on(removesOn.and(not(isStatic()))),
                  removeKey.on(removeKeyOn.and(not(isStatic()))),
                  advice
                      .to(EclipseAdvice.Insert.class)
                      .on(named("addKeyValueAtIndex").and(takesArguments(3))),
                  advice
                      .to(EclipseAdvice.Compact.class)
                      .on(named("trimToSize").or(named("compact")).and(takesArguments(0))),
                  advice
                      .to(
                          pairs
                              ? EclipseAdvice.RehashKeysValues.class
                              : EclipseAdvice.RehashKeys.class)
                      .on(named("rehash").and(takesArguments(int.class))),
                  advice.to(EclipseAdvice.Clear.class).on(named("clear").and(takesArguments(0)))));
    }
  }

  /** A primitive set, advised once its layout is checked. */
  private static Transformation.Advising checkedSet() {
    return Transformation.checked(
        EclipseProbes.FAMILY,
        EclipseInstrumentation::setLayoutProblem,
        (builder, type, own) -> {
          Advice.WithCustomMapping advice = RecorderField.advice(type, own);
          return RecorderField.define(builder, type, own)
              .visit(
                  new AsmVisitorWrapper.Compound(
                      Advice.to(EclipseAdvice.SetCreated.class).on(isConstructor()),
                      advice
                          .to(EclipseAdvice.SetRemove.class)
                          .on(named("remove").and(takesArguments(1)).and(returns(boolean.class))),
                      advice
                          .to(EclipseAdvice.Insert.class)
                          .on(named("add").and(takesArguments(1)).and(returns(boolean.class))),
                      advice
                          .to(EclipseAdvice.SetRetain.class)
                          .on(
                              named("retainAll")
                                  .and(takesArguments(1))
                                  .and(not(takesArgument(0, isArray())))),
                      advice
                          .to(EclipseAdvice.Compact.class)
                          .on(named("trimToSize").or(named("compact")).and(takesArguments(0))),
                      advice
                          .to(EclipseAdvice.RehashTable.class)
                          .on(named("rehash").and(takesArguments(int.class))),
                      advice
                          .to(EclipseAdvice.Clear.class)
                          .on(named("clear").and(takesArguments(0)))));
        });
  }

  /** A primitive set's iterator, advised once it and its set are checked. */
  private static Transformation.Advising checkedSetIterator() {
    return Transformation.checked(
        EclipseProbes.FAMILY,
        EclipseInstrumentation::setIteratorProblem,
        (builder, type, own) ->
            builder.visit(
                Advice.to(EclipseAdvice.SetIteratorRemove.class)
                    .on(named("remove").and(takesArguments(0)))));
  }

  private static ElementMatcher.Junction<MethodDescription> removeKeyIfAbsent() {
    return named("removeKeyIfAbsent").and(takesArguments(2));
  }
}
