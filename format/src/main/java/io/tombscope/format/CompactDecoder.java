package io.tombscope.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the compact {@code counters}, {@code gauge} and {@code deleteSite} lines of one segment
 * of a format 2 recording ({@code docs/recording-format.md}, "Compact lines") back into their
 * numbers: the {@code columns} lines name the keys, and each site's (or delete call stack's) line
 * holds the differences from its previous line of the same type and columns in the segment. The
 * {@code stack} lines, which say what a stack id stands for, are the reader's. A fresh decoder per
 * segment: nothing carries over.
 *
 * <p>Two ways in: {@link #decode(String)} returns a {@link Line} of its own, and {@link
 * #decode(byte[], int, int)} decodes the bytes of a line as read, without making a string or
 * copying the numbers, into a {@link Decoded} view that the next call reuses: the way to read
 * millions of lines.
 *
 * <p>A line that does not parse, or names columns the segment never declared, throws {@link
 * IllegalArgumentException} and leaves the decoder as it was before it. Values are not checked
 * against any range (a sum that would overflow saturates at {@link Long#MAX_VALUE}); that is the
 * reader's part. Memory is bounded by {@code maxSites}, {@link #MAX_COLUMN_SETS} and {@link
 * #MAX_KEYS}. Not thread-safe.
 */
public final class CompactDecoder {
  public static final int MAX_COLUMN_SETS = 1024;
  public static final int MAX_KEYS = 256;

  /** Sites (or stacks) below this id keep their last values in an array, the others in a map. */
  private static final int DENSE_IDS = 1 << 16;

  /**
   * A decoded line: {@code type}, the site (for {@code deleteSite}, the stack's id), and its
   * numbers by key, in the order of its columns.
   */
  public record Line(String type, int site, List<String> keys, long[] values) {}

  /**
   * The line {@link #decode(byte[], int, int)} decoded last: valid until the next call, and never
   * to be kept.
   */
  public static final class Decoded {
    private char letter;
    private int site;
    private int columns;
    private List<String> keys;
    private long[] values;

    private Decoded() {}

    /** {@code counters}, {@code gauge} or {@code deleteSite}. */
    public String type() {
      return CompactLines.typeOf(letter);
    }

    /** {@code c}, {@code g} or {@code d}. */
    public char letter() {
      return letter;
    }

    /** The site; of a {@code deleteSite} line, its stack's id. */
    public int site() {
      return site;
    }

    /** The id of its columns, as declared by {@link CompactDecoder#columns}. */
    public int columns() {
      return columns;
    }

    /** The keys of its columns, in order. */
    public List<String> keys() {
      return keys;
    }

    /** How many numbers it holds: its columns' keys. */
    public int size() {
      return keys.size();
    }

    /** Number {@code i}, in the order of its columns. */
    public long value(int i) {
      return values[i];
    }
  }

  private final int maxSites;

  @SuppressWarnings("unchecked")
  private final List<String>[] columns = new List[MAX_COLUMN_SETS];

  /** Per kind (counters, gauge, deleteSite): the last line of each site id below DENSE_IDS. */
  private final Last[][] dense = new Last[3][];

  private final Map<Long, Last> sparse = new HashMap<>();
  private int states;
  private final Decoded decoded = new Decoded();

  private static final class Last {
    int columns = -1;
    long[] values = new long[0];

    /** The values being decoded, swapped in once the whole line has parsed. */
    long[] next = new long[0];
  }

  /**
   * @param maxSites the most sites a segment may hold lines of
   */
  public CompactDecoder(int maxSites) {
    this.maxSites = maxSites;
    for (int k = 0; k < 3; k++) {
      dense[k] = new Last[16];
    }
  }

  /** Whether {@code text} is a compact line rather than a JSON object. */
  public static boolean isCompact(String text) {
    return text.length() > 1
        && text.charAt(1) == ' '
        && CompactLines.typeOf(text.charAt(0)) != null;
  }

  /** Whether the line in {@code bytes[from, to)} is a compact line rather than a JSON object. */
  public static boolean isCompact(byte[] bytes, int from, int to) {
    return to - from > 1
        && bytes[from + 1] == ' '
        && CompactLines.typeOf((char) bytes[from]) != null;
  }

  /**
   * Declares the keys of columns {@code id}, from a {@code columns} line; returns why they are not
   * usable, or null.
   */
  public String columns(long id, List<String> keys) {
    if (id < 0 || id >= MAX_COLUMN_SETS) {
      return "\"id\" of columns is not a whole number from 0 to " + (MAX_COLUMN_SETS - 1);
    }
    if (keys.size() > MAX_KEYS) {
      return "\"keys\" of columns holds more than " + MAX_KEYS + " names";
    }
    columns[(int) id] = List.copyOf(keys);
    return null;
  }

  /** Decodes {@code c SITE COLUMNS DELTAS}, {@code g ...} or {@code d STACK COLUMNS DELTAS}. */
  public Line decode(String text) {
    if (!isCompact(text)) {
      throw new IllegalArgumentException("neither a JSON object nor a compact line");
    }
    // Any character beyond Latin-1 is no part of a compact line, and fails as '?' does.
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    Decoded d = decode(bytes, 0, bytes.length);
    return new Line(d.type(), d.site, d.keys, Arrays.copyOf(d.values, d.size()));
  }

  /**
   * Decodes the compact line in {@code bytes[from, to)} (without its line end) into the returned
   * view, which the next call reuses.
   */
  public Decoded decode(byte[] bytes, int from, int to) {
    if (!isCompact(bytes, from, to)) {
      throw new IllegalArgumentException("neither a JSON object nor a compact line");
    }
    char letter = (char) bytes[from];
    int a = indexOf(bytes, ' ', from + 2, to);
    if (a < 0) {
      throw new IllegalArgumentException("a compact line without columns");
    }
    int b = indexOf(bytes, ' ', a + 1, to);
    long site = number(bytes, from + 2, a, "site");
    long id = number(bytes, a + 1, b < 0 ? to : b, "columns");
    List<String> keys = id >= 0 && id < MAX_COLUMN_SETS ? columns[(int) id] : null;
    if (keys == null) {
      throw new IllegalArgumentException("columns " + id + " were not declared in this segment");
    }
    if (site < 0 || site > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("site " + site + " is not a site id from 0 to 2^31-1");
    }
    Last before = last(CompactLines.kindOf(letter), (int) site);
    int n = keys.size();
    long[] values = before.next.length >= n ? before.next : new long[Math.max(n, 8)];
    if (before.columns == id) {
      System.arraycopy(before.values, 0, values, 0, n);
    } else {
      Arrays.fill(values, 0, n, 0);
    }
    // Nothing after the columns' space: every value is as before (a line of no keys has none).
    if (b >= 0 && b + 1 < to) {
      int column = 0;
      int start = b + 1;
      while (start <= to) {
        int comma = indexOf(bytes, ',', start, to);
        int end = comma < 0 ? to : comma;
        if (column >= n) {
          throw new IllegalArgumentException("more values than columns " + id + " has keys");
        }
        if (end > start) {
          long delta = number(bytes, start, end, keys.get(column));
          long sum = values[column] + delta;
          // Overflow only when both have one sign and the sum the other.
          if (((values[column] ^ sum) & (delta ^ sum)) < 0) {
            sum = delta < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
          }
          values[column] = sum;
        }
        column++;
        start = end + 1;
      }
    }
    before.next = before.values;
    before.values = values;
    before.columns = (int) id;
    decoded.letter = letter;
    decoded.site = (int) site;
    decoded.columns = (int) id;
    decoded.keys = keys;
    decoded.values = values;
    return decoded;
  }

  /** The last line of {@code site} of kind {@code kind}, made on first use. */
  private Last last(int kind, int site) {
    Last[] byId = dense[kind];
    Last found;
    if (site < DENSE_IDS) {
      found = site < byId.length ? byId[site] : null;
    } else {
      found = sparse.get(((long) site << 2) | kind);
    }
    if (found != null) {
      return found;
    }
    if (states >= 3L * maxSites) {
      throw new IllegalArgumentException(
          "lines of more than " + maxSites + " sites or stacks, the most this reader holds");
    }
    states++;
    found = new Last();
    if (site < DENSE_IDS) {
      if (site >= byId.length) {
        byId = Arrays.copyOf(byId, Math.min(DENSE_IDS, Math.max(site + 1, byId.length * 2)));
        dense[kind] = byId;
      }
      byId[site] = found;
    } else {
      sparse.put(((long) site << 2) | kind, found);
    }
    return found;
  }

  private static int indexOf(byte[] bytes, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The decimal number (a sign allowed) of {@code bytes[from, to)}. */
  private static long number(byte[] bytes, int from, int to, String what) {
    if (to <= from || to - from > 20) {
      throw new IllegalArgumentException("\"" + what + "\" is not a number");
    }
    int i = from;
    boolean negative = false;
    if (bytes[i] == '-' || bytes[i] == '+') {
      negative = bytes[i] == '-';
      i++;
      if (i == to) {
        throw new IllegalArgumentException("\"" + what + "\" is not a number");
      }
    }
    // Accumulated negatively with Long.parseLong's bounds, so that Long.MIN_VALUE parses.
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multiplyMin = limit / 10;
    long result = 0;
    for (; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9 || result < multiplyMin) {
        throw new IllegalArgumentException("\"" + what + "\" is not a number");
      }
      result *= 10;
      if (result < limit + digit) {
        throw new IllegalArgumentException("\"" + what + "\" is not a number");
      }
      result -= digit;
    }
    return negative ? result : -result;
  }
}
