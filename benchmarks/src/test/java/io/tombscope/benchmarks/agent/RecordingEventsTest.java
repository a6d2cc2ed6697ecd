package io.tombscope.benchmarks.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingEventsTest {
  @TempDir Path dir;

  private RecordingEvents read(String content) throws IOException {
    Files.writeString(dir.resolve("events.jsonl"), content);
    return RecordingEvents.read(dir);
  }

  @Test
  void deleteHitsAreTheLastCumulativeCountersOfEachSite() throws IOException {
    RecordingEvents events =
        read(
            "{\"type\":\"counters\",\"t\":1000,\"site\":1,\"deleteHits\":5}\n"
                + "{\"type\":\"counters\",\"t\":1000,\"site\":2,\"deleteHits\":7}\n"
                + "{\"type\":\"agent\",\"t\":1000,\"heapBytesEstimate\":10}\n"
                + "{\"type\":\"counters\",\"t\":2000,\"site\":1,\"deleteHits\":9}\n"
                + "{\"type\":\"agent\",\"t\":2000,\"heapBytesEstimate\":20}\n");
    assertEquals(16, events.deleteHits());
    assertEquals(20, events.last("agent").path("heapBytesEstimate").asLong());
    assertEquals(3, events.ofType("counters").size());
    assertNull(events.last("release"));
  }

  @Test
  void truncatedLastLineIsLeftOut() throws IOException {
    RecordingEvents events =
        read(
            "{\"type\":\"agent\",\"t\":1000,\"heapBytesEstimate\":10}\n"
                + "{\"type\":\"agent\",\"t\":2000,\"heapBy");
    assertEquals(10, events.last("agent").path("heapBytesEstimate").asLong());
  }

  @Test
  void badLineBeforeTheEndNamesFileAndLine() throws IOException {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> read("{\"type\":\"agent\",\"t\":1000}\n{oops\n{\"type\":\"end\",\"t\":5}\n"));
    assertTrue(e.getMessage().contains("events.jsonl:2:"), e.getMessage());
  }

  @Test
  void missingFileIsNamed() {
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> RecordingEvents.read(dir.resolve("none")));
    assertTrue(e.getMessage().contains("events.jsonl"), e.getMessage());
  }
}
