package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tombscope.format.SegmentOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.TimeZone;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;

class HlogHeaderTest {
  /** The header is byte for byte HistogramLogWriter's own in a JVM whose time zone is UTC. */
  @Test
  void theHeaderIsHistogramLogWritersInUtc() {
    TimeZone zone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    try {
      java.util.Random random = new java.util.Random(21);
      long[] times = new long[200];
      times[0] = 0;
      times[1] = 1_000;
      times[2] = 951_782_400_999L; // 2000-02-29
      times[3] = 1_796_281_277_007L;
      for (int i = 4; i < times.length; i++) {
        times[i] = (long) (random.nextDouble() * 4_102_444_800_000L); // to 2100
      }
      for (long t : times) {
        assertEquals(hdrHistogramHeader(t), SegmentOutput.hlogHeader(t), "at " + t);
      }
    } finally {
      TimeZone.setDefault(zone);
    }
  }

  private static String hdrHistogramHeader(long startMs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    HistogramLogWriter w = new HistogramLogWriter(out);
    w.outputLogFormatVersion();
    w.outputStartTime(startMs);
    w.setBaseTime(startMs);
    w.outputBaseTime(startMs);
    w.outputLegend();
    out.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
