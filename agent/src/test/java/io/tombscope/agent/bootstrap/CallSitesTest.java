package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Call stacks are bounded per site and over all sites; what is over counts under "(other)". */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallSitesTest {
  @Test
  void aSiteKeepsAtMost64StacksAndCountsTheRestUnderOther() {
    CallSites sites = new CallSites();
    for (int i = 0; i < CallSites.MAX_FRAMES + 10; i++) {
      sites.record("com.acme.A.m" + i + "(A.java:1)", i % 2 == 0, 16);
    }
    assertTrue(
        sites.frames().size() <= CallSites.MAX_FRAMES + 1, sites.frames().keySet()::toString);
    assertEquals(16L * (CallSites.MAX_FRAMES + 10), deletes(sites), "no sample is lost");
  }

  @Test
  void eachKindAddsItsWeightAndAStackKeepsItsProgramFrame() {
    CallSites sites = new CallSites();
    String stack = "lib.Cache.evict(Cache.java:9)" + CallSites.SEPARATOR + "com.acme.A.m(A.java:3)";
    sites.record(stack, "com.acme.A.m(A.java:3)", CallSites.DELETES, 8);
    sites.record(stack, null, CallSites.MISSES, 5);
    sites.record(stack, null, CallSites.SILENT, 2);
    AtomicLongArray counts = sites.frames().get(stack);
    assertEquals(13, counts.get(CallSites.DELETES), "hits and misses");
    assertEquals(5, counts.get(CallSites.MISSES));
    assertEquals(2, counts.get(CallSites.SILENT), "silent deletes are hits already counted");
    assertEquals("com.acme.A.m(A.java:3)", sites.appFrameOf(stack));
  }

  @Test
  @Order(Integer.MAX_VALUE) // fills the cap over all sites for the rest of this JVM
  void allSitesTogetherKeepAtMostMaxTotalStacks() {
    List<CallSites> all = new ArrayList<>();
    long recorded = 0;
    for (int s = 0; s * CallSites.MAX_FRAMES <= CallSites.MAX_TOTAL + CallSites.MAX_FRAMES; s++) {
      CallSites site = new CallSites();
      all.add(site);
      for (int i = 0; i < CallSites.MAX_FRAMES; i++) {
        site.record("com.acme.S" + s + ".m" + i + "(S.java:1)", true, 1);
        recorded++;
      }
    }
    long kept =
        all.stream()
            .flatMap(c -> c.frames().keySet().stream())
            .filter(k -> !k.equals(CallSites.OTHER))
            .count();
    assertTrue(kept <= CallSites.MAX_TOTAL, kept + " stacks kept");
    CallSites late = all.get(all.size() - 1);
    assertEquals(List.of(CallSites.OTHER), List.copyOf(late.frames().keySet()));
    assertEquals(recorded, all.stream().mapToLong(CallSitesTest::deletes).sum(), "no sample lost");
  }

  private static long deletes(CallSites sites) {
    long n = 0;
    for (AtomicLongArray counts : sites.frames().values()) {
      n += counts.get(0);
    }
    return n;
  }
}
