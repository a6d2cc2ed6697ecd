package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadLanesTest {
  @Test
  @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
  void threadsSharingLanesLoseNoCount() throws Exception {
    ThreadLanes lanes = new ThreadLanes(64);
    // Five times more threads than stripes: most lanes are shared, so both the plain adds of a
    // lane's own thread and the atomic adds of the others run at once.
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 5 * ThreadLanes.STRIPES; t++) {
      threads.add(
          new Thread(
              () -> {
                long self = Thread.currentThread().getId();
                for (int i = 0; i < 20_000; i++) {
                  long[] lane = lanes.lane(self);
                  ThreadLanes.hit(lane, self, 2);
                  if (i % 4 == 0) {
                    ThreadLanes.miss(lane, self);
                  }
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    Counts counts = new Counts();
    counts.lanes = lanes;
    Counts sum = new Counts();
    sum.add(counts);
    assertEquals(threads.size() * 40_000L, sum.deleteHits);
    assertEquals(threads.size() * 5_000L, sum.deleteMisses);
  }

  @Test
  void aThreadKeepsItsLaneAndAStripeHasOne() {
    ThreadLanes lanes = new ThreadLanes(64);
    long[] lane = lanes.lane(3);
    assertSame(lane, lanes.lane(3));
    assertSame(lane, lanes.lane(3 + ThreadLanes.STRIPES), "same stripe, same lane");
    assertEquals(64, lane[ThreadLanes.LATENCY_DUE]);
    assertEquals(16 + 16 + 4L * ThreadLanes.STRIPES + ThreadLanes.LANE_BYTES, lanes.heapBytes());
  }

  @Test
  void aContendedSizeIsReadAtTheFirstDeleteThenOneInAPeriod() {
    long[] lane = new ThreadLanes(64).lane(1);
    assertTrue(ThreadLanes.sizeDue(lane));
    for (int i = 1; i < ThreadLanes.SIZE_PERIOD; i++) {
      assertFalse(ThreadLanes.sizeDue(lane), "delete " + i);
    }
    assertTrue(ThreadLanes.sizeDue(lane));
  }
}
