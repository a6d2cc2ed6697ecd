package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.nameMatches;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.FastutilProbes;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;

/**
 * fastutil's open hash maps and sets ({@code it.unimi.dsi:fastutil} 8.x): every {@code
 * <K>2<V>OpenHashMap}, {@code <K>2<V>LinkedOpenHashMap} and {@code <K>2<V>OpenCustomHashMap} (and
 * {@code Object2<V>LinkedOpenCustomHashMap}), 280 classes generated from one template, with no
 * common superclass, and each one's {@code MapIterator}; every {@code <K>OpenHashSet}, {@code
 * <K>LinkedOpenHashSet}, {@code <K>OpenCustomHashSet} and {@code <K>LinkedOpenCustomHashSet}, 35
 * classes from the sets' template, which has the same fields, removals and resizes, and each one's
 * {@code SetIterator}. Matched by name in any class loader, never linked at compile time.
 *
 * <p>Each class is checked before it is advised: one without the fields and methods the advice uses
 * (another version, or a patched copy) is left as it is, and so is its iterator; the recording
 * names each class skipped and why.
 */
final class FastutilInstrumentation {
  private static final String ROOT = "it.unimi.dsi.fastutil.";
  private static final String ITERATOR = "$MapIterator";
  private static final String SET_ITERATOR = "$SetIterator";
  private static final List<String> KEYS =
      List.of("Byte", "Short", "Int", "Long", "Char", "Float", "Double", "Object", "Reference");
  private static final List<String> VALUES =
      List.of(
          "Boolean",
          "Byte",
          "Short",
          "Int",
          "Long",
          "Char",
          "Float",
          "Double",
          "Object",
          "Reference");
  private static final String PRIMITIVE_SUFFIX = "(Boolean|Byte|Short|Int|Long|Char|Float|Double)?";

  private FastutilInstrumentation() {}

  /** Every open hash map and set class of fastutil 8.x, and its iterator. */
  static List<Transformation> transformations() {
    List<Transformation> all = new ArrayList<>();
    for (String name : mapClassNames()) {
      all.add(new Transformation(name, new Checked(false)));
      all.add(new Transformation(name + ITERATOR, new Checked(true)));
    }
    for (String name : setClassNames()) {
      all.add(new Transformation(name, new Checked(false)));
      all.add(new Transformation(name + SET_ITERATOR, new Checked(true)));
    }
    return all;
  }

  /** The binary names of the open hash sets in fastutil 8.5 (35). */
  static List<String> setClassNames() {
    List<String> names = new ArrayList<>();
    names.add(ROOT + "booleans.BooleanOpenHashSet");
    for (String k : KEYS) {
      String pkg =
          ROOT + (k.equals("Reference") ? "objects" : k.toLowerCase(java.util.Locale.ROOT) + "s");
      String prefix = pkg + "." + k;
      names.add(prefix + "OpenHashSet");
      names.add(prefix + "LinkedOpenHashSet");
      if (!k.equals("Reference")) {
        names.add(prefix + "OpenCustomHashSet");
        names.add(prefix + "LinkedOpenCustomHashSet");
      }
    }
    return names;
  }

  /** The binary names of the open hash maps in fastutil 8.5 (280). */
  static List<String> mapClassNames() {
    List<String> names = new ArrayList<>();
    for (String k : KEYS) {
      String pkg =
          ROOT + (k.equals("Reference") ? "objects" : k.toLowerCase(java.util.Locale.ROOT) + "s");
      for (String v : VALUES) {
        String prefix = pkg + "." + k + "2" + v;
        names.add(prefix + "OpenHashMap");
        names.add(prefix + "LinkedOpenHashMap");
        names.add(prefix + "OpenCustomHashMap");
        if (k.equals("Object")) {
          names.add(prefix + "LinkedOpenCustomHashMap");
        }
      }
    }
    return names;
  }

  /**
   * What is missing from a map class for the advice and the gauges, or null if it has all of it.
   */
  static String layoutProblem(TypeDescription map) {
    List<String> missing = new ArrayList<>();
    TroveInstrumentation.field(map, "size", int.class, missing);
    TroveInstrumentation.field(map, "n", int.class, missing);
    TroveInstrumentation.field(map, "maxFill", int.class, missing);
    TroveInstrumentation.field(map, "f", float.class, missing);
    TroveInstrumentation.method(map, "rehash", void.class, missing, int.class);
    TroveInstrumentation.method(map, "trim", boolean.class, missing);
    TroveInstrumentation.method(map, "trim", boolean.class, missing, int.class);
    TroveInstrumentation.method(map, "clear", void.class, missing);
    anyMethod(map, "removeEntry", missing, int.class);
    anyMethod(map, "removeNullEntry", missing);
    if (map.getDeclaredMethods().filter(removeKey()).isEmpty()) {
      missing.add("method remove(key)");
    }
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  private static void anyMethod(
      TypeDescription type, String name, List<String> missing, Class<?>... parameters) {
    if (type.getDeclaredMethods()
        .filter(named(name).and(takesArguments(parameters)).and(not(isAbstract())))
        .isEmpty()) {
      missing.add("method " + name + (parameters.length == 0 ? "()" : "(int)"));
    }
  }

  /** What is missing from a map's or set's iterator, its map class included, or null. */
  static String iteratorProblem(TypeDescription iterator) {
    FieldDescription.InDefinedShape outer =
        iterator.getDeclaredFields().filter(named("this$0")).stream().findFirst().orElse(null);
    if (outer == null) {
      return "no field this$0";
    }
    List<String> missing = new ArrayList<>();
    TroveInstrumentation.method(iterator, "remove", void.class, missing);
    if (!missing.isEmpty()) {
      return "no " + missing.get(0);
    }
    TypeDescription map = outer.getType().asErasure();
    String problem = layoutProblem(map);
    return problem == null ? null : "its map class " + map.getName() + " has " + problem;
  }

  private static net.bytebuddy.matcher.ElementMatcher.Junction<MethodDescription> removeKey() {
    return nameMatches("remove" + PRIMITIVE_SUFFIX)
        .and(takesArguments(1))
        .and(not(isBridge()))
        .and(not(isAbstract()));
  }

  /** Advises a map class or an iterator once its layout is checked; reports and skips it if not. */
  private static final class Checked extends Transformation.Checked {
    private final boolean isIterator;

    Checked(boolean isIterator) {
      super(FastutilProbes.FAMILY);
      this.isIterator = isIterator;
    }

    @Override
    String problem(TypeDescription type) {
      return isIterator ? iteratorProblem(type) : layoutProblem(type);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      return isIterator
          ? adviseIterator(builder)
          : adviseMap(RecorderField.define(builder, type, own), RecorderField.advice(type, own));
    }
  }

  private static DynamicType.Builder<?> adviseMap(
      DynamicType.Builder<?> builder, Advice.WithCustomMapping advice) {
    return builder.visit(
        new AsmVisitorWrapper.Compound(
            Advice.to(FastutilAdvice.Created.class).on(isConstructor()),
            Advice.to(FastutilAdvice.Cloned.class)
                .on(named("clone").and(takesArguments(0)).and(not(isBridge()))),
            advice
                .to(FastutilAdvice.RemoveEntry.class)
                .on(
                    named("removeEntry")
                        .and(takesArguments(int.class))
                        .or(named("removeNullEntry").and(takesArguments(0)))),
            advice
                .to(FastutilAdvice.RemoveEnd.class)
                .on(nameMatches("remove(First|Last)" + PRIMITIVE_SUFFIX).and(takesArguments(0))),
            advice.to(FastutilAdvice.RemoveKey.class).on(removeKey()),
            advice
                .to(FastutilAdvice.Put.class)
                .on(
                    named("put")
                        .and(takesArguments(2))
                        .or(named("add").and(takesArguments(1)))
                        .and(not(isBridge()))),
            advice
                .to(FastutilAdvice.Rehash.class)
                .on(named("rehash").and(takesArguments(int.class))),
            advice.to(FastutilAdvice.Trim.class).on(named("trim").and(takesArguments(int.class))),
            advice.to(FastutilAdvice.Clear.class).on(named("clear").and(takesArguments(0)))));
  }

  private static DynamicType.Builder<?> adviseIterator(DynamicType.Builder<?> builder) {
    return builder.visit(
        Advice.to(FastutilAdvice.IteratorRemove.class)
            .on(named("remove").and(takesArguments(0)).and(not(isAbstract()))));
  }
}
