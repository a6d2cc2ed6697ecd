package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fastutil's maps behave the same under the agent: {@link FastutilSameBehaviourProgram} runs the
 * same seeded operations (iterator removes included) without and with the packaged agent, on
 * fastutil 8.5.19 and 8.5.12, on this JVM and Temurin 25, and must print the same digest of every
 * value the maps returned and every table size they had, each run held to JDK maps as it goes.
 */
class FastutilSameBehaviourIT {
  private static final String SEEDS = "12";
  private static final String OPERATIONS = "6000";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.tombscope.agent.it.FastutilIT#runs")
  void fastutilBehavesTheSameUnderTheAgent(LibraryRun release) throws Exception {
    check(release);
  }

  private void check(LibraryRun release) throws Exception {
    ForkedJvm without = release.run(null, FastutilSameBehaviourProgram.class, SEEDS, OPERATIONS);
    assertEquals(0, without.exitCode(), without.stdout() + without.stderr());
    assertEquals(
        Integer.parseInt(SEEDS),
        without.stdout().lines().filter(l -> l.startsWith("SEED ")).count(),
        without.stdout());

    ForkedJvm with =
        release.run(
            "out=" + tmp.resolve("rec") + ",interval=100ms",
            FastutilSameBehaviourProgram.class,
            SEEDS,
            OPERATIONS);
    assertEquals(0, with.exitCode(), with.stdout() + with.stderr());
    assertEquals(without.stdout(), with.stdout(), "the maps did the same under the agent");
    assertEquals("", with.agentStderr());
  }
}
