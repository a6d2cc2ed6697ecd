package io.tombscope.analyzer.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * Reads histogram logs ({@code histograms.hlog}, or format 2's segments one after another), each an
 * HdrHistogram interval log with one tag per series and site, checking each histogram's header
 * ({@link HistogramDecoder}), its interval's place in the recording and the sums' counts, and sums
 * them per series ({@link #totals}) and per site and series, for {@link #addTo} to give the sites.
 *
 * <p>Runs on a thread of its own beside the events' reader: it shares nothing with it but the
 * {@link IntervalGate} and reports its problems to a {@link Problems} of its own. Each histogram is
 * decoded to its non-zero counts only ({@link HistogramDecoder#decodeSparse}), which are added to
 * the sums, never a whole histogram per line.
 */
final class HistogramLog {
  static final int MAX_SERIES = 256;

  /**
   * The most the summed histograms of all sites and series may take, 256 MiB: a site's sum of one
   * series takes 57 KiB at most (2 significant digits up to 2^62), so the budget holds more than
   * 4,000 site series at their widest, and tens of thousands as the agent writes them.
   */
  static final long MAX_HISTOGRAM_BYTES = 256L << 20;

  private final long maxT;
  private final Problems problems;
  private final Map<String, HistogramCounts.Sum> totals = new LinkedHashMap<>();
  private final Map<Integer, Map<String, HistogramCounts.Sum>> bySite = new HashMap<>();
  private final HistogramCounts.Decoder decoder = new HistogramCounts.Decoder();
  private long heldBytes;

  /** The latest end (ms since the start) of a histogram of a complete interval read so far. */
  private double lastEndMs = Double.NEGATIVE_INFINITY;

  /** Histograms are written with millisecond precision: start and length may each round half. */
  private static final double ROUNDING_MS = 1.5;

  /** The most tags a tail may hold: the agent writes at most eight series per site. */
  static final int MAX_TAIL_TAGS = 1 << 16;

  /**
   * Histograms whose period ends in (fromMs, toMs] are used; the others belong to no range read.
   */
  private double fromMs = Double.NEGATIVE_INFINITY;

  private double toMs = Double.POSITIVE_INFINITY;

  /**
   * @param maxT the latest time (ms since the start) the recording can hold
   */
  HistogramLog(long maxT, Problems problems) {
    this.maxT = maxT;
    this.problems = problems;
  }

  /** Uses only the histograms whose period ends after {@code fromMs} and by {@code toMs}. */
  void range(long fromMs, long toMs) {
    // Written with millisecond precision: start and length may each round half a ms.
    this.fromMs = fromMs > 0 ? fromMs + 1.5 : Double.NEGATIVE_INFINITY;
    this.toMs = toMs == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : toMs + 1.5;
  }

  /** Frees the inflater; the sums stay. */
  void close() {
    decoder.close();
  }

  /** Every series summed over the sites and the logs read so far. */
  Map<String, Histogram> totals() {
    return histograms(totals);
  }

  /** Gives each of {@code sites} its sums; those of sites not among them are left out. */
  void addTo(Map<Integer, SiteRecord> sites) {
    for (SiteRecord s : sites.values()) {
      Map<String, HistogramCounts.Sum> sums = bySite.get(s.id);
      if (sums != null) {
        s.histograms.putAll(histograms(sums));
      }
    }
  }

  private static Map<String, Histogram> histograms(Map<String, HistogramCounts.Sum> sums) {
    Map<String, Histogram> out = new LinkedHashMap<>();
    sums.forEach((series, sum) -> out.put(series, sum.histogram()));
    return out;
  }

  /**
   * Adds the histograms of {@code file} (read from {@code in}, which it closes), leaving out those
   * that {@code gate} says belong to an interval the agent did not finish writing. A histogram that
   * does not decode in the middle of a {@code segment} costs the rest of that segment, with one
   * warning; elsewhere it is an error.
   *
   * @param progress told the bytes of the file read so far
   */
  void read(Path file, LineReader in, IntervalGate gate, boolean segment, LongConsumer progress)
      throws RecordingException, InterruptedException {
    long tail = 0;
    long firstTailLine = 0;
    try (in) {
      while (in.nextRaw()) {
        long line = in.lineNumber();
        if ((line & 1023) == 0) {
          progress.accept(in.bytesRead());
        }
        if (in.tooLong()) {
          problems.skip(file, line, "longer than 1 MiB, no histogram line is");
          continue;
        }
        if (skipped(in.bytes(), in.from(), in.to())) {
          continue;
        }
        String tag;
        double startSeconds;
        double lengthSeconds;
        try {
          if (fields.split(in.bytes(), in.from(), in.to())) {
            tag = tags.tag(in.bytes(), fields.tagFrom, fields.tagTo);
            startSeconds = fields.startSeconds;
            lengthSeconds = fields.lengthSeconds;
            decoder.decode(in.bytes(), fields.encodedFrom, in.to());
          } else {
            Entry entry = Entry.parse(in.text(), in.utf8());
            tag = entry.tag();
            startSeconds = entry.startSeconds();
            lengthSeconds = entry.lengthSeconds();
            decoder.decode(entry.encoded());
          }
        } catch (HistogramDecoder.Bad e) {
          if (e.insane) {
            problems.skip(file, line, e.getMessage());
            continue;
          }
          if (!in.terminated() || in.next() == null) {
            problems.truncated(file, line);
            break;
          }
          if (segment) {
            problems.warn(
                file
                    + ":"
                    + line
                    + ": corrupt segment ("
                    + e.getMessage()
                    + "): the rest of this segment is not used, the other segments are");
            break;
          }
          throw new RecordingException(file, line, e.getMessage());
        }
        double endMs = (startSeconds + lengthSeconds) * 1000;
        if (!(startSeconds >= 0 && lengthSeconds >= 0 && endMs <= maxT)) {
          problems.skip(
              file,
              line,
              "interval from "
                  + fields(startSeconds)
                  + " s lasting "
                  + fields(lengthSeconds)
                  + " s is not within the recording");
          continue;
        }
        if (!gate.complete(endMs)) {
          if (endMs > fromMs && endMs <= toMs && tail++ == 0) {
            firstTailLine = line;
          }
          continue;
        }
        lastEndMs = Math.max(lastEndMs, endMs);
        if (endMs <= fromMs || endMs > toMs || tag == null) {
          continue;
        }
        add(file, line, tag);
      }
      progress.accept(in.bytesRead());
    } catch (IOException e) {
      if (!segment) {
        throw new RecordingException(file, 0, "cannot read: " + e.getMessage());
      }
      problems.warn(
          file
              + ": corrupt segment ("
              + e.getMessage()
              + "): the rest of this segment is not used, the other segments are");
    }
    if (tail > 0) {
      problems.skipped(tail);
      problems.warn(
          file
              + ":"
              + firstTailLine
              + ": "
              + tail
              + " histogram(s) of an interval the agent did not finish writing: not used");
    }
  }

  private static final byte[] LEGEND = "\"StartTimestamp\"".getBytes(StandardCharsets.US_ASCII);

  /** Whether a line is empty, a comment or the legend: none of them a histogram. */
  private static boolean skipped(byte[] b, int from, int to) {
    if (from == to || b[from] == '#') {
      return true;
    }
    if (to - from < LEGEND.length) {
      return false;
    }
    for (int i = 0; i < LEGEND.length; i++) {
      if (b[from + i] != LEGEND[i]) {
        return false;
      }
    }
    return true;
  }

  private final Fields fields = new Fields();
  private final Tags tags = new Tags();

  /**
   * An interval line split as {@link Entry#parse} splits it, without making strings, for the lines
   * the agent writes: ASCII, start and length plain decimals. Any other line is left to {@link
   * Entry#parse}, which reads it the same way or says what is wrong with it.
   */
  static final class Fields {
    int tagFrom = -1;
    int tagTo;
    double startSeconds;
    double lengthSeconds;
    int encodedFrom;

    /** Splits {@code b[from, to)}; false if it is not a line this can read (tagFrom -1: none). */
    boolean split(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (b[i] < 0) {
          return false;
        }
      }
      int p = from;
      tagFrom = -1;
      if (to - from >= 4 && b[p] == 'T' && b[p + 1] == 'a' && b[p + 2] == 'g' && b[p + 3] == '=') {
        int comma = indexOf(b, p + 4, to);
        if (comma < 0) {
          return false;
        }
        tagFrom = p + 4;
        tagTo = comma;
        p = comma + 1;
      }
      int c1 = indexOf(b, p, to);
      int c2 = c1 < 0 ? -1 : indexOf(b, c1 + 1, to);
      int c3 = c2 < 0 ? -1 : indexOf(b, c2 + 1, to);
      if (c3 < 0) {
        return false;
      }
      startSeconds = decimal(b, p, c1);
      lengthSeconds = decimal(b, c1 + 1, c2);
      if (Double.isNaN(startSeconds) || Double.isNaN(lengthSeconds)) {
        return false;
      }
      encodedFrom = c3 + 1;
      return true;
    }

    private static int indexOf(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (b[i] == ',') {
          return i;
        }
      }
      return -1;
    }

    /**
     * {@code digits[.digits]} of at most 15 digits, exactly as {@link Double#parseDouble} reads it
     * (a whole number below 2^53 divided by an exact power of ten rounds once, as it does); NaN for
     * anything else.
     */
    static double decimal(byte[] b, int from, int to) {
      long m = 0;
      int digits = 0;
      int fraction = -1;
      for (int i = from; i < to; i++) {
        int c = b[i];
        if (c == '.' && fraction < 0) {
          fraction = 0;
          continue;
        }
        if (c < '0' || c > '9' || ++digits > 15) {
          return Double.NaN;
        }
        m = m * 10 + (c - '0');
        if (fraction >= 0) {
          fraction++;
        }
      }
      if (digits == 0) {
        return Double.NaN;
      }
      return fraction <= 0 ? (double) m : m / POWERS_OF_TEN[fraction];
    }

    private static final double[] POWERS_OF_TEN = {
      1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
    };
  }

  /**
   * The tags met so far, by their bytes: a log names the same few hundred tags over and over, so
   * each is made a string (control characters replaced) once.
   */
  static final class Tags {
    private static final int MAX = 4096;
    private byte[][] keys = new byte[256][];
    private String[] values = new String[256];
    private int size;

    /** The tag in {@code b[from, to)}, or null when {@code from} is -1 (a line without one). */
    String tag(byte[] b, int from, int to) {
      if (from < 0) {
        return null;
      }
      int hash = 1;
      for (int i = from; i < to; i++) {
        hash = 31 * hash + b[i];
      }
      int mask = keys.length - 1;
      for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
        byte[] k = keys[slot];
        if (k == null) {
          String tag = Printable.clean(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
          if (size < MAX) {
            keys[slot] = Arrays.copyOfRange(b, from, to);
            values[slot] = tag;
            if (++size * 2 > keys.length) {
              grow();
            }
          }
          return tag;
        }
        if (Arrays.equals(k, 0, k.length, b, from, to)) {
          return values[slot];
        }
      }
    }

    private void grow() {
      byte[][] oldKeys = keys;
      String[] oldValues = values;
      keys = new byte[oldKeys.length * 2][];
      values = new String[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        byte[] k = oldKeys[j];
        if (k == null) {
          continue;
        }
        int hash = 1;
        for (byte x : k) {
          hash = 31 * hash + x;
        }
        int slot = hash & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = k;
        values[slot] = oldValues[j];
      }
    }
  }

  /**
   * Adds the histograms of the agent's {@code histograms-tail.hlog} (read from {@code in}, which it
   * closes) that the logs read before lack ({@link #readTail(Path, LineReader, IntervalGate,
   * double, double, double, long, HistogramCounts.Decoder, Problems, TailSink)}).
   */
  void readTail(Path file, LineReader in, IntervalGate gate)
      throws RecordingException, InterruptedException {
    readTail(
        file,
        in,
        gate,
        lastEndMs,
        fromMs,
        toMs,
        maxT,
        decoder,
        problems,
        (line, entry) -> add(file, line, entry.tag()));
  }

  /** Takes a histogram of the tail, decoded into the decoder given to {@link #readTail}. */
  interface TailSink {
    void add(long line, Entry entry) throws RecordingException;
  }

  /**
   * Gives {@code sink} the histograms of the agent's {@code histograms-tail.hlog} (read from {@code
   * in}, which it closes) that logs whose last histogram ended at {@code lastEndMs} lack: of each
   * tag, its last line that starts no earlier than that (a period those logs do not hold), ends by
   * the last complete interval ({@code gate}), after {@code fromMs}, by {@code toMs} and by {@code
   * maxT}. The agent appends a tag's histogram of the open period so far every interval, so that
   * line is the period up to the last interval the recording holds. Says so in one warning when it
   * gives any. A line that does not read costs the whole tail, with one warning; a last line cut
   * short is left out.
   */
  static void readTail(
      Path file,
      LineReader in,
      IntervalGate gate,
      double lastEndMs,
      double fromMs,
      double toMs,
      long maxT,
      HistogramCounts.Decoder decoder,
      Problems problems,
      TailSink sink)
      throws RecordingException, InterruptedException {
    Map<String, Entry> last = new LinkedHashMap<>();
    long lastLine = 0;
    double endMs = -1;
    try (in) {
      for (String text; (text = in.next()) != null; ) {
        long line = in.lineNumber();
        if (text.isEmpty() || text.startsWith("#") || text.startsWith("\"StartTimestamp\"")) {
          continue;
        }
        Entry entry;
        try {
          if (in.tooLong()) {
            throw new HistogramDecoder.Bad("longer than 1 MiB, no histogram line is", false);
          }
          entry = Entry.parse(text, in.utf8());
          decoder.decode(entry.encoded());
        } catch (HistogramDecoder.Bad e) {
          if (!in.terminated() || in.next() == null) {
            break; // cut short as the agent wrote it: the tag's line before stands
          }
          problems.warn(
              file
                  + ":"
                  + line
                  + ": corrupt histogram tail ("
                  + e.getMessage()
                  + "): the histograms of the last period are not used, the rest of the"
                  + " recording is");
          return;
        }
        double start = entry.startSeconds() * 1000;
        double end = (entry.startSeconds() + entry.lengthSeconds()) * 1000;
        if (entry.tag() == null
            || !(start >= 0 && entry.lengthSeconds() >= 0 && end <= maxT)
            || start < lastEndMs - ROUNDING_MS
            || end <= fromMs
            || end > toMs
            || !gate.complete(end)) {
          continue;
        }
        if (!last.containsKey(entry.tag()) && last.size() >= MAX_TAIL_TAGS) {
          problems.warn(
              file
                  + ":"
                  + line
                  + ": more than "
                  + MAX_TAIL_TAGS
                  + " histogram tags in the tail: the histograms of the last period are not"
                  + " used, the rest of the recording is");
          return;
        }
        last.remove(entry.tag()); // kept in the order of their last line
        last.put(entry.tag(), entry);
        lastLine = line;
        endMs = Math.max(endMs, end);
      }
    } catch (IOException e) {
      problems.warn(
          file
              + ": cannot read the histogram tail ("
              + e.getMessage()
              + "): the histograms of the last period are not used, the rest of the recording is");
      return;
    }
    for (Entry entry : last.values()) {
      try {
        decoder.decode(entry.encoded());
      } catch (HistogramDecoder.Bad e) {
        throw new IllegalStateException("decoded once already", e);
      }
      sink.add(lastLine, entry);
    }
    if (!last.isEmpty()) {
      problems.warn(
          file
              + ": the recording ends without the histograms of its last period: "
              + last.size()
              + " histogram(s) up to "
              + fields(endMs / 1000)
              + " s read from this file instead");
    }
  }

  /**
   * Adds the histogram in the decoder, tagged {@code tag} (of {@code file}'s {@code line}), to its
   * series' sums.
   */
  private void add(Path file, long line, String tag) throws RecordingException {
    HistogramCounts.Decoder h = decoder;
    int slash = tag.lastIndexOf('/');
    String series = slash < 0 ? tag : tag.substring(0, slash);
    if (!totals.containsKey(series) && totals.size() >= MAX_SERIES) {
      throw new RecordingException(
          file,
          line,
          String.format(
              Locale.ROOT,
              "more than %d histogram series, the most this analyzer holds (the agent writes"
                  + " fewer than 10): narrow the input to the lines of fewer series",
              MAX_SERIES));
    }
    Map<String, HistogramCounts.Sum> site = null;
    if (slash >= 0) {
      try {
        site = site(Integer.parseInt(tag.substring(slash + 1)));
      } catch (NumberFormatException e) {
        // A tag of another tool: counted in the totals only.
      }
    }
    if (wouldOverflow(totals, series, h) || (site != null && wouldOverflow(site, series, h))) {
      problems.skip(file, line, "the counts of series " + series + " would pass 2^48");
      return;
    }
    heldBytes += add(totals, series, h);
    if (site != null) {
      heldBytes += add(site, series, h);
    }
    if (heldBytes > MAX_HISTOGRAM_BYTES) {
      throw new RecordingException(
          file,
          line,
          String.format(
              Locale.ROOT,
              "the sites' histograms pass %d MiB, the most this analyzer holds: narrow the"
                  + " input to the lines of fewer sites",
              MAX_HISTOGRAM_BYTES >> 20));
    }
  }

  /**
   * One interval line of the log, its histogram still encoded.
   *
   * @param tag the tag, control characters replaced, or null for a line without one
   */
  record Entry(String tag, double startSeconds, double lengthSeconds, String encoded) {
    /** Splits a line that is not a comment or the legend; {@code utf8} says whether it was. */
    static Entry parse(String text, boolean utf8) throws HistogramDecoder.Bad {
      if (!utf8) {
        throw new HistogramDecoder.Bad("not UTF-8", false);
      }
      String tag = null;
      String rest = text;
      if (rest.startsWith("Tag=")) {
        int comma = rest.indexOf(',');
        if (comma < 0) {
          throw new HistogramDecoder.Bad("a tag without a histogram", false);
        }
        tag = Printable.clean(rest.substring(4, comma));
        rest = rest.substring(comma + 1);
      }
      String[] fields = rest.split(",", 4);
      if (fields.length < 4) {
        throw new HistogramDecoder.Bad("expected start, length, max and histogram", false);
      }
      try {
        return new Entry(
            tag, Double.parseDouble(fields[0]), Double.parseDouble(fields[1]), fields[3]);
      } catch (NumberFormatException e) {
        throw new HistogramDecoder.Bad("start or length is not a number", false);
      }
    }
  }

  private static String fields(double seconds) {
    return String.format(Locale.ROOT, "%.3f", seconds);
  }

  /**
   * The sums of site {@code id}; null for ids past the most sites a recording may hold, whose
   * histograms count in the totals only.
   */
  private Map<String, HistogramCounts.Sum> site(int id) {
    Map<String, HistogramCounts.Sum> sums = bySite.get(id);
    if (sums == null && bySite.size() < RecordingReader.MAX_SITES) {
      sums = new LinkedHashMap<>();
      bySite.put(id, sums);
    }
    return sums;
  }

  private static boolean wouldOverflow(
      Map<String, HistogramCounts.Sum> into, String series, HistogramCounts.Decoder h) {
    HistogramCounts.Sum sum = into.get(series);
    long count = h.other != null ? h.other.totalCount() : h.totalCount;
    return sum != null && sum.totalCount() + count > NumberRules.MAX;
  }

  /** Adds {@code h} to the sum of {@code series}; returns the bytes the sum grew by. */
  private static long add(
      Map<String, HistogramCounts.Sum> into, String series, HistogramCounts.Decoder h) {
    return into.computeIfAbsent(series, k -> new HistogramCounts.Sum()).add(h);
  }
}
