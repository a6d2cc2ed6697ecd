package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecorderFieldsTest {
  /** A library class as it looks after it gained the field as it loaded. */
  static class LibraryBase {
    private transient Object $tombscope$recorder;

    Object baseField() {
      return $tombscope$recorder;
    }
  }

  /** Its subclass, advised too, with a field of its own. */
  static class LibraryMap extends LibraryBase implements Cloneable {
    private transient Object $tombscope$recorder;

    Object ownField() {
      return $tombscope$recorder;
    }

    @Override
    public LibraryMap clone() {
      try {
        return (LibraryMap) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** A program's subclass, not instrumented: it has no field, its superclasses do. */
  static final class ProgramMap extends LibraryMap {}

  private static MapRecorder recorder() {
    return new MapRecorder(TestSites.site(1, "trove", "x.y(Z.java:1)"), 1, 1, 0, 1);
  }

  @Test
  void aMapIsGivenItsRecorderInEveryClassOfItsHierarchy() {
    ProgramMap map = new ProgramMap();
    MapRecorder r = recorder();

    RecorderFields.set(map, r);

    assertSame(r, map.ownField());
    assertSame(r, map.baseField());
    assertSame(r, RecorderFields.of(map.ownField(), map));
  }

  @Test
  void withoutItsFieldTheRecorderIsLookedUp() {
    assertNull(RecorderFields.of(null, new Object()), "an untracked map has none");
    RecorderFields.set(new Object(), recorder()); // a class without the field: nothing to set
  }

  @Test
  void aCloneDoesNotKeepItsSourcesRecorder() {
    LibraryMap map = new LibraryMap();
    RecorderFields.set(map, recorder());

    LibraryMap copy = map.clone();
    assertSame(map.ownField(), copy.ownField(), "clone() copies the fields");
    RecorderFields.cloned(copy);

    assertNull(copy.ownField());
    assertNull(copy.baseField());
  }

  @Test
  void onlyAClassThatDeclaresTheFieldHasGainedIt() {
    assertTrue(RecorderFields.declaredBy(LibraryMap.class));
    assertFalse(RecorderFields.declaredBy(ProgramMap.class));
    assertFalse(RecorderFields.declaredBy(java.util.HashMap.class));
  }
}
