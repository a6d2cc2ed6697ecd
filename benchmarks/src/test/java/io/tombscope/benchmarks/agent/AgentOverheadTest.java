package io.tombscope.benchmarks.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.AverageTimeResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ResultRole;

class AgentOverheadTest {
  private static Result<?> nanosPerOp(long nanos) {
    return new AverageTimeResult(ResultRole.PRIMARY, "x", 1, nanos, TimeUnit.NANOSECONDS);
  }

  @Test
  void tableShowsRatiosToTheRunWithoutAgentAndMarksMissedTargets() {
    Map<AgentOverhead.Setup, Map<String, Result<?>>> results = new LinkedHashMap<>();
    List<AgentOverhead.Setup> setups = AgentOverhead.SETUPS;
    results.put(setups.get(0), Map.of("MapChurn.churn size=1000", nanosPerOp(100)));
    results.put(setups.get(1), Map.of("MapChurn.churn size=1000", nanosPerOp(104)));
    results.put(setups.get(2), Map.of("MapChurn.churn size=1000", nanosPerOp(200)));

    String table = AgentOverhead.table(results);

    String row =
        table.lines().filter(l -> l.startsWith("MapChurn.churn")).findFirst().orElseThrow();
    assertTrue(row.contains("1.04 (1.05)"), row);
    assertTrue(row.contains("2.00 (1.50) !"), row);
    assertEquals(1, row.chars().filter(c -> c == '!').count(), row);
  }

  @Test
  void agentSetupsComeAfterTheBaseline() {
    assertEquals(null, AgentOverhead.SETUPS.get(0).agentOptions());
    assertEquals("", AgentOverhead.SETUPS.get(1).agentOptions());
    assertEquals("sample=1", AgentOverhead.SETUPS.get(2).agentOptions());
  }
}
