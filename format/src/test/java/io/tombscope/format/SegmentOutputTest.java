package io.tombscope.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment's two gzip files: readable after every flush, whole after the close. */
class SegmentOutputTest {
  @TempDir Path dir;

  private static SegmentOutput.Files createNew() {
    return file -> Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
  }

  private static String text(Path file) throws IOException {
    try (InputStream in = Segments.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void whatWasFlushedReadsBeforeTheCloseAndAllOfItAfter() throws IOException {
    SegmentOutput s = SegmentOutput.create(dir, 3, 1_796_281_277_007L, createNew());
    Path events = dir.resolve(Segments.name(Segments.EVENTS, 3));
    Path histograms = dir.resolve(Segments.name(Segments.HISTOGRAMS, 3));
    s.events().write("{\"type\":\"agent\",\"t\":1000}\n");
    s.histograms().write("Tag=deleteLatency/1,0.000,1.000,0.001,HISTFAAAA\n".getBytes());
    s.flush();
    s.events().write("{\"type\":\"agent\",\"t\":2000}\n");
    // Without its trailer, as a killed writer leaves it: up to the last flush.
    assertEquals("{\"type\":\"agent\",\"t\":1000}\n", text(events));
    String header = SegmentOutput.hlogHeader(1_796_281_277_007L);
    assertTrue(header.startsWith("#[Histogram log format version 1.3]\n"), header);
    assertTrue(header.contains("#[StartTime: 1796281277.007 (seconds since epoch), "), header);
    assertEquals(header + "Tag=deleteLatency/1,0.000,1.000,0.001,HISTFAAAA\n", text(histograms));
    s.close();
    assertEquals(
        "{\"type\":\"agent\",\"t\":1000}\n{\"type\":\"agent\",\"t\":2000}\n", text(events));
  }

  @Test
  void refusesAFileThatExists() throws IOException {
    Files.writeString(dir.resolve(Segments.name(Segments.HISTOGRAMS, 0)), "mine");
    assertThrows(
        FileAlreadyExistsException.class, () -> SegmentOutput.create(dir, 0, 0, createNew()));
    assertEquals("mine", Files.readString(dir.resolve(Segments.name(Segments.HISTOGRAMS, 0))));
  }
}
