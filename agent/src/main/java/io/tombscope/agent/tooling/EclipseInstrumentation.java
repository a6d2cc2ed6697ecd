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
 * ObjectLongHashMap}, {@code ObjectLongHashMapWithHashingStrategy} …), the 9 with {@code boolean}
 * values ({@code IntBooleanHashMap}, {@code ObjectBooleanHashMap} …, with the key set and values
 * view of the primitive-keyed ones) and the 6 primitive sets with sentinels ({@code LongHashSet},
 * {@code IntHashSet} … with the iterator of each), matched by name in any class loader, never
 * linked at compile time. The classes are generated from templates and share no superclass, so each
 * is checked and advised on its own.
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
      all.add(new Transformation(name, new PrimitiveMap(!name.startsWith(PACKAGE + "Object"))));
    }
    for (String name : booleanClassNames()) {
      boolean primitiveKeys = !name.startsWith(PACKAGE + "Object");
      all.add(new Transformation(name, new BooleanValued(primitiveKeys)));
      if (primitiveKeys) {
        all.add(new Transformation(name + "$KeySet", new RetainingView()));
        all.add(new Transformation(name + "$ValuesCollection", new RetainingView()));
      }
    }
    for (String name : setClassNames()) {
      all.add(new Transformation(name, new PrimitiveSet()));
      all.add(new Transformation(iteratorOf(name), new SetIterator()));
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
   * The binary names of the maps with {@code boolean} values advised (9 in 11.1.0 and 13.0.0):
   * their values are a {@code BitSet} beside the table of keys.
   */
  static List<String> booleanClassNames() {
    List<String> names = new ArrayList<>();
    for (String k : PRIMITIVES) {
      names.add(PACKAGE + k + "BooleanHashMap");
    }
    names.add(PACKAGE + "ObjectBooleanHashMap");
    names.add(PACKAGE + "ObjectBooleanHashMapWithHashingStrategy");
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
    mapMethods(type, missing);
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

  /** The methods every primitive map's advice needs: its rehash, clear and insert. */
  private static void mapMethods(TypeDescription type, List<String> missing) {
    method(type, "rehash", missing, takesArguments(int.class).and(returns(void.class)));
    method(type, "clear", missing, takesArguments(0).and(returns(void.class)));
    method(
        type,
        "addKeyValueAtIndex",
        missing,
        takesArguments(3).and(takesArgument(2, int.class)).and(returns(void.class)));
  }

  /**
   * What is missing from a map with {@code boolean} values for the advice and the gauges, or null.
   * Its values are a {@code BitSet}; a primitive-keyed one removes inside {@code removeKey} and
   * {@code removeKeyIfAbsent}, with no {@code removeKeyAtIndex}; {@code ObjectBooleanHashMap} had
   * neither {@code trimToSize()} nor {@code compact()} before 12.0, and is recorded without them.
   */
  static String booleanLayoutProblem(TypeDescription type, boolean primitiveKeys) {
    List<String> missing = new ArrayList<>();
    field(type, "occupiedWithData", missing);
    field(type, "occupiedWithSentinels", missing);
    if (!"keys".equals(table(type))) {
      missing.add("array field keys");
    }
    boolean values =
        type.getDeclaredFields().filter(named("values")).stream()
            .anyMatch(
                (FieldDescription.InDefinedShape f) ->
                    !f.isStatic() && f.getType().asErasure().represents(java.util.BitSet.class));
    if (!values) {
      missing.add("BitSet field values");
    }
    mapMethods(type, missing);
    if (primitiveKeys) {
      method(type, "removeKey", missing, takesArguments(1).and(returns(void.class)));
    } else {
      method(type, "removeKeyAtIndex", missing, objectAtIndex());
    }
    method(type, "removeKeyIfAbsent", missing, takesArguments(2));
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

  /**
   * What is missing from the key set or values view of a primitive-keyed map with {@code boolean}
   * values, its map class included, or null: its {@code retainAll} swaps in a rebuilt table.
   */
  static String retainingViewProblem(TypeDescription view) {
    FieldDescription.InDefinedShape outer =
        view.getDeclaredFields().filter(named("this$0")).stream().findFirst().orElse(null);
    if (outer == null) {
      return "no field this$0";
    }
    if (!has(view, "retainAll", retainAllOfIterable())) {
      return "no method retainAll(iterable)";
    }
    TypeDescription map = outer.getType().asErasure();
    String problem = booleanLayoutProblem(map, true);
    return problem == null ? null : "its map class " + map.getName() + " has " + problem;
  }

  // retainAll(int...) calls retainAll(iterable): only the latter is advised.
  private static ElementMatcher.Junction<MethodDescription> retainAllOfIterable() {
    return takesArguments(1).and(not(takesArgument(0, isArray())));
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

  /** A primitive map, advised once its layout is checked. */
  private static final class PrimitiveMap extends Transformation.Checked {
    private final boolean primitiveKeys;

    PrimitiveMap(boolean primitiveKeys) {
      super(EclipseProbes.FAMILY);
      this.primitiveKeys = primitiveKeys;
    }

    @Override
    String problem(TypeDescription type) {
      return layoutProblem(type, primitiveKeys);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
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
                  removes.on(removesOn.and(not(isStatic()))),
                  removeKey.on(removeKeyOn.and(not(isStatic()))),
                  mapAdvice(advice, pairs)));
    }
  }

  /** What every primitive map gets but its removes: construction, inserts, rehashes, clears. */
  private static AsmVisitorWrapper mapAdvice(Advice.WithCustomMapping advice, boolean pairs) {
    return new AsmVisitorWrapper.Compound(
        Advice.to(EclipseAdvice.Created.class).on(isConstructor()),
        advice
            .to(EclipseAdvice.Insert.class)
            .on(named("addKeyValueAtIndex").and(takesArguments(3))),
        advice
            .to(EclipseAdvice.Compact.class)
            .on(named("trimToSize").or(named("compact")).and(takesArguments(0))),
        advice
            .to(pairs ? EclipseAdvice.RehashKeysValues.class : EclipseAdvice.RehashKeys.class)
            .on(named("rehash").and(takesArguments(int.class))),
        advice.to(EclipseAdvice.Clear.class).on(named("clear").and(takesArguments(0))));
  }

  /**
   * A map with {@code boolean} values, advised once its layout is checked: an object-keyed one as
   * its siblings, a primitive-keyed one at {@code removeKey} and {@code removeKeyIfAbsent}, where
   * its removes write {@code REMOVED_KEY}.
   */
  private static final class BooleanValued extends Transformation.Checked {
    private final boolean primitiveKeys;

    BooleanValued(boolean primitiveKeys) {
      super(EclipseProbes.FAMILY);
      this.primitiveKeys = primitiveKeys;
    }

    @Override
    String problem(TypeDescription type) {
      return booleanLayoutProblem(type, primitiveKeys);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      Advice.WithCustomMapping advice = RecorderField.advice(type, own);
      AsmVisitorWrapper removes =
          primitiveKeys
              ? advice
                  .to(EclipseAdvice.RemoveBooleanValuedKey.class)
                  .on(
                      named("removeKey")
                          .and(takesArguments(1))
                          .or(removeKeyIfAbsent())
                          .and(not(isStatic())))
              : advice
                  .to(EclipseAdvice.RemoveObjectKey.class)
                  .on(
                      named("removeKeyAtIndex")
                          .and(objectAtIndex())
                          .or(removeKeyIfAbsent())
                          .and(not(isStatic())));
      return RecorderField.define(builder, type, own)
          .visit(new AsmVisitorWrapper.Compound(removes, mapAdvice(advice, false)));
    }
  }

  /** A key set or values view that retains by swapping in a rebuilt table of its map. */
  private static final class RetainingView extends Transformation.Checked {
    RetainingView() {
      super(EclipseProbes.FAMILY);
    }

    @Override
    String problem(TypeDescription type) {
      return retainingViewProblem(type);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      return builder.visit(
          Advice.to(EclipseAdvice.ViewRetain.class)
              .on(named("retainAll").and(retainAllOfIterable())));
    }
  }

  /** A primitive set, advised once its layout is checked. */
  private static final class PrimitiveSet extends Transformation.Checked {
    PrimitiveSet() {
      super(EclipseProbes.FAMILY);
    }

    @Override
    String problem(TypeDescription type) {
      return setLayoutProblem(type);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
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
                  advice.to(EclipseAdvice.Clear.class).on(named("clear").and(takesArguments(0)))));
    }
  }

  /** A primitive set's iterator, advised once it and its set are checked. */
  private static final class SetIterator extends Transformation.Checked {
    SetIterator() {
      super(EclipseProbes.FAMILY);
    }

    @Override
    String problem(TypeDescription type) {
      return setIteratorProblem(type);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      return builder.visit(
          Advice.to(EclipseAdvice.SetIteratorRemove.class)
              .on(named("remove").and(takesArguments(0))));
    }
  }

  private static ElementMatcher.Junction<MethodDescription> removeKeyIfAbsent() {
    return named("removeKeyIfAbsent").and(takesArguments(2));
  }
}
