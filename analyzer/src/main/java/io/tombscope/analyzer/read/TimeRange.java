package io.tombscope.analyzer.read;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of a recording to read ({@code --from}, {@code --to}): the intervals that end after
 * {@code from} and no later than {@code to}. Each end is a time since the recording's start ({@code
 * 90s}, {@code 15m}, {@code 1h30m}, {@code 500ms}, {@code 2d}) or an instant ({@code
 * 2026-12-03T10:15:00Z}, with its zone or offset), resolved against the recording's start by {@link
 * #fromMs} and {@link #toMs}. Immutable.
 */
public final class TimeRange {
  /** The whole recording. */
  public static final TimeRange ALL = new TimeRange(null, null, null, null, "");

  private static final Pattern DURATION =
      Pattern.compile(
          "(?:(\\d{1,9})d)?(?:(\\d{1,9})h)?(?:(\\d{1,9})m(?!s))?(?:(\\d{1,9})s)?(?:(\\d{1,12})ms)?");

  private final Long fromSinceStartMs;
  private final Long fromEpochMs;
  private final Long toSinceStartMs;
  private final Long toEpochMs;
  private final String given;

  private TimeRange(
      Long fromSinceStartMs, Long fromEpochMs, Long toSinceStartMs, Long toEpochMs, String given) {
    this.given = given;
    this.fromSinceStartMs = fromSinceStartMs;
    this.fromEpochMs = fromEpochMs;
    this.toSinceStartMs = toSinceStartMs;
    this.toEpochMs = toEpochMs;
  }

  /**
   * The range between {@code from} and {@code to} as given on the command line (either may be null:
   * the recording's start, its end).
   *
   * @throws IllegalArgumentException with a one-line message naming the option and its value
   */
  public static TimeRange parse(String from, String to) {
    long[] f = from == null ? null : time("--from", from);
    long[] t = to == null ? null : time("--to", to);
    TimeRange r =
        new TimeRange(
            f != null && f[0] == 0 ? f[1] : null,
            f != null && f[0] == 1 ? f[1] : null,
            t != null && t[0] == 0 ? t[1] : null,
            t != null && t[0] == 1 ? t[1] : null,
            ((from == null ? "" : "--from " + Printable.clean(from))
                    + (to == null ? "" : " --to " + Printable.clean(to)))
                .trim());
    boolean sameKind = (f == null || t == null) || f[0] == t[0];
    if (f != null && t != null && sameKind && f[1] >= t[1]) {
      throw new IllegalArgumentException(
          "--from " + from + " is not before --to " + to + ": the range would be empty");
    }
    return r;
  }

  /** {kind, ms}: kind 0 a time since the start, 1 an instant in ms since the epoch. */
  private static long[] time(String option, String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      throw new IllegalArgumentException(option + " is empty: " + EXPECTED);
    }
    if (Character.isDigit(v.charAt(0)) && v.indexOf('T') > 0) {
      try {
        return new long[] {1, OffsetDateTime.parse(v).toInstant().toEpochMilli()};
      } catch (DateTimeParseException e) {
        try {
          return new long[] {1, Instant.parse(v).toEpochMilli()};
        } catch (DateTimeParseException e2) {
          throw new IllegalArgumentException(
              option + " " + Printable.clean(value) + ": not an instant with a zone; " + EXPECTED);
        }
      }
    }
    Matcher m = DURATION.matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches() || v.chars().noneMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          option + " " + Printable.clean(value) + ": not a time; " + EXPECTED);
    }
    long ms = 0;
    long[] unit = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    for (int g = 1; g <= 5; g++) {
      if (m.group(g) != null) {
        ms += Long.parseLong(m.group(g)) * unit[g - 1];
      }
    }
    if (ms > NumberRules.MAX) {
      throw new IllegalArgumentException(
          option + " " + Printable.clean(value) + ": past any recording's end; " + EXPECTED);
    }
    return new long[] {0, ms};
  }

  private static final String EXPECTED =
      "give a time since the recording's start (90s, 15m, 1h30m, 2d) or an instant"
          + " (2026-12-03T10:15:00Z)";

  /** Whether this is the whole recording. */
  public boolean isAll() {
    return fromSinceStartMs == null
        && fromEpochMs == null
        && toSinceStartMs == null
        && toEpochMs == null;
  }

  /** The start of the range in ms since the recording's start {@code startEpochMs}; 0 if none. */
  public long fromMs(long startEpochMs) {
    if (fromSinceStartMs != null) {
      return fromSinceStartMs;
    }
    return fromEpochMs != null ? Math.max(0, fromEpochMs - startEpochMs) : 0;
  }

  /** The end of the range in ms since the recording's start; {@link Long#MAX_VALUE} if none. */
  public long toMs(long startEpochMs) {
    if (toSinceStartMs != null) {
      return toSinceStartMs;
    }
    return toEpochMs != null ? toEpochMs - startEpochMs : Long.MAX_VALUE;
  }

  /** The range as given, for messages: {@code --from 10m --to 20m}. */
  @Override
  public String toString() {
    return given;
  }
}
