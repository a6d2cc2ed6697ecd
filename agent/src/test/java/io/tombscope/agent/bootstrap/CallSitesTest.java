package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/** Call stacks are bounded per site and over all sites; what is over counts under "(other)". */
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
