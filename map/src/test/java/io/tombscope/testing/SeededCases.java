package io.tombscope.testing;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Property tests over seeded random cases, on plain JUnit 5.
 *
 * <ol>
 *   <li>Each case draws its inputs from its own {@link Random}, made from one seed.
 *   <li>A failing case fails the test with its seed and the flag that replays it: {@code
 *       -Dtombscope.seed=N} runs exactly that case (pick the test with {@code
 *       -Dtest=Class#method}).
 *   <li>Without the flag every run draws fresh seeds, so the cases differ from run to run.
 *   <li>The number of cases is fixed by the test, which bounds its time.
 * </ol>
 *
 * <pre>{@code
 * SeededCases.check(300, random -> {
 *   long key = random.nextLong(0, 1000);
 *   ...
 * });
 * }</pre>
 */
public final class SeededCases {
  /** The system property that replays one case by its seed. */
  public static final String SEED_PROPERTY = "tombscope.seed";

  /** One case of a property, drawing its inputs from {@code random}. */
  @FunctionalInterface
  public interface Case {
    void check(Random random) throws Exception;
  }

  private SeededCases() {}

  /** Checks {@code property} on {@code cases} seeded cases, or on the one given by the flag. */
  public static void check(int cases, Case property) {
    String replay = System.getProperty(SEED_PROPERTY, "").trim();
    if (!replay.isEmpty()) {
      long seed;
      try {
        seed = Long.parseLong(replay);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(SEED_PROPERTY + "=" + replay + " is not a long", e);
      }
      run(property, seed);
      return;
    }
    SplittableRandom seeds = new SplittableRandom(ThreadLocalRandom.current().nextLong());
    for (int i = 0; i < cases; i++) {
      run(property, seeds.nextLong());
    }
  }

  private static void run(Case property, long seed) {
    try {
      property.check(new Random(seed));
    } catch (Throwable failure) {
      throw new AssertionError(
          "case with seed "
              + seed
              + " failed (replay it with -D"
              + SEED_PROPERTY
              + "="
              + seed
              + "): "
              + failure,
          failure);
    }
  }
}
