package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The field that a third-party map class gains when it loads after the agent started: {@link
 * #NAME}, private, transient and synthetic, holding the map's {@link MapRecorder} (null for a map
 * not tracked). The probes then find a map's recorder with one field read instead of a lookup in
 * {@link TrackedMaps}, which stays the way to every map all the same: classes loaded before the
 * agent (a late attach) cannot gain a field, and their advice passes null, as it does for a map
 * whose field was never set.
 *
 * <p>Each advised class of a hierarchy has a field of its own (private fields do not reach a
 * subclass's advice), so a map is given its recorder in every one of them, by the probes, when it
 * is tracked; a copy made by {@code clone()} is given its own (or none), since the copy starts with
 * its source's.
 */
public final class RecorderFields {
  /** The field's name, in every class that has it. */
  public static final String NAME = "$tombscope$recorder";

  private static final VarHandle[] NONE = new VarHandle[0];

  // The fields of a map class and its superclasses, innermost first; none for a class loaded
  // before the agent, or one whose field cannot be opened (its advice then passes null).
  private static final ClassValue<VarHandle[]> FIELDS =
      new ClassValue<>() {
        @Override
        protected VarHandle[] computeValue(Class<?> type) {
          List<VarHandle> found = new ArrayList<>();
          try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
              Field f = declared(c);
              if (f != null) {
                found.add(
                    MethodHandles.privateLookupIn(c, MethodHandles.lookup()).unreflectVarHandle(f));
              }
            }
          } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return NONE;
          }
          return found.toArray(NONE);
        }
      };

  private RecorderFields() {}

  /** The recorder of {@code map}: its own field's value when there is one, else the lookup. */
  static MapRecorder of(Object field, Object map) {
    return field instanceof MapRecorder r ? r : TrackedMaps.recorderOf(map);
  }

  /** Whether {@code type} itself declares the field (it gained it when it loaded). */
  public static boolean declaredBy(Class<?> type) {
    try {
      return declared(type) != null;
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static Field declared(Class<?> c) {
    try {
      return c.getDeclaredField(NAME);
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  /** Gives {@code map} its recorder ({@code null}: none) in each of its classes' fields. */
  static void set(Object map, MapRecorder recorder) {
    for (VarHandle h : FIELDS.get(map.getClass())) {
      h.set(map, (Object) recorder);
    }
  }

  /**
   * {@code clone()} returned {@code copy}, whose fields hold its source's recorder: gives it its
   * own, if it is tracked, or none.
   */
  public static void cloned(Object copy) {
    try {
      if (copy != null) {
        set(copy, TrackedMaps.recorderOf(copy));
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }
}
