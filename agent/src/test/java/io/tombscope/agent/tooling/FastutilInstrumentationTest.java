package io.tombscope.agent.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The class names the agent lists are fastutil's open hash maps and sets, each with the layout its
 * advice needs, and so is each one's iterator (checked on the release on the test class path, as
 * the agent checks them when they load).
 */
class FastutilInstrumentationTest {
  private static final TypePool POOL =
      TypePool.Default.of(
          ClassFileLocator.ForClassLoader.of(FastutilInstrumentationTest.class.getClassLoader()));

  @Test
  void everyListedMapAndItsIteratorHaveTheLayoutTheAdviceNeeds() {
    assertEquals(280, FastutilInstrumentation.mapClassNames().size());
    for (String name : FastutilInstrumentation.mapClassNames()) {
      assertNull(FastutilInstrumentation.layoutProblem(resolve(name)), name);
      assertNull(FastutilInstrumentation.iteratorProblem(resolve(name + "$MapIterator")), name);
    }
  }

  @Test
  void everyListedSetAndItsIteratorHaveTheLayoutTheAdviceNeeds() {
    assertEquals(35, FastutilInstrumentation.setClassNames().size());
    for (String name : FastutilInstrumentation.setClassNames()) {
      assertNull(FastutilInstrumentation.layoutProblem(resolve(name)), name);
      assertNull(FastutilInstrumentation.iteratorProblem(resolve(name + "$SetIterator")), name);
    }
  }

  private static net.bytebuddy.description.type.TypeDescription resolve(String name) {
    TypePool.Resolution r = POOL.describe(name);
    assertEquals(true, r.isResolved(), name);
    return r.resolve();
  }
}
