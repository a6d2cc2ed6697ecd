package io.tombscope.agent.tooling;

import java.util.ArrayList;
import java.util.List;
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
