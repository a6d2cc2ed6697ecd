package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;

import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.DynamicType;

/**
 * The advice on {@code io.tombscope.map.BucketHashMap}, matched by name in whatever class loader
 * loads it (never linked at compile time), and on copies already loaded when the agent is attached
 * late.
 */
final class MapInstrumentation {
  static final String MAP_CLASS = "io.tombscope.map.BucketHashMap";

  private MapInstrumentation() {}

  /** The map's one transformation. */
  static List<Transformation> transformations() {
    return List.of(new Transformation(MAP_CLASS, MapInstrumentation::advise));
  }

  private static DynamicType.Builder<?> advise(DynamicType.Builder<?> builder) {
    return builder
        .visit(Advice.to(MapAdvice.Created.class).on(isConstructor()))
        .visit(Advice.to(MapAdvice.DeleteStart.class).on(named("observeDeleteStart")))
        .visit(Advice.to(MapAdvice.Delete.class).on(named("observeDelete")))
        .visit(Advice.to(MapAdvice.TombstoneReused.class).on(named("observeTombstoneReused")))
        .visit(Advice.to(MapAdvice.GrowStart.class).on(named("observeGrowStart")))
        .visit(Advice.to(MapAdvice.EvacuateStart.class).on(named("observeEvacuateStart")))
        .visit(Advice.to(MapAdvice.Evacuate.class).on(named("observeEvacuate")))
        .visit(Advice.to(MapAdvice.GrowEnd.class).on(named("observeGrowEnd")))
        .visit(Advice.to(MapAdvice.Trim.class).on(named("observeTrim")))
        .visit(Advice.to(MapAdvice.Clear.class).on(named("observeClear")))
        .visit(Advice.to(MapAdvice.CompactionFailed.class).on(named("observeCompactionFailed")))
        .visit(Advice.to(MapAdvice.Write.class).on(named("observeWrite")));
  }
}
