package io.tombscope.format;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one segment of a format 2 recording ({@link Segments}): {@code events-NNNNN.jsonl.gz} and
 * {@code histograms-NNNNN.hlog.gz}, each one gzip stream. The agent and a fleet merge both write
 * their segments through it.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Both files are made by the caller's {@link Files}, which decides their permissions and must
 *       refuse a file that exists.
 *   <li>{@link #flush} flushes the histograms first, then the events, each ending a deflate block
 *       with a sync flush: whatever was written before it decompresses even if the process dies
 *       before {@link #close} writes the gzip trailers (a reader then sees the stream end early,
 *       after the last whole interval).
 *   <li>The histogram file starts with HdrHistogram's own header ({@link #hlogHeader}), whose base
 *       time is the recording's start: {@code gzip -dc} of it is what {@code HistogramLogProcessor}
 *       reads.
 *   <li>Not thread-safe: one thread writes a segment.
 * </ol>
 */
public final class SegmentOutput {
  /** Creates a file that must not exist yet. */
  @FunctionalInterface
  public interface Files {
    OutputStream create(Path file) throws IOException;
  }

  private static final int BUFFER_BYTES = 1 << 16;

  private final int index;
  private final Writer events;
  private final OutputStream histograms;

  private SegmentOutput(int index, Writer events, OutputStream histograms) {
    this.index = index;
    this.events = events;
    this.histograms = histograms;
  }

  /**
   * Creates segment {@code index}'s files in {@code dir} with {@code files} and writes the
   * histogram log's header, whose start and base time are {@code startEpochMs}.
   */
  public static SegmentOutput create(Path dir, int index, long startEpochMs, Files files)
      throws IOException {
    return create(dir, index, startEpochMs, files, BUFFER_BYTES);
  }

  /**
   * As {@link #create(Path, int, long, Files)}, with buffers of {@code bufferSize} (bytes, and
   * chars for the events): a writer that lives as long as the program it records keeps them small.
   */
  public static SegmentOutput create(
      Path dir, int index, long startEpochMs, Files files, int bufferSize) throws IOException {
    Writer events =
        new BufferedWriter(
            new OutputStreamWriter(
                gzip(files.create(dir.resolve(Segments.name(Segments.EVENTS, index))), bufferSize),
                StandardCharsets.UTF_8),
            bufferSize);
    OutputStream histograms;
    try {
      histograms =
          new BufferedOutputStream(
              gzip(
                  files.create(dir.resolve(Segments.name(Segments.HISTOGRAMS, index))), bufferSize),
              bufferSize);
      histograms.write(hlogHeader(startEpochMs).getBytes(StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      events.close();
      throw e;
    }
    return new SegmentOutput(index, events, histograms);
  }

  /** A segment that writes nowhere, for a recording without files. */
  public static SegmentOutput none() {
    return new SegmentOutput(-1, Writer.nullWriter(), OutputStream.nullOutputStream());
  }

  private static OutputStream gzip(OutputStream file, int bufferSize) throws IOException {
    try {
      return new GZIPOutputStream(file, bufferSize, true);
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** The segment's number; -1 for {@link #none}. */
  public int index() {
    return index;
  }

  /** The events file's text: JSON and compact lines, each ending in {@code \n}. */
  public Writer events() {
    return events;
  }

  /** The histogram log's bytes after its header: HdrHistogram interval log lines. */
  public OutputStream histograms() {
    return histograms;
  }

  /** Makes everything written so far readable: the histograms first, then the events. */
  public void flush() throws IOException {
    histograms.flush();
    events.flush();
  }

  /** Finishes both gzip streams (the histograms first) and closes the files. */
  public void close() throws IOException {
    try {
      histograms.close();
    } finally {
      events.close();
    }
  }

  /**
   * The lines {@code HistogramLogWriter} writes first (format version, start time, base time,
   * legend), without its {@code String.format} and {@code Date}, whose locale and time-zone data
   * cost a JVM tens of milliseconds of CPU to load: the start time's date is in UTC.
   */
  public static String hlogHeader(long startEpochMs) {
    String seconds = startEpochMs / 1000 + "." + (1000 + startEpochMs % 1000 + "").substring(1);
    long day = Math.floorDiv(startEpochMs, 86_400_000L);
    int second = (int) (Math.floorMod(startEpochMs, 86_400_000L) / 1000);
    LocalDate date = LocalDate.ofEpochDay(day);
    String weekday = date.getDayOfWeek().name();
    String month = date.getMonth().name();
    String utc =
        weekday.charAt(0)
            + weekday.substring(1, 3).toLowerCase(Locale.ROOT)
            + " "
            + month.charAt(0)
            + month.substring(1, 3).toLowerCase(Locale.ROOT)
            + " "
            + two(date.getDayOfMonth())
            + " "
            + two(second / 3600)
            + ":"
            + two(second / 60 % 60)
            + ":"
            + two(second % 60)
            + " UTC "
            + date.getYear();
    return "#[Histogram log format version 1.3]\n"
        + "#[StartTime: "
        + seconds
        + " (seconds since epoch), "
        + utc
        + "]\n"
        + "#[BaseTime: "
        + seconds
        + " (seconds since epoch)]\n"
        + "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
  }

  private static String two(int n) {
    return n < 10 ? "0" + n : Integer.toString(n);
  }
}
