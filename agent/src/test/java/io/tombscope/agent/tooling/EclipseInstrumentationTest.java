package io.tombscope.agent.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * The class names the agent lists are the library's maps, each with the layout its advice needs
 * (checked on the release on the test class path, as the agent checks it when a class loads), and a
 * class without it is named with what it lacks.
 */
class EclipseInstrumentationTest {
  private static final TypePool POOL =
      TypePool.Default.of(
          ClassFileLocator.ForClassLoader.of(EclipseInstrumentationTest.class.getClassLoader()));

  @Test
  void everyListedMapExistsWithTheLayoutTheAdviceNeeds() {
    List<String> names = EclipseInstrumentation.classNames();
    assertEquals(70, names.size());
    for (String name : names) {
      TypePool.Resolution r = POOL.describe(name);
      assertEquals(true, r.isResolved(), name);
      boolean primitiveKeys = !name.startsWith(EclipseInstrumentation.PACKAGE + "Object");
      assertNull(EclipseInstrumentation.layoutProblem(r.resolve(), primitiveKeys), name);
    }
  }

  @Test
  void everyListedSetAndItsIteratorHaveTheLayoutTheAdviceNeeds() {
    List<String> names = EclipseInstrumentation.setClassNames();
    assertEquals(6, names.size());
    for (String name : names) {
      TypePool.Resolution set = POOL.describe(name);
      assertEquals(true, set.isResolved(), name);
      assertNull(EclipseInstrumentation.setLayoutProblem(set.resolve()), name);
      TypePool.Resolution iterator = POOL.describe(EclipseInstrumentation.iteratorOf(name));
      assertEquals(true, iterator.isResolved(), EclipseInstrumentation.iteratorOf(name));
      assertNull(EclipseInstrumentation.setIteratorProblem(iterator.resolve()), name);
    }
  }

  @Test
  void everyListedMapWithBooleanValuesAndItsViewsHaveTheLayoutTheAdviceNeeds() {
    List<String> names = EclipseInstrumentation.booleanClassNames();
    assertEquals(9, names.size());
    for (String name : names) {
      TypePool.Resolution r = POOL.describe(name);
      assertEquals(true, r.isResolved(), name);
      boolean primitiveKeys = !name.startsWith(EclipseInstrumentation.PACKAGE + "Object");
      assertNull(EclipseInstrumentation.booleanLayoutProblem(r.resolve(), primitiveKeys), name);
      if (primitiveKeys) {
        for (String view : List.of("$KeySet", "$ValuesCollection")) {
          TypePool.Resolution v = POOL.describe(name + view);
          assertEquals(true, v.isResolved(), name + view);
          assertNull(EclipseInstrumentation.retainingViewProblem(v.resolve()), name + view);
        }
      }
    }
  }

  @Test
  void theUnifiedMapsAndSetsAndTheirIteratorsAndViewsHaveTheLayoutTheAdviceNeeds() {
    List<Transformation> all = EclipseUnifiedInstrumentation.transformations();
    assertEquals(12, all.size());
    for (Transformation t : all) {
      assertEquals(true, POOL.describe(t.className()).isResolved(), t.className());
    }
    // 11.1's map with a hashing strategy declares no removeIf, and needs none
    for (String map :
        List.of(EclipseUnifiedInstrumentation.MAP, EclipseUnifiedInstrumentation.STRATEGY_MAP)) {
      assertNull(EclipseUnifiedInstrumentation.mapProblem(POOL.describe(map).resolve()), map);
    }
    for (String set :
        List.of(EclipseUnifiedInstrumentation.SET, EclipseUnifiedInstrumentation.STRATEGY_SET)) {
      assertNull(EclipseUnifiedInstrumentation.setProblem(POOL.describe(set).resolve()), set);
    }
    assertEquals(
        "no field int occupied, no static field CHAINED_KEY, no method rehash of the expected"
            + " parameters, no method trimToSize of the expected parameters",
        EclipseUnifiedInstrumentation.mapProblem(
            TypeDescription.ForLoadedType.of(java.util.HashMap.class)));
  }

  @Test
  void aMapWithBooleanValuesOfAnotherLayoutIsNamedWithWhatItLacks() {
    TypeDescription hashMap = TypeDescription.ForLoadedType.of(java.util.HashMap.class);
    assertEquals(
        "no field int occupiedWithData, no field int occupiedWithSentinels, no array field keys, no"
            + " BitSet field values, no method rehash of the expected parameters, no method"
            + " addKeyValueAtIndex of the expected parameters, no method removeKey of the expected"
            + " parameters, no method removeKeyIfAbsent of the expected parameters",
        EclipseInstrumentation.booleanLayoutProblem(hashMap, true));
  }

  @Test
  void aSetOfAnotherLayoutIsNamedWithWhatItLacks() {
    TypeDescription hashSet = TypeDescription.ForLoadedType.of(java.util.HashSet.class);
    assertEquals(
        "no field int occupiedWithData, no field int occupiedWithSentinels, no array field table, no"
            + " method rehash of the expected parameters, no method trimToSize() or compact()",
        EclipseInstrumentation.setLayoutProblem(hashSet));
  }

  @Test
  void aClassOfAnotherLayoutIsNamedWithWhatItLacks() {
    TypeDescription hashMap = TypeDescription.ForLoadedType.of(java.util.HashMap.class);
    assertEquals(
        "no field int occupiedWithData, no field int occupiedWithSentinels, no array field keys or"
            + " keysValues, no method rehash of the expected parameters, no method"
            + " addKeyValueAtIndex of the expected parameters, no method removeKeyAtIndex of the"
            + " expected parameters, no method removeKey of the expected parameters, no method"
            + " trimToSize() or compact()",
        EclipseInstrumentation.layoutProblem(hashMap, true));
  }
}
