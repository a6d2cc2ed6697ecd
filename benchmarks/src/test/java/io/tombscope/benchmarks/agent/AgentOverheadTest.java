package io.tombscope.benchmarks.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

  @Test
  void leadingOptionsChooseTheSetupsAndTheRestGoesToJmh() {
    AgentOverhead.Parsed plain = AgentOverhead.parse(new String[] {"-f", "2"});
    assertEquals(AgentOverhead.SETUPS, plain.setups());
    assertEquals(List.of("-f", "2"), List.of(plain.jmhArgs()));

    AgentOverhead.Parsed chosen =
        AgentOverhead.parse(
            new String[] {"--options", "callsites=off", "--options", "sample=off", "-i", "5"});
    assertEquals(
        Arrays.asList(null, "", "callsites=off", "sample=off"),
        chosen.setups().stream().map(AgentOverhead.Setup::agentOptions).toList());
    assertEquals("agent callsites=off", chosen.setups().get(2).label());
    assertEquals(List.of("-i", "5"), List.of(chosen.jmhArgs()));

    AgentOverhead.Parsed prometheus =
        AgentOverhead.parse(new String[] {"--prometheus", "--options", "callsites=off"});
    assertEquals(
        Arrays.asList(null, "", "prometheus=0", "callsites=off"),
        prometheus.setups().stream().map(AgentOverhead.Setup::agentOptions).toList());
    assertEquals(0, prometheus.jmhArgs().length);
  }

  @Test
  void aLibraryBenchmarkAddsEachLeadingOptionsAgainstItsOwnTarget() {
    AgentOverhead.Parsed plain =
        AgentOverhead.parseLibrary(new String[] {"-f", "2"}, TroveAgentOverhead.SETUPS);
    assertEquals(TroveAgentOverhead.SETUPS, plain.setups());
    assertEquals(List.of("-f", "2"), List.of(plain.jmhArgs()));

    AgentOverhead.Parsed chosen =
        AgentOverhead.parseLibrary(
            new String[] {"--options", "callsites=65536,sample=256", "-wi", "10"},
            TroveAgentOverhead.SETUPS);
    assertEquals(
        Arrays.asList(null, "", "callsites=65536,sample=256"),
        chosen.setups().stream().map(AgentOverhead.Setup::agentOptions).toList());
    assertEquals(1.10, chosen.setups().get(2).targetRatio());
    assertEquals(List.of("-wi", "10"), List.of(chosen.jmhArgs()));
  }
}
