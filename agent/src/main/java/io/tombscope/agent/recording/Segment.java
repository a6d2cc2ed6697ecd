package io.tombscope.agent.recording;

import io.tombscope.format.SegmentOutput;
import io.tombscope.format.Segments;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One segment of a recording, as {@link SegmentOutput} writes it (the agent's files owner-only,
 * {@link RecordingFiles#createFile}), with HdrHistogram's log writer over its histogram file.
 */
final class Segment {
  // The JDK's own buffer sizes: the program's heap holds the four buffers as long as it runs (at
  // 64 Ki each, about 0.3 MiB), and every interval ends with a flush of whole lines anyway.
  private static final int BUFFER_BYTES = 8192;

  final int index;
  final Writer events;
  final PrintStream hlogStream;
  final HistogramLogWriter hlog;
  private final SegmentOutput out;
  private final Path dir;

  private Segment(SegmentOutput out, Path dir, long startEpochMs) {
    this.out = out;
    this.dir = dir;
    this.index = out.index();
    this.events = out.events();
    this.hlogStream = new PrintStream(out.histograms(), false, StandardCharsets.UTF_8);
    this.hlog = new HistogramLogWriter(hlogStream);
    hlog.setBaseTime(startEpochMs);
  }

  /** Creates segment {@code index}'s files in {@code dir}, the histogram log's header written. */
  static Segment create(Path dir, int index, long startEpochMs) throws IOException {
    return new Segment(
        SegmentOutput.create(dir, index, startEpochMs, RecordingFiles::createFile, BUFFER_BYTES),
        dir,
        startEpochMs);
  }

  /** A segment that writes nowhere, for a recording without files (listeners only). */
  static Segment none() {
    return new Segment(SegmentOutput.none(), null, 0);
  }

  /** Makes everything written so far readable: histograms first, then the events. */
  void flush() throws IOException {
    hlogStream.flush();
    checkHlog();
    out.flush();
  }

  /** Finishes both gzip streams. */
  void close() throws IOException {
    try {
      hlogStream.flush();
      checkHlog();
    } finally {
      out.close();
    }
  }

  /** PrintStream keeps its failures to itself: asked here, so that they stop the recording. */
  private void checkHlog() throws IOException {
    if (hlogStream.checkError()) {
      throw new IOException(
          "cannot write " + dir.resolve(Segments.name(Segments.HISTOGRAMS, index)));
    }
  }
}
