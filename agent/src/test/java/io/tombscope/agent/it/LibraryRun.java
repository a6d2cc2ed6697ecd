package io.tombscope.agent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One release of a library on one JVM, for a family's forked tests: each runs on two releases of
 * its library, on this JVM and on Temurin 25 (skipped where it is not installed), as a
 * {@code @ParameterizedTest} over {@link #matrix}.
 *
 * @param release the library's release, as the test's name shows it
 * @param java the {@code java} launcher, or null for this JVM's own
 * @param classPath the forked program's class path, with that release of the library on it
 */
record LibraryRun(String release, Path java, Supplier<String> classPath) {
  static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /**
   * {@code first} and {@code second} (a release's name and its class path), each on this JVM and on
   * Temurin 25.
   */
  static Stream<LibraryRun> matrix(
      String first,
      Supplier<String> firstClassPath,
      String second,
      Supplier<String> secondClassPath) {
    List<LibraryRun> runs = new ArrayList<>();
    for (Path java : new Path[] {null, TEMURIN_25}) {
      runs.add(new LibraryRun(first, java, firstClassPath));
      runs.add(new LibraryRun(second, java, secondClassPath));
    }
    return runs.stream();
  }

  static boolean temurin25Installed() {
    return Files.isExecutable(TEMURIN_25);
  }

  /**
   * Forks {@code main} with {@code agentOptions} (null: no agent) on this release and JVM; a run on
   * Temurin 25 where it is not installed is skipped.
   */
  ForkedJvm run(String agentOptions, Class<?> main, String... args)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(java == null || temurin25Installed(), TEMURIN_25 + " is not installed");
    // Java 21+ warns of a dynamically loaded agent (the tests' self-attach) unless allowed.
    List<String> jvmArgs = java == null ? List.of() : List.of("-XX:+EnableDynamicAgentLoading");
    return ForkedJvm.run(java, jvmArgs, agentOptions, classPath.get(), main, args);
  }

  @Override
  public String toString() {
    return release + (java == null ? " on Java " + Runtime.version().feature() : " on Temurin 25");
  }
}
