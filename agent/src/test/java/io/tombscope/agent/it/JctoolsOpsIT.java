package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JCTools' maps behave the same under the agent: {@link JctoolsOpsProgram} runs random operation
 * sequences (removes through iterators and views included) from seeds drawn from one fixed seed,
 * with and without the packaged agent, and every result and the final contents must match; the
 * recording must have counted deletes, so the advice ran.
 */
class JctoolsOpsIT {
  private static final int SEEDS = 24;

  @TempDir Path tmp;

  @Test
  void everyResultIsTheSameWithAndWithoutTheAgent() throws Exception {
    Random seeds = new Random(20261203L);
    String[] args =
        LongStream.generate(seeds::nextLong)
            .limit(SEEDS)
            .mapToObj(Long::toString)
            .toArray(String[]::new);
    ForkedJvm without = ForkedJvm.run(null, JctoolsOpsProgram.class, args);
    assertEquals(0, without.exitCode(), without.stderr());
    assertEquals(SEEDS, without.stdout().lines().count(), without.stdout());

    Path rec = tmp.resolve("rec");
    ForkedJvm with = ForkedJvm.run("out=" + rec + ",interval=100ms", JctoolsOpsProgram.class, args);
    assertEquals(0, with.exitCode(), with.stderr());
    List<String> expected = without.stdout().lines().toList();
    List<String> actual = with.stdout().lines().toList();
    for (int i = 0; i < SEEDS; i++) {
      assertEquals(expected.get(i), actual.get(i), "seed " + args[i]);
    }

    List<Long> deletes =
        RecordingLines.events(rec).stream()
            .filter(e -> e.get("type").asText().equals("counters"))
            .map(e -> e.get("deleteHits").asLong())
            .collect(Collectors.toList());
    assertTrue(deletes.stream().anyMatch(d -> d > 0), "the agent counted the removes");
  }
}
