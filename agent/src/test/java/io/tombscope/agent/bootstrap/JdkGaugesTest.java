package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JdkGaugesTest {
  @Test
  void freshSlotsAreWhatACopyGets() {
    // Java 17's new HashMap<>(map): tableSizeFor(size / 0.75 + 1).
    assertEquals(0, JdkGauges.freshSlots(Family.HASHMAP, 0));
    assertEquals(2, JdkGauges.freshSlots(Family.HASHMAP, 1));
    assertEquals(32, JdkGauges.freshSlots(Family.HASHMAP, 12));
    assertEquals(8_192, JdkGauges.freshSlots(Family.HASHMAP, 5_000));
    assertEquals(32_768, JdkGauges.freshSlots(Family.HASHMAP, 20_000));
    assertEquals(16, JdkGauges.freshSlots(Family.WEAK, 0), "WeakHashMap: at least 16");
    assertEquals(16_384, JdkGauges.freshSlots(Family.WEAK, 10_000));
  }

  @Test
  void onlySlotsKeptByDeletesAreDrained() {
    // 20,000 keys grew the table to 32,768; at 5,000 a copy would need 8,192.
    assertEquals(32_768 - 8_192, JdkGauges.drainedSlots(Family.HASHMAP, 32_768, 20_000, 5_000));
    assertEquals(0, JdkGauges.drainedSlots(Family.HASHMAP, 32_768, 20_000, 20_000), "at its peak");
    assertEquals(0, JdkGauges.drainedSlots(Family.HASHMAP, 16, 1, 1), "insert-only, default");
    assertEquals(0, JdkGauges.drainedSlots(Family.HASHMAP, 131_072, 10, 10), "presized");
    assertEquals(14, JdkGauges.drainedSlots(Family.HASHMAP, 16, 12, 1), "small, drained");
  }
}
