package io.tombscope.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment file names: at least five digits, and listed by their number. */
class SegmentsTest {
  @Test
  void namesPadTheIndexToFiveDigits() {
    assertEquals("events-00000.jsonl.gz", Segments.name(Segments.EVENTS, 0));
    assertEquals("histograms-00042.hlog.gz", Segments.name(Segments.HISTOGRAMS, 42));
    assertEquals("events-99999.jsonl.gz", Segments.name(Segments.EVENTS, 99_999));
    assertEquals("events-123456.jsonl.gz", Segments.name(Segments.EVENTS, 123_456));
  }

  @Test
  void listsWhatNameWrote(@TempDir Path dir) throws Exception {
    for (int i : new int[] {10, 2, 100_000}) {
      Files.createFile(dir.resolve(Segments.name(Segments.EVENTS, i)));
      Files.createFile(dir.resolve(Segments.name(Segments.HISTOGRAMS, i)));
    }
    Files.createFile(dir.resolve("events-7.jsonl.gz"));
    List<Path> events = Segments.list(dir, Segments.EVENTS);
    assertEquals(
        List.of(
            dir.resolve("events-00002.jsonl.gz"),
            dir.resolve("events-00010.jsonl.gz"),
            dir.resolve("events-100000.jsonl.gz")),
        events);
  }
}
