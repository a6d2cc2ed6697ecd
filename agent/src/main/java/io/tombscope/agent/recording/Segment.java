package io.tombscope.agent.recording;

import io.tombscope.format.Segments;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One segment of a recording: {@code events-NNNNN.jsonl.gz} and {@code histograms-NNNNN.hlog.gz},
 * each one gzip stream. Every {@link #flush} ends a deflate block with a sync flush, so whatever
 * was written before it decompresses even if the process dies before {@link #close} writes the gzip
 * trailer (a reader then sees the stream end early, after the last whole interval). The histogram
 * file is a complete HdrHistogram log of its own: {@code gzip -dc} of it is what {@code
 * HistogramLogProcessor} reads.
 */
final class Segment {
  // The JDK's own buffer sizes: the program's heap holds the four buffers as long as it runs (at
  // 64 Ki each, about 0.3 MiB), and every interval ends with a flush of whole lines anyway.
  private static final int BUFFER = 8192;

  final int index;
  final Writer events;
  final PrintStream hlogStream;
  final HistogramLogWriter hlog;
  private final Path hlogFile;

  private Segment(int index, Writer events, PrintStream hlogStream, Path hlogFile) {
    this.index = index;
    this.events = events;
    this.hlogStream = hlogStream;
    this.hlog = new HistogramLogWriter(hlogStream);
    this.hlogFile = hlogFile;
  }

  /**
   * Creates segment {@code index}'s files in {@code dir} ({@link RecordingFiles#createFile}) and
   * writes the histogram log's header, whose base time is the recording's start.
   */
  static Segment create(Path dir, int index, long startEpochMs) throws IOException {
    Writer events =
        new BufferedWriter(
            new OutputStreamWriter(
                gzip(RecordingFiles.createFile(dir.resolve(Segments.name(Segments.EVENTS, index)))),
                StandardCharsets.UTF_8),
            BUFFER);
    Path hlogFile = dir.resolve(Segments.name(Segments.HISTOGRAMS, index));
    PrintStream hlogStream;
    try {
      hlogStream =
          new PrintStream(
              new BufferedOutputStream(gzip(RecordingFiles.createFile(hlogFile)), BUFFER),
              false,
              StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      events.close();
      throw e;
    }
    Segment s = new Segment(index, events, hlogStream, hlogFile);
    s.hlog.setBaseTime(startEpochMs);
    s.hlogStream.print(RecordingWriter.hlogHeader(startEpochMs));
    return s;
  }

  /** A segment that writes nowhere, for a recording without files (listeners only). */
  static Segment none() {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    return new Segment(-1, Writer.nullWriter(), nowhere, null);
  }

  private static OutputStream gzip(OutputStream file) throws IOException {
    try {
      return new GZIPOutputStream(file, BUFFER, true);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Makes everything written so far readable: histograms first, then the events. */
  void flush() throws IOException {
    hlogStream.flush();
    if (hlogStream.checkError()) {
      throw new IOException("cannot write " + hlogFile);
    }
    events.flush();
  }

  /** Finishes both gzip streams. */
  void close() throws IOException {
    try {
      hlogStream.close();
      if (hlogStream.checkError()) {
        throw new IOException("cannot write " + hlogFile);
      }
    } finally {
      events.close();
    }
  }
}
