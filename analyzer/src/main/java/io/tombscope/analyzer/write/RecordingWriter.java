package io.tombscope.analyzer.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.format.CompactLines;
import io.tombscope.format.NumberLine;
import io.tombscope.format.SegmentOutput;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/**
 * Writes a recording of format 2, as the agent does ({@code docs/recording-format.md}): {@code
 * meta.json}, {@code sites.jsonl}, and segments of compact and JSON event lines and histogram logs
 * ({@link SegmentOutput}, {@link CompactLines}). The one place where the analyzer makes recordings
 * (a fleet merge writes through it).
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>It never overwrites a file it did not create: the directory must not exist or be empty, and
 *       every file is created new ({@code CREATE_NEW}, links not followed).
 *   <li>{@link #endInterval} flushes every file, so a reader sees whole intervals only, as with the
 *       agent's recordings; the {@code agent} line must be the interval's last. When the interval
 *       ends the segment ({@code segmentMs} of {@code meta.json}), the next line goes to a new
 *       segment, which starts with no columns, stacks or values: the caller writes every site's
 *       lines again in full there, so that the segment reads on its own.
 *   <li>{@link #abandon()} deletes what it created, nothing else.
 *   <li>Not thread-safe: one thread writes.
 * </ol>
 *
 * <pre>
 * try (RecordingWriter w = RecordingWriter.create(dir, meta)) {
 *   w.site(siteLine);
 *   w.numbers(counters); w.histogram(h); w.event(agentLine);
 *   if (w.endInterval(t)) { ... every site's lines in full next time ... }
 *   w.end(endLine);
 * }</pre>
 */
public final class RecordingWriter implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final boolean createdDir;
  private final List<Path> created = new ArrayList<>();
  private final Writer sites;
  private final long startEpochMs;
  private final long segmentMs;
  private final CompactLines compact = new CompactLines();
  private final StringBuilder stackLines = new StringBuilder();
  private SegmentOutput segment;
  private boolean segmentOver;
  private long lastT;
  private ByteBuffer encoded = ByteBuffer.allocate(1 << 12);
  private final StringBuilder line = new StringBuilder(256);
  private byte[] lineBytes = new byte[1 << 12];
  private Writer fleet;

  private RecordingWriter(Path dir, boolean createdDir, JsonNode meta) throws IOException {
    this.dir = dir;
    this.createdDir = createdDir;
    this.startEpochMs = meta.path("startEpochMs").asLong();
    this.segmentMs = meta.path("segmentMs").asLong();
    if (meta.path("format").asInt() != 2 || segmentMs <= 0) {
      throw new IllegalArgumentException("meta.json of format 2 with its segmentMs: " + meta);
    }
    try (Writer m = writer("meta.json")) {
      m.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta));
      m.write('\n');
    }
    this.sites = writer("sites.jsonl");
    this.segment = SegmentOutput.create(dir, 0, startEpochMs, this::newFile);
  }

  /**
   * Creates the recording in {@code dir} (its parents too) and writes {@code meta}, which must be
   * of format 2 and hold {@code startEpochMs} and {@code segmentMs}. Refuses a {@code dir} that
   * exists and is not an empty directory.
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

  private OutputStream newFile(Path file) throws IOException {
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
        new OutputStreamWriter(newFile(dir.resolve(name)), StandardCharsets.UTF_8), 1 << 16);
  }

  /** The segment lines go to: a new one once an interval ended the one before. */
  private SegmentOutput segment() throws IOException {
    if (segmentOver) {
      segmentOver = false;
      // Numbered by time, as the agent's: a segment k starts at k x segmentMs or later.
      int next =
          (int) Math.min(Integer.MAX_VALUE - 1, Math.max(segment.index() + 1, lastT / segmentMs));
      segment.close();
      segment = SegmentOutput.create(dir, next, startEpochMs, this::newFile);
      compact.newSegment();
    }
    return segment;
  }

  /** A line of {@code sites.jsonl}. */
  public void site(JsonNode line) throws IOException {
    sites.write(JSON.writeValueAsString(line));
    sites.write('\n');
  }

  /** An event line written as a JSON object ({@code agent}, {@code grow}, {@code release} ...). */
  public void event(JsonNode line) throws IOException {
    Writer events = segment().events();
    events.write(JSON.writeValueAsString(line));
    events.write('\n');
  }

  /**
   * A {@code counters}, {@code gauge} or {@code deleteSite} line as a compact line: nothing when
   * its numbers equal the last ones of its site (or stack) in the segment.
   */
  public void numbers(NumberLine numbers) throws IOException {
    segment().events().write(compact.encode(numbers));
  }

  /**
   * The id in the current segment of the delete call stack that {@code key} names (unique per site
   * and stack), its {@code stack} line written first when the segment has not declared it: {@code
   * declaration}'s fields (site, frame, callers ...).
   */
  public int stack(String key, Supplier<String> declaration) throws IOException {
    SegmentOutput s = segment();
    stackLines.setLength(0);
    int id = compact.stack(key, declaration, stackLines);
    s.events().append(stackLines);
    return id;
  }

  /**
   * A histogram of the log; its tag, start and end time stamps (ms since the epoch) say which
   * series, site and period.
   */
  public void histogram(Histogram h) throws IOException {
    OutputStream out = segment().histograms();
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
    line.append(
        Base64.getEncoder()
            .encodeToString(java.util.Arrays.copyOfRange(encoded.array(), 0, length)));
    line.append('\n');
    // A tag is the format's series and site, and the rest is ASCII: one byte per char.
    if (lineBytes.length < line.length()) {
      lineBytes = new byte[Math.max(line.length(), 2 * lineBytes.length)];
    }
    for (int i = 0; i < line.length(); i++) {
      lineBytes[i] = (byte) line.charAt(i);
    }
    out.write(lineBytes, 0, line.length());
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

  /** Whether the interval that ends at {@code t} (ms since the start) ends its segment. */
  public boolean endsSegment(long t) {
    return t >= (segment.index() + 1L) * segmentMs;
  }

  /**
   * Ends the interval that ended at {@code t}: flushes every file, so that it is on disk whole.
   * Returns true when it ended the segment: the next line starts a new one.
   */
  public boolean endInterval(long t) throws IOException {
    sites.flush();
    segment.flush();
    lastT = t;
    segmentOver = endsSegment(t);
    return segmentOver;
  }

  /** The recording's {@code end} line, in the segment of its last interval. */
  public void end(JsonNode line) throws IOException {
    segmentOver = false;
    event(line);
    segment.flush();
  }

  /** A line of {@code fleet.jsonl}, what a merge knows of each JVM (created on first use). */
  public void fleet(JsonNode line) throws IOException {
    if (fleet == null) {
      fleet = writer("fleet.jsonl");
    }
    fleet.write(JSON.writeValueAsString(line));
    fleet.write('\n');
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Closeable c : new Closeable[] {sites, segment::close, fleet}) {
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
