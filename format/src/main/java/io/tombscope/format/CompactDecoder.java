package io.tombscope.format;

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
 * <p>A line that does not parse, or names columns the segment never declared, throws {@link
 * IllegalArgumentException}: the rest of the segment cannot be decoded. Values are not checked
 * against any range (a sum that would overflow saturates at {@link Long#MAX_VALUE}); that is the
 * reader's part. Memory is bounded by {@code maxSites}, {@link #MAX_COLUMN_SETS} and {@link
 * #MAX_KEYS}. Not thread-safe.
 */
public final class CompactDecoder {
  public static final int MAX_COLUMN_SETS = 1024;
  public static final int MAX_KEYS = 256;

  /**
   * A decoded line: {@code type}, the site (for {@code deleteSite}, the stack's id), and its
   * numbers by key, in the order of its columns.
   */
  public record Line(String type, int site, List<String> keys, long[] values) {}

  private final int maxSites;
  private final Map<Integer, List<String>> columns = new HashMap<>();
  private final Map<Long, Last> last = new HashMap<>();

  private static final class Last {
    int columns = -1;
    long[] values;
  }

  /**
   * @param maxSites the most sites a segment may hold lines of
   */
  public CompactDecoder(int maxSites) {
    this.maxSites = maxSites;
  }

  /** Whether {@code text} is a compact line rather than a JSON object. */
  public static boolean isCompact(String text) {
    return text.length() > 1
        && text.charAt(1) == ' '
        && CompactLines.typeOf(text.charAt(0)) != null;
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
    columns.put((int) id, List.copyOf(keys));
    return null;
  }

  /** Decodes {@code c SITE COLUMNS DELTAS}, {@code g ...} or {@code d STACK COLUMNS DELTAS}. */
  public Line decode(String text) {
    if (!isCompact(text)) {
      throw new IllegalArgumentException("neither a JSON object nor a compact line");
    }
    char letter = text.charAt(0);
    String type = CompactLines.typeOf(letter);
    int a = text.indexOf(' ', 2);
    if (a < 0) {
      throw new IllegalArgumentException("a compact line without columns");
    }
    int b = text.indexOf(' ', a + 1);
    long site = number(text, 2, a, "site");
    long id = number(text, a + 1, b < 0 ? text.length() : b, "columns");
    List<String> keys = id >= 0 && id < MAX_COLUMN_SETS ? columns.get((int) id) : null;
    if (keys == null) {
      throw new IllegalArgumentException("columns " + id + " were not declared in this segment");
    }
    if (site < 0 || site > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("site " + site + " is not a site id from 0 to 2^31-1");
    }
    long key = (site << 2) | CompactLines.kindOf(letter);
    Last before = last.get(key);
    if (before == null) {
      if (last.size() >= 3L * maxSites) {
        throw new IllegalArgumentException(
            "lines of more than " + maxSites + " sites or stacks, the most this reader holds");
      }
      before = new Last();
      last.put(key, before);
    }
    long[] values = before.columns == id ? before.values.clone() : new long[keys.size()];
    if (b >= 0) {
      int column = 0;
      int start = b + 1;
      while (start <= text.length()) {
        int comma = text.indexOf(',', start);
        int end = comma < 0 ? text.length() : comma;
        if (column >= values.length) {
          throw new IllegalArgumentException("more values than columns " + id + " has keys");
        }
        if (end > start) {
          long delta = number(text, start, end, keys.get(column));
          try {
            values[column] = Math.addExact(values[column], delta);
          } catch (ArithmeticException e) {
            values[column] = delta < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
          }
        }
        column++;
        start = end + 1;
      }
    }
    before.columns = (int) id;
    before.values = values;
    return new Line(type, (int) site, keys, values.clone());
  }

  /** The decimal number (a sign allowed) of {@code text[from, to)}. */
  private static long number(String text, int from, int to, String what) {
    if (to <= from || to - from > 20) {
      throw new IllegalArgumentException("\"" + what + "\" is not a number");
    }
    try {
      return Long.parseLong(text, from, to, 10);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + what + "\" is not a number");
    }
  }
}
