package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.ProbeLengths;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * The flusher reuses one {@link Counts}, {@link MapStats} and {@link ProbeLengths} for every site:
 * their {@code clear()} must reset every field, including fields added later.
 */
class ScratchClearTest {
  @Test
  void countsClearEveryField() throws Exception {
    Counts c = new Counts();
    setEveryLong(c);
    c.clear();
    assertEveryLongIsZero(c);
  }

  @Test
  void mapStatsClearEveryField() throws Exception {
    MapStats s = new MapStats();
    setEveryLong(s);
    s.clear();
    assertEveryLongIsZero(s);
  }

  @Test
  void probeLengthsClearAndCopy() {
    ProbeLengths a = new ProbeLengths();
    a.counts[3] = 7;
    a.counts[ProbeLengths.MAX_EXACT + 1] = 2;
    a.longProbeSlots = 500;
    ProbeLengths b = new ProbeLengths();
    b.copyOf(a);
    assertEquals(true, b.sameAs(a));
    a.clear();
    assertEquals(0, a.longProbeSlots);
    assertEquals(0, java.util.Arrays.stream(a.counts).sum());
    assertEquals(false, b.sameAs(a));
  }

  private static void setEveryLong(Object o) throws IllegalAccessException {
    for (Field f : o.getClass().getFields()) {
      if (f.getType() == long.class && !Modifier.isStatic(f.getModifiers())) {
        f.setLong(o, 41);
      }
    }
  }

  private static void assertEveryLongIsZero(Object o) throws IllegalAccessException {
    int checked = 0;
    for (Field f : o.getClass().getFields()) {
      if (f.getType() == long.class && !Modifier.isStatic(f.getModifiers())) {
        assertEquals(0, f.getLong(o), f.getName());
        checked++;
      }
    }
    assertEquals(true, checked > 5, "the public counters were found");
  }
}
