package io.tombscope.agent.recording;

import io.tombscope.format.SegmentOutput;
import io.tombscope.format.Segments;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The histograms of the open histogram period so far, in {@code histograms-tail.hlog} beside the
 * segments, so that a crash loses at most the interval in progress of the histograms too, not their
 * whole period.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>At the end of each interval of a period, the flusher appends one line per series and site
 *       whose counts changed since its last line here: the histogram from the period's start to
 *       that interval's end. A tag's last line of a complete interval is what a reader uses.
 *   <li>{@link #flush} runs before the interval's events are flushed, so the tail is never behind
 *       the intervals the events hold.
 *   <li>Once a period's histograms are flushed into the segment, {@link #restart} empties the file
 *       down to its header through the channel that created it: the agent never reopens it, so it
 *       never writes a file it did not create.
 *   <li>At a normal end the file is deleted: a finished recording has none.
 *   <li>Flusher thread only (and the shutdown hook's last flush, under the writer's lock).
 * </ol>
 */
final class HistogramTail {
  private final Path file;
  private final SeekableByteChannel channel;
  private final PrintStream out;
  private final String header;
  final HistogramLogWriter log;

  private HistogramTail(Path file, SeekableByteChannel channel, String header) {
    this.file = file;
    this.channel = channel;
    this.out =
        new PrintStream(
            new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16),
            false,
            StandardCharsets.UTF_8);
    this.header = header;
    this.log = new HistogramLogWriter(out);
  }

  /** Creates the file in {@code dir} ({@link RecordingFiles#createChannel}) with its header. */
  static HistogramTail create(Path dir, long startEpochMs) throws IOException {
    Path file = dir.resolve(Segments.HISTOGRAM_TAIL);
    HistogramTail tail =
        new HistogramTail(
            file, RecordingFiles.createChannel(file), SegmentOutput.hlogHeader(startEpochMs));
    tail.log.setBaseTime(startEpochMs);
    tail.out.print(tail.header);
    tail.flush();
    return tail;
  }

  /** Appends {@code h}, which carries its tag and times. */
  void append(Histogram h) {
    log.outputIntervalHistogram(h);
  }

  /** Hands what was appended to the file. */
  void flush() throws IOException {
    out.flush();
    if (out.checkError()) {
      throw new IOException("cannot write " + file);
    }
  }

  /** Empties the file down to its header: the period it held is in the segment now. */
  void restart() throws IOException {
    flush();
    channel.truncate(0); // and the position with it
    out.print(header);
    flush();
  }

  /** Closes and deletes the file. */
  void delete() throws IOException {
    out.close();
    if (out.checkError()) {
      throw new IOException("cannot write " + file);
    }
    Files.deleteIfExists(file);
  }
}
