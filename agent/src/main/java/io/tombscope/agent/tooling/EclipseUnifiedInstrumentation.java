package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.EclipseProbes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Eclipse Collections' {@code UnifiedMap} and {@code UnifiedSet} ({@code
 * org.eclipse.collections:eclipse-collections} 11.x to 13.x), their siblings that hash through a
 * {@code HashingStrategy} ({@code UnifiedMapWithHashingStrategy}, {@code
 * UnifiedSetWithHashingStrategy}, the same table and code in classes of their own), with the
 * iterators and views that remove from them by their own code, matched by name in any class loader,
 * never linked at compile time. They chain colliding entries inside the table: no tombstones, and a
 * table that only {@code trimToSize()} makes smaller.
 *
 * <p>Each class is checked before it is advised: one without the fields and methods the advice uses
 * (another version, or a patched copy) is left as it is, and so is an iterator or view when its map
 * is; the recording names each class skipped and what it lacks.
 */
final class EclipseUnifiedInstrumentation {
  static final String MAP = "org.eclipse.collections.impl.map.mutable.UnifiedMap";
  static final String SET = "org.eclipse.collections.impl.set.mutable.UnifiedSet";
  static final String STRATEGY_MAP =
      "org.eclipse.collections.impl.map.strategy.mutable.UnifiedMapWithHashingStrategy";
  static final String STRATEGY_SET =
      "org.eclipse.collections.impl.set.strategy.mutable.UnifiedSetWithHashingStrategy";

  private EclipseUnifiedInstrumentation() {}

  /** The maps, the sets, and the iterators and views that remove without their remove. */
  static List<Transformation> transformations() {
    List<Transformation> all = new ArrayList<>();
    for (String map : new String[] {MAP, STRATEGY_MAP}) {
      all.add(new Transformation(map, new Owner(true)));
      all.add(
          new Transformation(
              map + "$PositionalIterator", new Nested(true, List.of(some("remove", 0)))));
      all.add(
          new Transformation(
              map + "$EntrySet",
              new Nested(true, List.of(one("remove", 1), some("retainAll", 1)))));
      all.add(new Transformation(map + "$KeySet", new Nested(true, List.of(some("retainAll", 1)))));
    }
    for (String set : new String[] {SET, STRATEGY_SET}) {
      all.add(new Transformation(set, new Owner(false)));
      all.add(
          new Transformation(
              set + "$PositionalIterator", new Nested(false, List.of(some("remove", 0)))));
    }
    return all;
  }

  /**
   * What is missing from {@code UnifiedMap} (or its sibling with a hashing strategy) for the advice
   * and the gauges, or null: its table and counts, the marker of a chained bucket, and the methods
   * advised. {@code removeIf}, where the class declares it, is advised too; {@code
   * UnifiedMapWithHashingStrategy} of 11.x inherits it from the interface, which removes through
   * the entry set's iterator, advised as the map's.
   */
  static String mapProblem(TypeDescription type) {
    List<String> missing = new ArrayList<>();
    counts(type, missing);
    if (type.getDeclaredFields().filter(named("CHAINED_KEY").and(isStatic())).isEmpty()) {
      missing.add("static field CHAINED_KEY");
    }
    method(type, "put", takesArguments(2), missing);
    method(type, "remove", takesArguments(1), missing);
    common(type, missing);
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  /**
   * What is missing from {@code UnifiedSet} (or its sibling) for the advice and gauges, or null.
   */
  static String setProblem(TypeDescription type) {
    List<String> missing = new ArrayList<>();
    counts(type, missing);
    method(type, "add", takesArguments(1).and(returns(boolean.class)), missing);
    method(type, "remove", takesArguments(1).and(returns(boolean.class)), missing);
    method(type, "removeFromPool", takesArguments(1), missing);
    method(type, "retainAllIterable", takesArguments(1).and(returns(boolean.class)), missing);
    common(type, missing);
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  private static void counts(TypeDescription type, List<String> missing) {
    if (!declared(type, "table", f -> f.getType().isArray())) {
      missing.add("array field table");
    }
    if (!declared(type, "occupied", f -> f.getType().asErasure().represents(int.class))) {
      missing.add("field int occupied");
    }
    boolean loadFactor = false;
    for (TypeDefinition t = type; t != null && !loadFactor; t = t.getSuperClass()) {
      loadFactor =
          declared(
              t.asErasure(), "loadFactor", f -> f.getType().asErasure().represents(float.class));
    }
    if (!loadFactor) {
      missing.add("field float loadFactor");
    }
  }

  private static void common(TypeDescription type, List<String> missing) {
    method(type, "rehash", takesArguments(int.class).and(returns(void.class)), missing);
    method(type, "trimToSize", takesArguments(0).and(returns(boolean.class)), missing);
    method(type, "clear", takesArguments(0).and(returns(void.class)), missing);
  }

  private static boolean declared(
      TypeDescription type, String name, Predicate<FieldDescription> shape) {
    return type.getDeclaredFields().filter(named(name).and(not(isStatic()))).stream()
        .anyMatch(shape);
  }

  private static void method(
      TypeDescription type,
      String name,
      ElementMatcher<? super MethodDescription> shape,
      List<String> missing) {
    if (type.getDeclaredMethods().filter(named(name).and(not(isStatic())).and(shape)).isEmpty()) {
      missing.add("method " + name + " of the expected parameters");
    }
  }

  /** The map ({@code map}) or the set, advised once its layout is checked. */
  private static final class Owner extends Transformation.Checked {
    private final boolean map;

    Owner(boolean map) {
      super(EclipseProbes.FAMILY);
      this.map = map;
    }

    @Override
    String problem(TypeDescription type) {
      return map ? mapProblem(type) : setProblem(type);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      return map ? adviseMap(builder, type, own) : adviseSet(builder, type, own);
    }
  }

  /**
   * A method of an iterator or view that removes from its map or set by the map's or set's own
   * code: {@code one} entry (given as its argument), or some (the entry last returned, or those
   * that a retain leaves out).
   */
  private record Through(String method, int arguments, boolean one) {}

  private static Through one(String method, int arguments) {
    return new Through(method, arguments, true);
  }

  private static Through some(String method, int arguments) {
    return new Through(method, arguments, false);
  }

  /**
   * An iterator or view of the map ({@code ofMap}) or the set, advised at {@code removes} once it
   * has {@code this$0} and those methods, and its outer class passes its own check.
   */
  private static final class Nested extends Transformation.Checked {
    private final boolean ofMap;
    private final List<Through> removes;

    Nested(boolean ofMap, List<Through> removes) {
      super(EclipseProbes.FAMILY);
      this.ofMap = ofMap;
      this.removes = removes;
    }

    @Override
    String problem(TypeDescription type) {
      FieldDescription.InDefinedShape outer =
          type.getDeclaredFields().filter(named("this$0")).stream().findFirst().orElse(null);
      if (outer == null) {
        return "no field this$0";
      }
      for (Through r : removes) {
        if (type.getDeclaredMethods().filter(named(r.method()).and(not(isStatic()))).isEmpty()) {
          return "no method " + r.method();
        }
      }
      TypeDescription owner = outer.getType().asErasure();
      String problem = ofMap ? mapProblem(owner) : setProblem(owner);
      return problem == null ? null : "its class " + owner.getName() + " has " + problem;
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      List<AsmVisitorWrapper> advice = new ArrayList<>();
      for (Through r : removes) {
        advice.add(
            Advice.to(
                    r.one()
                        ? EclipseUnifiedAdvice.RemoveOneThrough.class
                        : EclipseUnifiedAdvice.RemoveSomeThrough.class)
                .on(own(r.method(), r.arguments())));
      }
      return builder.visit(new AsmVisitorWrapper.Compound(advice));
    }
  }

  // A bridge method calls the method it bridges: advising both would count a remove twice.
  private static ElementMatcher.Junction<MethodDescription> own(String name, int arguments) {
    return named(name).and(takesArguments(arguments)).and(not(isStatic())).and(not(isBridge()));
  }

  /** The map's advice: {@code removeIf} is not declared by UnifiedMapWithHashingStrategy 11.x. */
  private static DynamicType.Builder<?> adviseMap(
      DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
    return advise(
        builder,
        type,
        own,
        own("remove", 1),
        own("removeIf", 1).and(returns(boolean.class)),
        own("put", 2),
        EclipseUnifiedAdvice.RehashMap.class,
        EclipseUnifiedAdvice.TrimMap.class);
  }

  /** The set's advice. */
  private static DynamicType.Builder<?> adviseSet(
      DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
    return advise(
        builder,
        type,
        own,
        own("remove", 1).or(own("removeFromPool", 1)),
        own("retainAllIterable", 1),
        own("add", 1).and(returns(boolean.class)),
        EclipseUnifiedAdvice.RehashSet.class,
        EclipseUnifiedAdvice.TrimSet.class);
  }

  /**
   * A map's or set's advice at its removes of one entry and of some, its write, rehash, trim and
   * clear; a class that loads after the agent gains the recorder field ({@link RecorderField}),
   * which the advice passes to the probes.
   */
  private static DynamicType.Builder<?> advise(
      DynamicType.Builder<?> builder,
      TypeDescription type,
      boolean own,
      ElementMatcher<? super MethodDescription> removeOne,
      ElementMatcher<? super MethodDescription> removeSome,
      ElementMatcher<? super MethodDescription> written,
      Class<?> rehash,
      Class<?> trim) {
    Advice.WithCustomMapping advice = RecorderField.advice(type, own);
    return RecorderField.define(builder, type, own)
        .visit(
            new AsmVisitorWrapper.Compound(
                Advice.to(EclipseAdvice.Created.class).on(isConstructor()),
                advice.to(EclipseUnifiedAdvice.RemoveOne.class).on(removeOne),
                advice.to(EclipseUnifiedAdvice.RemoveSome.class).on(removeSome),
                advice.to(EclipseUnifiedAdvice.Written.class).on(written),
                advice.to(rehash).on(named("rehash").and(takesArguments(int.class))),
                advice.to(trim).on(named("trimToSize").and(takesArguments(0))),
                advice
                    .to(EclipseUnifiedAdvice.Clear.class)
                    .on(named("clear").and(takesArguments(0)))));
  }
}
