package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fastutil's maps behave the same under the agent: {@link FastutilSameBehaviourProgram} runs the
 * same seeded operations (iterator removes included) without and with the packaged agent, on
 * fastutil 8.5.19 and 8.5.12, and must print the same digest of every value the maps returned and
 * every table size they had, each run held to JDK maps as it goes.
 */
class FastutilSameBehaviourIT {
  private static final String SEEDS = "12";
  private static final String OPERATIONS = "6000";

  @TempDir Path tmp;

  @Test
  void fastutil8519BehavesTheSameUnderTheAgent() throws Exception {
    check(ForkedJvm.programClassPath());
  }

  @Test
  void fastutil8512BehavesTheSameUnderTheAgent() throws Exception {
    check(FastutilIT.withFastutil8512());
  }

  private void check(String classPath) throws Exception {
    ForkedJvm without =
        ForkedJvm.run(
            null,
            List.of(),
            (String) null,
            classPath,
            FastutilSameBehaviourProgram.class,
            SEEDS,
            OPERATIONS);
    assertEquals(0, without.exitCode(), without.stdout() + without.stderr());
    assertEquals(
        Integer.parseInt(SEEDS),
        without.stdout().lines().filter(l -> l.startsWith("SEED ")).count(),
        without.stdout());

    ForkedJvm with =
        ForkedJvm.run(
            null,
            List.of(),
            "out=" + tmp.resolve("rec") + ",interval=100ms",
            classPath,
            FastutilSameBehaviourProgram.class,
            SEEDS,
            OPERATIONS);
    assertEquals(0, with.exitCode(), with.stdout() + with.stderr());
    assertEquals(without.stdout(), with.stdout(), "the maps did the same under the agent");
    assertEquals("", with.agentStderr());
  }
}
