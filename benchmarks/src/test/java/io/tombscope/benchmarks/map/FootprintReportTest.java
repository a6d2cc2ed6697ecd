package io.tombscope.benchmarks.map;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.vm.VM;

class FootprintReportTest {
  @Test
  void payloadCountsEachKeyAndValueObjectOnce() {
    Long shared = 1_000_000L;
    Map<Long, Long> map = new HashMap<>();
    map.put(2_000_000L, shared);
    map.put(3_000_000L, shared);
    map.put(shared, shared);
    long oneLong = VM.current().sizeOf(shared);

    // Three keys, one of them also the value of every entry: three distinct objects.
    assertEquals(3 * oneLong, FootprintReport.payloadBytes(map));
  }

  @Test
  void structureOfHashMapIsTheMapItsTableAndOneNodePerEntry() {
    Map<Long, Long> map = new HashMap<>();
    Long[] keys = Keys.distinct(1_000, 9);
    for (Long k : keys) {
      map.put(k, Long.valueOf(~k));
    }
    Object node = map.entrySet().iterator().next();
    // 1,000 entries pass the 0.75 load factor of 1,024 buckets, so the table has 2,048 slots.
    long expected =
        VM.current().sizeOf(map)
            + VM.current().sizeOf(new Object[2_048])
            + 1_000 * VM.current().sizeOf(node);

    // entrySet() above created the map's cached EntrySet view, which is reachable too.
    long entrySetView = VM.current().sizeOf(map.entrySet());
    assertEquals(expected + entrySetView, FootprintReport.structureBytes(map));
  }
}
