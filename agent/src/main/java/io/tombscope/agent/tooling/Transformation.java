package io.tombscope.agent.tooling;

import io.tombscope.agent.recording.SkippedClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;

/**
 * One class the agent instruments, named exactly, and the advice it gets. A family of maps is a
 * list of these, registered in {@link Transformations#registered}; {@link LazyInstrumentation}
 * checks every class that loads against the names, and builds byte-buddy only when one matches.
 *
 * @param className the binary name ({@code java.util.HashMap}, {@code a.B$C}), in any class loader
 * @param advice what to do to the class; runs only once byte-buddy is loaded
 */
record Transformation(String className, Advising advice) {

  /** Adds a family's advice to the builder of one of its classes. */
  @FunctionalInterface
  interface Advising {
    DynamicType.Builder<?> apply(DynamicType.Builder<?> builder);

    /**
     * The same, for a family whose advice depends on the class as it is: it checks the fields and
     * methods its advice needs, and leaves a class of another layout alone.
     */
    default DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type) {
      return apply(builder);
    }

    /**
     * The same, told whether the class may gain fields and methods ({@code own}): true as it loads,
     * false when it is retransformed after loading without them.
     */
    default DynamicType.Builder<?> apply(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      return apply(builder, type);
    }
  }

  /** A family's advice for a class whose layout was checked; {@code own} as in {@link Advising}. */
  @FunctionalInterface
  interface Advise {
    DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, boolean own);
  }

  /**
   * The advice of a family whose classes are checked as they load: {@code problem} says what a
   * class lacks for the advice (null if nothing, and it may throw on members it cannot read), and a
   * class that lacks something is left as it is and reported skipped for {@code family}, with why.
   */
  static Advising checked(String family, Function<TypeDescription, String> problem, Advise advise) {
    return new Advising() {
      @Override
      public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
        throw new UnsupportedOperationException("the class must be checked first");
      }

      @Override
      public DynamicType.Builder<?> apply(
          DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
        String lacks;
        try {
          lacks = problem.apply(type);
        } catch (RuntimeException e) {
          lacks = "its members cannot be read: " + e;
        }
        if (lacks != null) {
          SkippedClasses.report(family, type.getName(), lacks);
          return builder;
        }
        return advise.apply(builder, type, own);
      }
    };
  }

  /** The binary names of {@code transformations}, in order. */
  static List<String> classNames(List<Transformation> transformations) {
    List<String> names = new ArrayList<>();
    for (Transformation t : transformations) {
      names.add(t.className());
    }
    return names;
  }
}
