package io.tombscope.analyzer.read;

import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.render.ReportBuilder;
import io.tombscope.analyzer.render.SummaryJson;
import io.tombscope.testing.SeededCases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated recordings (truncated, bytes flipped, lines deleted or duplicated) never make the reader,
 * the analysis or the rendering throw anything but a {@link RecordingException}.
 */
class RecordingReaderFuzzProperties {
  private static final List<String> FILES =
      List.of("events.jsonl", "histograms.hlog", "sites.jsonl", "meta.json");

  @TempDir Path base;

  enum Mutation {
    TRUNCATE,
    FLIP_BYTES,
    DELETE_LINE,
    DUPLICATE_LINE,
    SWAP_LINES,
    EMPTY
  }

  @Test
  void mutatedRecordingsNeverThrowAnythingElse() throws Exception {
    Path original = RecordingFixture.threeSites(base.resolve("original")).write();
    SeededCases.check(
        150,
        random -> {
          String file = FILES.get(random.nextInt(FILES.size()));
          Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
          mutatedRecordingNeverThrowsAnythingElse(original, file, mutation, random.nextLong());
        });
  }

  private void mutatedRecordingNeverThrowsAnythingElse(
      Path original, String file, Mutation mutation, long seed) throws Exception {
    Path dir = Files.createTempDirectory(base, "m");
    for (String f : FILES) {
      Files.copy(original.resolve(f), dir.resolve(f));
    }
    Path target = dir.resolve(file);
    byte[] bytes = Files.readAllBytes(target);
    Random random = new Random(seed);
    Files.write(target, mutate(bytes, mutation, random));
    try {
      Recording r = RecordingReader.read(dir);
      var analysis = Analyzer.analyze(r);
      SummaryJson.render(analysis);
      ReportBuilder.build(analysis).render();
    } catch (RecordingException expected) {
      // the documented failure: one line naming file and line
      if (!expected.getMessage().contains(dir.toString())) {
        throw new AssertionError(
            file + " " + mutation + ": error does not name the file: " + expected.getMessage());
      }
    }
  }

  private static byte[] mutate(byte[] bytes, Mutation m, Random random) {
    if (bytes.length == 0) {
      return bytes;
    }
    switch (m) {
      case TRUNCATE:
        return Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case FLIP_BYTES:
        byte[] copy = bytes.clone();
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
          copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
      case EMPTY:
        return new byte[0];
      default:
        List<String> lines = new java.util.ArrayList<>(List.of(new String(bytes).split("\n", -1)));
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        if (m == Mutation.DELETE_LINE) {
          lines.remove(i);
        } else if (m == Mutation.DUPLICATE_LINE) {
          lines.add(i, lines.get(i));
        } else {
          String x = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, x);
        }
        return String.join("\n", lines).getBytes();
    }
  }
}
