package io.tombscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.testing.SeededCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings cut, corrupted and crafted (truncations, flipped bytes, lines deleted, duplicated,
 * inserted or swapped, numbers made huge, negative, fractional or NaN, files emptied or missing),
 * run through the real command line in-process: {@code summary --json}, and for some cases {@code
 * summary}, {@code report} and {@code diff}. The bases are the frozen recordings of {@link
 * FrozenRecordingsTest} (format 1, and format 2 with its compressed segments: mutated either as
 * compressed bytes or in their text, compressed again) and two fixtures. The rules, for every run:
 *
 * <ol>
 *   <li>the exit code is 0 (read, perhaps with warnings) or 2 (one line naming the file), never 1;
 *   <li>no stack trace, and no exception's name instead of the problem;
 *   <li>no negative or overflowed number in the output, but where {@code docs/summary-json.md} says
 *       one may be negative;
 *   <li>no run over 10 s.
 * </ol>
 *
 * <p>The cases are seeded ({@link SeededCases}): a failure names its seed, and {@code
 * -Dtombscope.seed=N} replays it.
 */
class RecordingFuzzTest {
  private static final int CASES = 250;
  private static final List<String> ODD_NUMBERS =
      List.of(
          "-1",
          "-9223372036854775808",
          "9223372036854775807",
          "18446744073709551616",
          "281474976710657",
          "2147483648",
          "1e300",
          "-1e300",
          "0.5",
          "NaN",
          "-0",
          "1099511627776");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXCEPTION_NAME =
      Pattern.compile("\\b[A-Z][A-Za-z]*(Exception|Error)\\b|java\\.[a-z]+\\.");

  /** Larger than any number the analyzer can sum from values it accepts (2^53). */
  private static final double OVERFLOWED = 9.007199254740992e15;

  @TempDir Path base;

  enum Mutation {
    TRUNCATE,
    FLIP_BYTES,
    DELETE_LINE,
    DUPLICATE_LINE,
    INSERT_LINE,
    SWAP_LINES,
    ODD_NUMBER,
    EMPTY,
    MISSING
  }

  @Test
  void mutatedRecordingsNeverFailTheCommandLine() throws Exception {
    List<Path> originals = new ArrayList<>();
    FrozenRecordingsTest.recordings().forEach(v -> originals.add(v.resolve("rec")));
    originals.add(RecordingFixture.threeSites(base.resolve("three")).write());
    originals.add(RecordingFixture.jdkSites(base.resolve("jdk")).write());
    originals.add(crashedWithTail(base.resolve("crashed")));
    SeededCases.check(
        CASES,
        random -> {
          Path original = originals.get(random.nextInt(originals.size()));
          Path dir = Files.createTempDirectory(base, "m");
          String mutations =
              original.getParent().getFileName()
                  + "/"
                  + original.getFileName()
                  + mutatedCopy(original, dir, random);
          // Each run costs about 100 ms, most of it the command line's own start: the JSON summary
          // (the numbers) every case, the text every other, the report and the diff one in ten.
          check(mutations, dir, "summary", "--json", dir.toString());
          if (random.nextBoolean()) {
            check(mutations, dir, "summary", dir.toString());
          }
          if (random.nextInt(10) == 0) {
            check(mutations, dir, "report", dir.toString(), "-o", dir.resolve("r.html").toString());
            check(mutations, dir, "diff", original.toString(), dir.toString());
          }
        });
  }

  /**
   * The same mutations of one of two recordings given to {@code merge}: the merge reads what it can
   * (a corrupt segment costs that segment) or stops with one line naming the file and leaves
   * nothing behind, and what it wrote reads.
   */
  @Test
  void mutatedInputsNeverFailTheMerge() throws Exception {
    List<Path> originals = new ArrayList<>();
    FrozenRecordingsTest.recordings().forEach(v -> originals.add(v.resolve("rec")));
    originals.add(RecordingFixture.threeSites(base.resolve("three")).write());
    SeededCases.check(
        MERGE_CASES,
        random -> {
          Path original = originals.get(random.nextInt(originals.size()));
          Path intact = Files.createTempDirectory(base, "a");
          try (var list = Files.list(original)) {
            for (Path f : list.toList()) {
              Files.copy(f, intact.resolve(f.getFileName()));
            }
          }
          Path dir = Files.createTempDirectory(base, "m");
          String what =
              "merge of " + original.getParent().getFileName() + mutatedCopy(original, dir, random);
          Path merged = base.resolve(dir.getFileName() + "-merged");
          int exit =
              check(
                  what.toString(),
                  dir,
                  "merge",
                  intact.toString(),
                  dir.toString(),
                  "-o",
                  merged.toString());
          if (exit == 0) {
            check(what + ", then the merge", merged, "summary", "--json", merged.toString());
          } else if (Files.exists(merged)) {
            throw new AssertionError(what + ": a failed merge left " + merged);
          }
        });
  }

  private static final int MERGE_CASES = 60;

  /** The frozen format 2 recording as a kill within a histogram period leaves it, tail and all. */
  private static Path crashedWithTail(Path dir) throws IOException {
    return SegmentedRecordingTest.crashedWithTail(
        SegmentedRecordingTest.copyOfFrozen(dir.resolve("rec")), "");
  }

  /**
   * Copies the recording {@code original} into {@code dir} and mutates one to three of its files
   * there; returns what was done, for messages.
   */
  private static String mutatedCopy(Path original, Path dir, Random random) throws IOException {
    List<String> files = new ArrayList<>();
    try (var list = Files.list(original)) {
      for (Path f : list.sorted().toList()) {
        files.add(f.getFileName().toString());
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
    StringBuilder what = new StringBuilder();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      String file = files.get(random.nextInt(files.size()));
      Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
      boolean text = file.endsWith(".gz") && random.nextBoolean();
      what.append(", ").append(m).append(text ? " the text of " : " ").append(file);
      if (text) {
        mutateText(dir.resolve(file), m, random);
      } else {
        mutate(dir.resolve(file), m, random);
      }
    }
    return what.toString();
  }

  /** Runs a command and checks the rules above; returns its exit code. */
  private static int check(String mutations, Path dir, String... args) {
    String command =
        String.join(
            " ",
            Arrays.asList(args)
                .subList(0, args[0].equals("summary") && args[1].equals("--json") ? 2 : 1));
    CliRun run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> CliRun.of(args),
            mutations + ": " + command + " over 10 s");
    String context = mutations + ": " + command + " exited " + run.exitCode() + "\n" + run.err();
    if (run.exitCode() != 0 && run.exitCode() != 2) {
      throw new AssertionError(context);
    }
    // The output may name JDK classes (a site of java.lang.ThreadLocal$ThreadLocalMap); stderr,
    // where problems are told, may not.
    if (run.out().contains("\tat ")
        || run.err().contains("\tat ")
        || EXCEPTION_NAME.matcher(run.err()).find()
        || run.err().contains("Input length =")) {
      throw new AssertionError("a stack trace or an exception's name: " + context);
    }
    if (run.exitCode() == 2) {
      String[] lines = run.err().strip().split("\n");
      String last = lines[lines.length - 1];
      if (!last.startsWith("tombscope: ") || !last.contains(dir.toString())) {
        throw new AssertionError("the error does not name the file: " + context);
      }
      return run.exitCode();
    }
    if (command.equals("summary --json")) {
      JsonNode json;
      try {
        json = JSON.readTree(run.out());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + context + run.out(), e);
      }
      numbers(json, "", context);
    } else if (command.equals("summary")) {
      for (String line : run.out().split("\n")) {
        if (line.startsWith("deletes: ")
            || line.startsWith("tombstones: ")
            || line.startsWith("released: ")
            || line.startsWith("JDK maps: ")) {
          Matcher m = Pattern.compile("-\\d|\\d{17,}|NaN|Infinity").matcher(line.replace(",", ""));
          if (m.find()) {
            throw new AssertionError("'" + m.group() + "' in '" + line + "': " + context);
          }
        }
      }
    }
    return run.exitCode();
  }

  /** Every number of the JSON summary: not negative but where the schema allows, not overflowed. */
  private static void numbers(JsonNode node, String path, String context) {
    if (node.isObject()) {
      node.fields().forEachRemaining(f -> numbers(f.getValue(), path + "." + f.getKey(), context));
    } else if (node.isArray()) {
      node.forEach(e -> numbers(e, path + "[]", context));
    } else if (node.isNumber()) {
      double v = node.asDouble();
      boolean mayBeNegative =
          path.startsWith(".releases[].released.") || (path.endsWith(".rssBytes") && v == -1);
      if (Double.isNaN(v) || Math.abs(v) > OVERFLOWED || (v < 0 && !mayBeNegative)) {
        throw new AssertionError(path + " is " + node + ": " + context);
      }
    }
  }

  private static void mutate(Path file, Mutation m, Random random) throws IOException {
    if (m == Mutation.MISSING) {
      Files.deleteIfExists(file);
      return;
    }
    if (!Files.exists(file)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0 || m == Mutation.EMPTY) {
      Files.write(file, new byte[0]);
      return;
    }
    switch (m) {
      case TRUNCATE -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case FLIP_BYTES -> {
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      default -> {
        List<String> lines =
            new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n", -1)));
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        switch (m) {
          case DELETE_LINE -> lines.remove(i);
          case DUPLICATE_LINE -> lines.add(i, lines.get(i));
          case INSERT_LINE ->
              lines.add(i, random.nextBoolean() ? lines.get(j) : "{\"type\":\"agent\",\"t\":1}");
          case SWAP_LINES -> {
            String x = lines.get(i);
            lines.set(i, lines.get(j));
            lines.set(j, x);
          }
          case ODD_NUMBER -> lines.set(i, oddNumber(lines.get(i), random));
          default -> throw new IllegalStateException(m.toString());
        }
        bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
      }
    }
    Files.write(file, bytes);
  }

  /**
   * Mutates what a compressed segment holds: decompressed as far as it goes, mutated, and
   * compressed again, with its gzip trailer or, one time in two, without (a segment cut short).
   */
  private static void mutateText(Path file, Mutation m, Random random) throws IOException {
    if (m == Mutation.MISSING || !Files.exists(file)) {
      mutate(file, m, random);
      return;
    }
    Path plain = file.resolveSibling(file.getFileName() + ".plain");
    try (var in = io.tombscope.format.Segments.open(file)) {
      Files.write(plain, in.readAllBytes());
    } catch (IOException notGzip) {
      // An earlier mutation of this case left no gzip to decompress: mutate its bytes instead.
      mutate(file, m, random);
      return;
    }
    mutate(plain, m, random);
    byte[] text = Files.readAllBytes(plain);
    Files.delete(plain);
    var bytes = new java.io.ByteArrayOutputStream();
    var gzip = new java.util.zip.GZIPOutputStream(bytes, true);
    gzip.write(text);
    if (random.nextBoolean()) {
      gzip.close();
    } else {
      gzip.flush();
    }
    Files.write(file, bytes.toByteArray());
  }

  /** {@code line} with one of its numbers replaced by a huge, negative, fractional or NaN one. */
  private static String oddNumber(String line, Random random) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = NUMBER.matcher(line);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return line;
    }
    int[] s = spans.get(random.nextInt(spans.size()));
    String odd = ODD_NUMBERS.get(random.nextInt(ODD_NUMBERS.size()));
    return line.substring(0, s[0]) + odd + line.substring(s[1]);
  }
}
