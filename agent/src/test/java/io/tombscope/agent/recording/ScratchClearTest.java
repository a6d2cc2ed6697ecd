package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.ProbeLengths;
import io.tombscope.agent.bootstrap.TestSites;
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
  void probeLengthsClearKeepNothing() {
    ProbeLengths a = TestSites.probeLengths(3, 3, 20, ProbeLengths.MAX_EXACT + 5);
    ProbeLengths scratch = new ProbeLengths();
    scratch.add(a);
    assertEquals(2, scratch.count(3));
    assertEquals(1, scratch.count(ProbeLengths.MAX_EXACT + 1));
    scratch.clear();
    assertEquals(0, scratch.longProbeSlots);
    for (int i = 0; i < ProbeLengths.COUNTERS; i++) {
      assertEquals(0, scratch.count(i), "length " + i);
    }
  }

  @Test
  void lastProbeLengthsRememberWhatWasWritten() {
    ProbeLengths now = TestSites.probeLengths(1, 3, 3, 40, ProbeLengths.MAX_EXACT + 2);
    LastProbeLengths last = new LastProbeLengths();
    assertEquals(false, last.sameAs(now));
    last.copyOf(now);
    assertEquals(true, last.sameAs(now));
    assertEquals(2, last.count(3));
    assertEquals(1, last.count(40));
    assertEquals(1, last.count(ProbeLengths.MAX_EXACT + 1));
    assertEquals(ProbeLengths.MAX_EXACT + 2, last.longProbeSlots());
    // Shorter counts after longer ones leave no stale counter behind.
    ProbeLengths shorter = TestSites.probeLengths(2);
    last.copyOf(shorter);
    assertEquals(true, last.sameAs(shorter));
    assertEquals(0, last.count(40));
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
