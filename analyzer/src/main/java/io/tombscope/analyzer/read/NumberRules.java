package io.tombscope.analyzer.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * What every number in a recording line may be: one table by key, so that a key added to the format
 * is checked without code of its own. A key not in the table is a count (a whole number from 0 to
 * {@link #MAX}); {@code docs/recording-format.md} lists the exceptions.
 *
 * <p>{@link #MAX} (2^48, about 2.8e14) is far above any real count, time or size, and low enough
 * that the analyzer's sums over the sites and releases it accepts ({@link RecordingReader} keeps at
 * most 2^14 of each) cannot overflow a {@code long}.
 */
final class NumberRules {
  /** The largest number a recording may hold. */
  static final long MAX = 1L << 48;

  enum Rule {
    /** A count, size, duration or byte figure. */
    COUNT(0, MAX, "a count from 0 to 2^48"),
    /** Milliseconds since the recording's start; the upper end is set per recording. */
    TIME(0, MAX, "a time within the recording"),
    SITE(0, Integer.MAX_VALUE, "a site id from 0 to 2^31-1"),
    /** log2 of a table's size ({@code fromB}, {@code toB}). */
    LOG2(0, 63, "a log2 from 0 to 63"),
    /** Bytes, or -1 where the agent could not read them ({@code rssBytes}). */
    BYTES_OR_UNKNOWN(-1, MAX, "a byte count from -1 (unknown) to 2^48"),
    /** A difference that may go either way ({@code released.*}). */
    SIGNED(-MAX, MAX, "a difference from -2^48 to 2^48");

    final long min;
    final long max;
    final String what;

    Rule(long min, long max, String what) {
      this.min = min;
      this.max = max;
      this.what = what;
    }
  }

  private static final Map<String, Rule> BY_KEY =
      Map.of(
          "t", Rule.TIME,
          "site", Rule.SITE,
          "fromB", Rule.LOG2,
          "toB", Rule.LOG2,
          "rssBytes", Rule.BYTES_OR_UNKNOWN);

  /** Objects whose every number follows one rule, by the object's key. */
  private static final Map<String, Rule> BY_PARENT = Map.of("released", Rule.SIGNED);

  private NumberRules() {}

  /**
   * The first number in {@code line} (nested objects and arrays included) that breaks its rule, as
   * a phrase ({@code "deleteHits" is -1, not a count from 0 to 2^48}), or null if all hold. {@code
   * maxT} is the latest {@code t} the recording can hold.
   */
  static String problem(JsonNode line, long maxT) {
    return problem(line, null, null, maxT);
  }

  private static String problem(JsonNode node, String key, Rule inherited, long maxT) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        Rule rule = inherited != null ? inherited : BY_PARENT.get(f.getKey());
        String p = problem(f.getValue(), f.getKey(), rule, maxT);
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        String p = problem(element, key, inherited, maxT);
        if (p != null) {
          return p;
        }
      }
      return null;
    }
    if (!node.isNumber() || key == null) {
      return null;
    }
    Rule rule = inherited != null ? inherited : BY_KEY.getOrDefault(key, Rule.COUNT);
    return check(key, node, rule, maxT);
  }

  /** The lowest value {@code key} may have. */
  static long lowest(String key) {
    return BY_KEY.getOrDefault(key, Rule.COUNT).min;
  }

  /**
   * The highest value {@code key} may have in a recording whose latest {@code t} is {@code maxT}.
   */
  static long highest(String key, long maxT) {
    Rule rule = BY_KEY.getOrDefault(key, Rule.COUNT);
    return rule == Rule.TIME ? Math.min(maxT, rule.max) : rule.max;
  }

  /** Why {@code value} breaks the rule of {@code key}, or null. */
  static String check(String key, long value, long maxT) {
    Rule rule = BY_KEY.getOrDefault(key, Rule.COUNT);
    long max = rule == Rule.TIME ? Math.min(maxT, rule.max) : rule.max;
    if (value < rule.min || value > max) {
      return "\"" + key + "\" is " + value + ", not " + rule.what;
    }
    return null;
  }

  /** Why {@code value} breaks {@code rule} for {@code key}, or null. */
  static String check(String key, JsonNode value, Rule rule, long maxT) {
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      return "\"" + key + "\" is " + shortText(value) + ", not a whole number";
    }
    long v = value.asLong();
    long max = rule == Rule.TIME ? Math.min(maxT, rule.max) : rule.max;
    if (v < rule.min || v > max) {
      String what =
          rule == Rule.TIME
              ? String.format(Locale.ROOT, "not a time within the recording (0 to %,d ms)", max)
              : "not " + rule.what;
      return "\"" + key + "\" is " + v + ", " + what;
    }
    return null;
  }

  private static String shortText(JsonNode value) {
    String s = value.asText();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
