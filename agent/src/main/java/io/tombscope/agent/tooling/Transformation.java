package io.tombscope.agent.tooling;

import io.tombscope.agent.recording.SkippedClasses;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The advice of a family whose classes are checked as they load: {@link #problem} says what a
   * class lacks for the advice (null if nothing, and it may throw on members it cannot read), and a
   * class that lacks something is left as it is and reported skipped for the family, with why.
   *
   * <p>A class rather than lambdas: registration builds hundreds of these at every JVM start, and
   * each lambda would cost the start its own generated class.
   */
  abstract static class Checked implements Advising {
    private final String family;
    private final String unreadable;

    Checked(String family) {
      this(family, "its members");
    }

    /** {@code unreadable} names what could not be read when {@link #problem} throws. */
    Checked(String family, String unreadable) {
      this.family = family;
      this.unreadable = unreadable;
    }

    /** What {@code type} lacks for the advice, or null. */
    abstract String problem(TypeDescription type);

    /** The advice for a class whose layout was checked; {@code own} as in {@link Advising}. */
    abstract DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own);

    @Override
    public final DynamicType.Builder<?> apply(DynamicType.Builder<?> builder) {
      throw new UnsupportedOperationException("the class must be checked first");
    }

    @Override
    public final DynamicType.Builder<?> apply(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      String lacks;
      try {
        lacks = problem(type);
      } catch (RuntimeException e) {
        lacks = unreadable + " cannot be read: " + e;
      }
      if (lacks != null) {
        SkippedClasses.report(family, type.getName(), lacks);
        return builder;
      }
      return advise(builder, type, own);
    }
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
