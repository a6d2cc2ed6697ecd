package io.tombscope.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes {@code counters}, {@code gauge} and {@code deleteSite} lines in the compact form of format
 * 2 ({@code docs/recording-format.md}, "Compact lines"): the keys once per segment in a {@code
 * columns} line, a delete call stack once per segment in a {@code stack} line, then per site (or
 * stack) only the differences from its previous line of the same type, and no line at all when
 * nothing changed.
 *
 * <pre>
 * {"type":"columns","id":0,"keys":["mapsCreated","deleteHits",...]}
 * c 3 0 4,5000,120,,,7
 * g 3 1 4,1000,2048,,-12
 * {"type":"stack","id":0,"site":3,"frame":"com.acme.Cache.evict(Cache.java:88)"}
 * d 0 2 4096,1024
 * </pre>
 *
 * <p>Everything it remembers belongs to one segment: {@link #newSegment} forgets it, so that each
 * segment reads on its own ({@link CompactDecoder}). Not thread-safe.
 */
public final class CompactLines {
  public static final String COUNTERS = "counters";
  public static final String GAUGE = "gauge";
  public static final String DELETE_SITE = "deleteSite";

  /** The letter that starts a compact line of {@code type}, or 0 if the type has none. */
  static char letterOf(String type) {
    return switch (type) {
      case COUNTERS -> 'c';
      case GAUGE -> 'g';
      case DELETE_SITE -> 'd';
      default -> 0;
    };
  }

  /** 0, 1 or 2 for the letters of counters, gauge and deleteSite lines. */
  static int kindOf(char letter) {
    return letter == 'c' ? 0 : letter == 'g' ? 1 : 2;
  }

  /** The type of a compact line that starts with {@code letter}, or null. */
  static String typeOf(char letter) {
    return switch (letter) {
      case 'c' -> COUNTERS;
      case 'g' -> GAUGE;
      case 'd' -> DELETE_SITE;
      default -> null;
    };
  }

  private final Map<List<String>, Integer> columns = new HashMap<>();
  // The keys of each columns id, shared by every site's lines that use them.
  private final List<String[]> columnKeys = new ArrayList<>();
  private final LastLines last = new LastLines();
  private final Map<String, Integer> stacks = new HashMap<>();
  private int stacksDeclared;
  private final StringBuilder out = new StringBuilder(256);

  /** The values a site's line of one type carried last, and the columns they followed. */
  private static final class Last {
    int columns = -1;
    long[] values = new long[0];
  }

  /**
   * Each site's (or stack's) {@link Last}, by {@code site << 2 | kind}: an open-addressing table of
   * {@code long} keys, so that looking a line up boxes nothing.
   */
  private static final class LastLines {
    private long[] keys = new long[64];
    private Last[] values = new Last[64];
    private int size;

    /** The {@link Last} of {@code key}, made empty on first use. */
    Last get(long key) {
      int mask = keys.length - 1;
      for (int i = slot(key, mask); ; i = (i + 1) & mask) {
        Last v = values[i];
        if (v != null && keys[i] == key) {
          return v;
        }
        if (v == null) {
          if (2 * (size + 1) > keys.length) {
            grow();
            return get(key);
          }
          keys[i] = key;
          values[i] = v = new Last();
          size++;
          return v;
        }
      }
    }

    void clear() {
      Arrays.fill(values, null);
      size = 0;
    }

    private static int slot(long key, int mask) {
      return Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
    }

    private void grow() {
      long[] oldKeys = keys;
      Last[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new Last[oldValues.length * 2];
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldValues[j] != null) {
          int i = slot(oldKeys[j], mask);
          while (values[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = oldKeys[j];
          values[i] = oldValues[j];
        }
      }
    }
  }

  /** Forgets every site's last values and the columns: the next lines are written whole. */
  public void newSegment() {
    columns.clear();
    columnKeys.clear();
    last.clear();
    stacks.clear();
    stacksDeclared = 0;
  }

  /**
   * The id in this segment of the delete call stack that {@code key} names (any string unique per
   * site and stack). When the stack is new to the segment, its {@code stack} line is appended to
   * {@code lines}: {@code declaration} (a JSON object of the stack's site, frame, callers and so
   * on) with {@code type} and {@code id} put first.
   */
  public int stack(String key, Supplier<String> declaration, StringBuilder lines) {
    Integer id = stacks.get(key);
    if (id == null) {
      id = newStack(declaration.get(), lines);
      stacks.put(key, id);
    }
    return id;
  }

  /**
   * Declares a delete call stack new to this segment and returns its id: for a caller that keeps
   * each stack's id itself (until {@link #newSegment}) rather than a key here. Appends its {@code
   * stack} line to {@code lines} as {@link #stack} does.
   */
  public int newStack(String declaration, StringBuilder lines) {
    if (!declaration.startsWith("{") || declaration.length() < 3) {
      throw new IllegalArgumentException("not a JSON object with fields: " + declaration);
    }
    int id = stacksDeclared++;
    lines
        .append("{\"type\":\"stack\",\"id\":")
        .append(id)
        .append(',')
        .append(declaration, 1, declaration.length())
        .append('\n');
    return id;
  }

  /**
   * The text to append for {@code line} (a {@code columns} line first when its keys are new to the
   * segment), each line ending in {@code \n}; empty when the line equals the site's last one.
   */
  public String encode(NumberLine line) {
    out.setLength(0);
    char letter = letterOf(line.type());
    Last before = last.get(((long) line.site() << 2) | kindOf(letter));
    int size = line.size();
    long[] values = line.values();
    // A site's lines of one type keep their keys: compare them with the columns it used last
    // before looking the columns up, so that an unchanged line allocates nothing.
    int id =
        before.columns >= 0 && sameKeys(columnKeys.get(before.columns), line)
            ? before.columns
            : columnsOf(line);
    boolean sameColumns = before.columns == id;
    if (sameColumns && Arrays.equals(before.values, 0, size, values, 0, size)) {
      return "";
    }
    long[] base = sameColumns ? before.values : new long[size];
    out.append(letter).append(' ').append(line.site()).append(' ').append(id);
    int end = size;
    while (end > 0 && values[end - 1] == base[end - 1]) {
      end--;
    }
    out.append(' ');
    for (int i = 0; i < end; i++) {
      if (i > 0) {
        out.append(',');
      }
      if (values[i] != base[i]) {
        out.append(values[i] - base[i]);
      }
    }
    out.append('\n');
    if (!sameColumns) {
      before.columns = id;
      before.values = new long[size];
    }
    System.arraycopy(values, 0, before.values, 0, size);
    return out.toString();
  }

  private static boolean sameKeys(String[] keys, NumberLine line) {
    if (keys.length != line.size()) {
      return false;
    }
    for (int i = 0; i < keys.length; i++) {
      if (!keys[i].equals(line.key(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The id of {@code line}'s keys in this segment; a {@code columns} line first if they are new.
   */
  private int columnsOf(NumberLine line) {
    List<String> keys = Arrays.asList(line.keys());
    Integer id = columns.get(keys);
    if (id == null) {
      id = columns.size();
      columns.put(new ArrayList<>(keys), id);
      columnKeys.add(keys.toArray(new String[0]));
      out.append("{\"type\":\"columns\",\"id\":").append(id).append(",\"keys\":[");
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        quote(keys.get(i));
      }
      out.append("]}\n");
    }
    return id;
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
