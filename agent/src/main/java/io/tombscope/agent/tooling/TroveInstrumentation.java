package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.TroveProbes;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Trove 3's {@code THash} family ({@code net.sf.trove4j:trove4j} 3.0.x and {@code
 * net.sf.trove4j:core} 3.1.x), matched by name in any class loader, never linked at compile time:
 * {@code THash} itself, where every removal, insert into a tombstone, compaction and clear passes,
 * and its generated subclasses, whose {@code remove(key)} tells misses and whose {@code
 * rehash(int)} rebuilds the table.
 *
 * <p>Each class is checked before it is advised: a {@code THash} without the fields and methods the
 * advice uses (another version, or a patched copy) is left as it is, and so is every subclass of
 * it; the recording names each class skipped and why.
 */
final class TroveInstrumentation {
  static final String THASH = "gnu.trove.impl.hash.THash";

  private static final List<String> PRIMITIVES =
      List.of("Byte", "Char", "Short", "Int", "Long", "Float", "Double");

  private TroveInstrumentation() {}

  /** {@code THash} and every generated subclass of it in Trove 3.0.3 and 3.1.0. */
  static List<Transformation> transformations() {
    List<Transformation> all = new ArrayList<>();
    all.add(new Transformation(THASH, new Checked(true)));
    for (String name : subclassNames()) {
      all.add(new Transformation(name, new Checked(false)));
    }
    return all;
  }

  /** The binary names of THash's subclasses in the Trove 3 releases (141 in 3.1.0). */
  static List<String> subclassNames() {
    List<String> names = new ArrayList<>();
    String impl = "gnu.trove.impl.hash.";
    String maps = "gnu.trove.map.hash.";
    String sets = "gnu.trove.set.hash.";
    for (String p : PRIMITIVES) {
      names.add(impl + "T" + p + "Hash");
      names.add(maps + "T" + p + "ObjectHashMap");
      names.add(maps + "TObject" + p + "HashMap");
      names.add("gnu.trove.map.custom_hash.TObject" + p + "CustomHashMap");
      names.add(sets + "T" + p + "HashSet");
      for (String q : PRIMITIVES) {
        names.add(impl + "T" + p + q + "Hash");
        names.add(maps + "T" + p + q + "HashMap");
      }
    }
    names.addAll(
        List.of(
            impl + "TPrimitiveHash",
            impl + "TObjectHash",
            impl + "TCustomObjectHash",
            maps + "THashMap",
            maps + "TCustomHashMap",
            sets + "THashSet",
            sets + "TCustomHashSet",
            sets + "TLinkedHashSet"));
    return names;
  }

  /**
   * What is missing from {@code thash} for the advice, or null if it has all of it: the fields read
   * by advice and gauges, and the methods advised or relied on.
   */
  static String layoutProblem(TypeDescription thash) {
    List<String> missing = new ArrayList<>();
    field(thash, "_size", int.class, missing);
    field(thash, "_free", int.class, missing);
    field(thash, "_loadFactor", float.class, missing);
    field(thash, "_autoCompactTemporaryDisable", boolean.class, missing);
    field(thash, "_autoCompactionFactor", float.class, missing);
    field(thash, "_autoCompactRemovesRemaining", int.class, missing);
    method(thash, "removeAt", void.class, missing, int.class);
    method(thash, "postInsertHook", void.class, missing, boolean.class);
    method(thash, "compact", void.class, missing);
    method(thash, "reenableAutoCompaction", void.class, missing, boolean.class);
    method(thash, "clear", void.class, missing);
    method(thash, "rehash", void.class, missing, int.class);
    method(thash, "capacity", int.class, missing);
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  static void field(TypeDescription type, String name, Class<?> fieldType, List<String> missing) {
    boolean found =
        type.getDeclaredFields().filter(named(name)).stream()
            .anyMatch(
                (FieldDescription.InDefinedShape f) ->
                    !f.isStatic() && f.getType().asErasure().represents(fieldType));
    if (!found) {
      missing.add("field " + fieldType.getName() + " " + name);
    }
  }

  static void method(
      TypeDescription type,
      String name,
      Class<?> returnType,
      List<String> missing,
      Class<?>... parameters) {
    boolean found =
        type.getDeclaredMethods().filter(named(name).and(takesArguments(parameters))).stream()
            .anyMatch(
                (MethodDescription.InDefinedShape m) ->
                    !m.isStatic() && m.getReturnType().asErasure().represents(returnType));
    if (!found) {
      StringBuilder signature = new StringBuilder("method " + name + "(");
      for (int i = 0; i < parameters.length; i++) {
        signature.append(i == 0 ? "" : ", ").append(parameters[i].getName());
      }
      missing.add(signature + ")");
    }
  }

  /** The THash in {@code type}'s superclasses (or itself), or null if it extends none. */
  private static TypeDescription thashOf(TypeDescription type) {
    for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
      TypeDescription erasure = t.asErasure();
      if (erasure.getName().equals(THASH)) {
        return erasure;
      }
    }
    return null;
  }

  /** Advises a class of the family once its layout is checked; reports and skips it if not. */
  private static final class Checked extends Transformation.Checked {
    private final boolean isTHash;

    Checked(boolean isTHash) {
      super(TroveProbes.FAMILY, "its superclasses");
      this.isTHash = isTHash;
    }

    @Override
    String problem(TypeDescription type) {
      TypeDescription thash = isTHash ? type : thashOf(type);
      if (thash == null) {
        return "does not extend " + THASH;
      }
      String problem = layoutProblem(thash);
      return problem == null || isTHash ? problem : "its superclass " + THASH + " has " + problem;
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      // A field only where advice reads it: THash, and the subclasses with a remove or a rehash.
      boolean field =
          own && (isTHash || !type.getDeclaredMethods().filter(subclassAdvised()).isEmpty());
      Advice.WithCustomMapping advice = RecorderField.advice(type, field);
      builder = RecorderField.define(builder, type, field);
      return isTHash ? adviseTHash(builder, advice) : adviseSubclass(builder, advice);
    }
  }

  private static DynamicType.Builder<?> adviseTHash(
      DynamicType.Builder<?> builder, Advice.WithCustomMapping advice) {
    return builder.visit(
        new AsmVisitorWrapper.Compound(
            Advice.to(TroveAdvice.Created.class).on(isConstructor()),
            advice
                .to(TroveAdvice.RemoveAt.class)
                .on(named("removeAt").and(takesArguments(int.class))),
            advice
                .to(TroveAdvice.Reenable.class)
                .on(named("reenableAutoCompaction").and(takesArguments(boolean.class))),
            advice.to(TroveAdvice.Compact.class).on(named("compact").and(takesArguments(0))),
            advice
                .to(TroveAdvice.PostInsert.class)
                .on(named("postInsertHook").and(takesArguments(boolean.class))),
            advice.to(TroveAdvice.Clear.class).on(named("clear").and(takesArguments(0)))));
  }

  private static DynamicType.Builder<?> adviseSubclass(
      DynamicType.Builder<?> builder, Advice.WithCustomMapping advice) {
    return builder.visit(
        new AsmVisitorWrapper.Compound(
            advice.to(TroveAdvice.RemoveKey.class).on(removeKey()),
            advice.to(TroveAdvice.Rehash.class).on(rehash())));
  }

  private static ElementMatcher.Junction<MethodDescription> removeKey() {
    return named("remove").and(takesArguments(1)).and(not(isBridge())).and(not(isAbstract()));
  }

  private static ElementMatcher.Junction<MethodDescription> rehash() {
    return named("rehash")
        .and(takesArguments(1))
        .and(takesArgument(0, int.class))
        .and(not(isAbstract()));
  }

  private static ElementMatcher.Junction<MethodDescription> subclassAdvised() {
    return removeKey().or(rehash());
  }
}
