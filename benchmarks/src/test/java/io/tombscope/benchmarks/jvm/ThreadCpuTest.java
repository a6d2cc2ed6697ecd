package io.tombscope.benchmarks.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void threadsAreSortedByTheirKernelNames() {
    assertEquals("c1", ThreadCpu.kindOf("C1 CompilerThre"));
    assertEquals("c2", ThreadCpu.kindOf("C2 CompilerThre"));
    assertEquals("gc", ThreadCpu.kindOf("GC Thread#0"));
    assertEquals("gc", ThreadCpu.kindOf("G1 Conc#0"));
    assertEquals("agent", ThreadCpu.kindOf("tombscope-flush"));
    assertEquals("vm", ThreadCpu.kindOf("VM Thread"));
    assertEquals("program", ThreadCpu.kindOf("java"));
    assertEquals("program", ThreadCpu.kindOf("ForkJoinPool.co"));
  }

  @Test
  void theLineReadsBackAndOtherStderrIsIgnored() {
    Map<String, Double> seconds = Map.of("program", 1.5, "c2", 0.25);
    String stderr =
        "tombscope: recording to x\n" + ThreadCpu.line(new java.util.TreeMap<>(seconds));
    assertEquals(seconds, ThreadCpu.parse(stderr));
    assertNull(ThreadCpu.parse("no such line\n" + ThreadCpu.PREFIX + " unavailable: x"));
  }

  @Test
  void thisJvmsThreadsAddUpToItsCpu() throws Exception {
    Map<String, Double> seconds = ThreadCpu.byKind();
    assertEquals(ThreadCpu.KINDS, java.util.List.copyOf(seconds.keySet()));
    assertTrue(seconds.values().stream().allMatch(s -> s >= 0), seconds.toString());
    assertTrue(seconds.get("program") > 0, seconds.toString());
  }
}
