package io.tombscope.analyzer.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes a recording in the format the analyzer reads ({@code docs/recording-format.md}): the one
 * place where the analyzer makes recordings (a fleet merge writes through it).
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>It never overwrites a file it did not create: the directory must not exist or be empty, and
 *       every file is created new ({@code CREATE_NEW}, links not followed).
 *   <li>{@link #endInterval()} flushes every file, so a reader sees whole intervals only, as with
 *       the agent's recordings; the {@code agent} line must be the interval's last.
 *   <li>{@link #abandon()} deletes what it created, nothing else.
 *   <li>Not thread-safe: one thread writes.
 * </ol>
 *
 * <pre>
 * try (RecordingWriter w = RecordingWriter.create(dir, meta)) {
 *   w.site(siteLine);
 *   w.event(countersLine); w.histogram(h); w.event(agentLine); w.endInterval();
 * }</pre>
 */
public final class RecordingWriter implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final boolean createdDir;
  private final List<Path> created = new ArrayList<>();
  private final Writer sites;
  private final Writer events;
  private final Writer hlog;
  private ByteBuffer encoded = ByteBuffer.allocate(1 << 12);
  private final StringBuilder line = new StringBuilder(256);
  private final long startEpochMs;
  private Writer fleet;

  private RecordingWriter(Path dir, boolean createdDir, JsonNode meta) throws IOException {
    this.dir = dir;
    this.createdDir = createdDir;
    this.startEpochMs = meta.path("startEpochMs").asLong();
    try (Writer m = writer("meta.json")) {
      m.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
      m.write('\n');
    }
    this.sites = writer("sites.jsonl");
    this.events = writer("events.jsonl");
    this.hlog = writer("histograms.hlog");
    // HdrHistogram's own header, as its HistogramLogWriter writes it.
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(header, false, StandardCharsets.UTF_8)) {
      HistogramLogWriter w = new HistogramLogWriter(p);
      w.outputLogFormatVersion();
      w.outputStartTime(startEpochMs);
      w.setBaseTime(startEpochMs);
      w.outputBaseTime(startEpochMs);
      w.outputLegend();
    }
    hlog.write(header.toString(StandardCharsets.UTF_8));
  }

  /**
   * Creates the recording in {@code dir} (its parents too) and writes {@code meta}, which must hold
   * {@code startEpochMs}. Refuses a {@code dir} that exists and is not an empty directory.
   */
  public static RecordingWriter create(Path dir, JsonNode meta) throws IOException {
    boolean createdDir = false;
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
      }
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new DirectoryNotEmptyException(dir.toString());
        }
      }
    } else {
      if (dir.toAbsolutePath().getParent() != null) {
        Files.createDirectories(dir.toAbsolutePath().getParent());
      }
      Files.createDirectory(dir);
      createdDir = true;
    }
    return new RecordingWriter(dir, createdDir, meta);
  }

  public Path directory() {
    return dir;
  }

  private OutputStream newFile(String name) throws IOException {
    Path file = dir.resolve(name);
    OutputStream out =
        Files.newOutputStream(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    created.add(file);
    return out;
  }

  private Writer writer(String name) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(newFile(name), StandardCharsets.UTF_8), 1 << 16);
  }

  /** A line of {@code sites.jsonl}. */
  public void site(JsonNode line) throws IOException {
    sites.write(JSON.writeValueAsString(line));
    sites.write('\n');
  }

  /** A line of {@code events.jsonl}. */
  public void event(JsonNode line) throws IOException {
    events.write(JSON.writeValueAsString(line));
    events.write('\n');
  }

  /**
   * A histogram of the log; its tag, start and end time stamps (ms since the epoch) say which
   * series, site and interval.
   */
  public void histogram(Histogram h) throws IOException {
    int needed = h.getNeededByteBufferCapacity();
    if (encoded.capacity() < needed) {
      encoded = ByteBuffer.allocate(needed);
    }
    encoded.clear();
    // The fastest deflate: the log is as HistogramLogWriter writes it but for how hard it packs.
    int length = h.encodeIntoCompressedByteBuffer(encoded, Deflater.BEST_SPEED);
    line.setLength(0);
    if (h.getTag() != null) {
      line.append("Tag=").append(h.getTag()).append(',');
    }
    long startMs = h.getStartTimeStamp() - startEpochMs;
    thousandths(line, startMs).append(',');
    thousandths(line, h.getEndTimeStamp() - h.getStartTimeStamp()).append(',');
    // Interval_Max in HistogramLogWriter's default unit ratio (1e6), rounded to three places.
    thousandths(line, Math.round(h.getMaxValue() / 1000.0)).append(',');
    line.append(Base64.getEncoder().encodeToString(Arrays.copyOf(encoded.array(), length)));
    line.append('\n');
    hlog.append(line);
  }

  /** {@code value}/1000 with three decimals, as {@code %.3f} prints it. */
  private static StringBuilder thousandths(StringBuilder out, long value) {
    out.append(value / 1000).append('.');
    long frac = value % 1000;
    if (frac < 100) {
      out.append('0');
    }
    if (frac < 10) {
      out.append('0');
    }
    return out.append(frac);
  }

  /** A line of {@code fleet.jsonl}, what a merge knows of each JVM (created on first use). */
  public void fleet(JsonNode line) throws IOException {
    if (fleet == null) {
      fleet = writer("fleet.jsonl");
    }
    fleet.write(JSON.writeValueAsString(line));
    fleet.write('\n');
  }

  /** Flushes every file: the interval written since the last call is on disk, whole. */
  public void endInterval() throws IOException {
    hlog.flush();
    sites.flush();
    events.flush();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Closeable c : new Closeable[] {sites, events, hlog, fleet}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Closes and deletes the files it created, and the directory if it created that. */
  public void abandon() {
    try {
      close();
    } catch (IOException e) {
      // Deleted below.
    }
    for (Path file : created) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Left for the user; the command's error names the directory.
      }
    }
    if (createdDir) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // Not empty: something else wrote there meanwhile.
      }
    }
  }
}
