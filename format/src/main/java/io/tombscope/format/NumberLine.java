package io.tombscope.format;

import java.util.Arrays;

/**
 * The numbers of one {@code counters} or {@code gauge} line of a site, or of one {@code deleteSite}
 * line of a declared delete call stack, in the order they were put: any family's keys, as a JSON
 * object would carry them. {@link CompactLines} writes it as differences from the previous line of
 * the same site (or stack) and type. One instance can be {@linkplain #reset reset} and filled again
 * for every line, so that writing lines allocates nothing. Not thread-safe.
 */
public final class NumberLine {
  private String type;
  private int site;
  private String[] keys = new String[32];
  private long[] values = new long[32];
  private int size;

  /**
   * @param type {@code counters} or {@code gauge}, or {@code deleteSite}
   * @param site the site; for {@code deleteSite}, the stack's id in the segment ({@link
   *     CompactLines#stack})
   */
  public NumberLine(String type, int site) {
    reset(type, site);
  }

  /** Empties this line and makes it a line of {@code type} for {@code site}, as if new. */
  public NumberLine reset(String type, int site) {
    if (CompactLines.letterOf(type) == 0) {
      throw new IllegalArgumentException("not a type of compact line: " + type);
    }
    this.type = type;
    this.site = site;
    size = 0;
    return this;
  }

  public NumberLine put(String key, long value) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size++] = value;
    return this;
  }

  public String type() {
    return type;
  }

  public int site() {
    return site;
  }

  public int size() {
    return size;
  }

  public String key(int i) {
    return keys[i];
  }

  public long value(int i) {
    return values[i];
  }

  String[] keys() {
    return Arrays.copyOf(keys, size);
  }

  long[] values() {
    return values;
  }
}
