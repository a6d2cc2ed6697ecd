package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UntrackedTest {
  @Test
  void threadsOnSharedStripesLoseNoCount() throws Exception {
    long before = Untracked.total(Family.IDENTITY, Untracked.RESIZES);
    // More threads than stripes, so some share one.
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 80; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  Untracked.add(Family.IDENTITY, Untracked.RESIZES, 1);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(before + 800_000, Untracked.total(Family.IDENTITY, Untracked.RESIZES));
  }
}
