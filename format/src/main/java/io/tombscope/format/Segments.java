package io.tombscope.format;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The segment files of a format 2 recording: {@code events-NNNNN.jsonl.gz} and {@code
 * histograms-NNNNN.hlog.gz}, numbered from 0, each one gzip stream that the writer sync-flushes at
 * the end of every interval. A segment the writer has not closed (it is still writing, or died) has
 * no gzip trailer: {@link #open} reads it as far as it goes.
 */
public final class Segments {
  public static final String EVENTS = "events";
  public static final String HISTOGRAMS = "histograms";

  /**
   * The histograms of the open histogram period, so far: a plain interval log that the agent
   * appends to every interval and empties when the period's histograms go into the segment, and
   * deletes at a normal end. Only a recording cut short (a crash, {@code kill -9}) keeps lines in
   * it that no segment holds.
   */
  public static final String HISTOGRAM_TAIL = "histograms-tail.hlog";

  private Segments() {}

  /** The pattern of a segment file's name, made only by a reader (the writer needs no regex). */
  private static final class Names {
    static final Pattern NAME =
        Pattern.compile("(events-\\d{5,9}\\.jsonl|histograms-\\d{5,9}\\.hlog)\\.gz");
  }

  /**
   * {@code events-00003.jsonl.gz} for {@code (EVENTS, 3)}: the index with at least five digits.
   * Built by hand: {@code String.format} would load the JDK's locale data into the agent's start.
   */
  public static String name(String kind, int index) {
    String digits = Integer.toString(index);
    StringBuilder name = new StringBuilder(kind).append('-');
    for (int i = digits.length(); i < 5; i++) {
      name.append('0');
    }
    return name.append(digits).append(kind.equals(EVENTS) ? ".jsonl.gz" : ".hlog.gz").toString();
  }

  /** The segment files of {@code kind} in {@code dir}, in the order of their numbers. */
  public static List<Path> list(Path dir, String kind) throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        Matcher m = Names.NAME.matcher(name);
        if (m.matches() && name.startsWith(kind + "-")) {
          found.put(Long.parseLong(name.substring(kind.length() + 1, name.indexOf('.'))), f);
        }
      }
    }
    return new ArrayList<>(found.values());
  }

  /**
   * The text of {@code file}: decompressed if its name ends in {@code .gz}, as far as the data goes
   * (a stream without its trailer ends where the writer's last flush left it), else as it is.
   *
   * @throws IOException if it cannot be opened, or is not gzip at all
   */
  public static InputStream open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    if (!file.getFileName().toString().endsWith(".gz")) {
      return raw;
    }
    try {
      return new UntilCut(new GZIPInputStream(raw, 1 << 16));
    } catch (EOFException e) {
      raw.close();
      // Not even the gzip header was written: the writer stopped as it created the segment.
      return InputStream.nullInputStream();
    } catch (IOException e) {
      raw.close();
      throw new IOException("not a gzip file: " + e.getMessage(), e);
    }
  }

  /** A gzip stream that ends quietly where its data ends, trailer or not. */
  private static final class UntilCut extends FilterInputStream {
    private boolean cut;

    UntilCut(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (cut) {
        return -1;
      }
      try {
        return in.read(b, off, len);
      } catch (EOFException e) {
        cut = true;
        return -1;
      }
    }
  }
}
