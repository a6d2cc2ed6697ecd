package io.tombscope.agent.tooling;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * The agent's settings, parsed once from {@code key=value,key=value} (the {@code -javaagent}
 * argument), with {@code tombscope.<key>} system properties filling in keys the argument leaves
 * out. Every option is one row of {@link Option}: its key, default, {@link Kind} and range, and
 * what it means. The README's options table is rendered from the same rows ({@link
 * #markdownTable()}), and a test fails when the two disagree.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Each problem is one line through {@code warn}, naming the option, the value and what is
 *       wrong with it; the option then takes its default. Nothing throws.
 *   <li>Problems: an unknown key, an item without {@code =}, empty items ({@code a=1,,b=2}), a key
 *       given twice (the first one counts), and a value that is not of its kind or is outside its
 *       range ("below the minimum of 10ms").
 *   <li>Parsed values are immutable; {@link #given()} holds every option as it took effect, for the
 *       recording's metadata.
 * </ol>
 */
public final class AgentOptions {
  /** The value of a {@link Kind#PERIOD_EXIT_OR_OFF} option set to {@code exit}. */
  public static final long AT_EXIT = -1;

  /**
   * Every agent option. Adding one is adding a row; read it with {@link #flag}, {@link #number} or
   * {@link #text}. Durations are in milliseconds; a meaning is one Markdown sentence or two.
   */
  public enum Option {
    OUT(
        "out",
        "tombscope-%pid-%date",
        Kind.PATH,
        "The recording directory; `%pid` and `%date` expand, a relative path is relative to the"
            + " working directory. If it exists and is not an empty directory of yours, the"
            + " recording goes to a fresh name beside it (`rec-123-1`)."),
    INTERVAL(
        "interval",
        "1s",
        Kind.DURATION,
        10,
        3_600_000,
        "How often the recording is written: a crash loses at most this much."),
    HISTOGRAMS(
        "histograms",
        "1m",
        Kind.DURATION,
        10,
        3_600_000,
        "How often the histograms are written into the segment (never more often than"
            + " `interval`); in between, the period so far goes to a small side file every"
            + " interval, so a crash loses at most the interval in progress of them too."),
    SEGMENT(
        "segment",
        "1h",
        Kind.DURATION,
        1_000,
        86_400_000,
        "The time one segment of the recording covers: its files are compressed and closed when"
            + " the next one starts."),
    SAMPLE(
        "sample",
        "256",
        Kind.COUNT_OR_OFF,
        1,
        Integer.MAX_VALUE,
        "Time one delete or evacuation step in this many; `1` times all (no overhead target: two"
            + " `System.nanoTime()` calls cost more than a `BucketHashMap`'s whole churn step),"
            + " `off` none."),
    CALLSITES(
        "callsites",
        "65536",
        Kind.COUNT_OR_OFF,
        1,
        Integer.MAX_VALUE,
        "Walk the stack of one delete in this many, after each map's first few, to record its"
            + " callers; `off` walks none."),
    RELEASE(
        "release",
        "off",
        Kind.PERIOD_EXIT_OR_OFF,
        100,
        86_400_000,
        "Run a memory release at `exit`, every period (`30s`), or never (`off`)."),
    JMX(
        "jmx",
        "true",
        Kind.BOOLEAN,
        "Register the `io.tombscope:type=Release` MBean, once the JVM has a platform MBean"
            + " server."),
    JDK("jdk", "true", Kind.BOOLEAN, "Record the JDK's own maps too."),
    JDKSAMPLE(
        "jdksample",
        "1024",
        Kind.POWER_OF_TWO,
        1,
        1 << 30,
        "Track one JDK map in this many constructed; `1` tracks all."),
    JDKGROW(
        "jdkgrow",
        "4096",
        Kind.COUNT_OR_OFF,
        1,
        1 << 30,
        "Also track every JDK map whose table grows to this many slots; `off` never."),
    APP(
        "app",
        "",
        Kind.PACKAGES,
        "The program's own code, as package prefixes separated by `:` (`app=com.acme`); by"
            + " default, classes loaded from a directory or from the jar `java -jar` ran."),
    PROMETHEUS(
        "prometheus",
        "off",
        Kind.ENDPOINT_OR_OFF,
        "Serve live metrics for Prometheus on 127.0.0.1 unless a host is given; `0` picks a free"
            + " port. Without `out`, nothing is written to disk."),
    PROMETHEUS_SITES(
        "prometheus.sites",
        "50",
        Kind.COUNT,
        0,
        Integer.MAX_VALUE,
        "Sites with their own `site` label; the rest are summed as `site=\"other\"`."),
    QUIET("quiet", "false", Kind.BOOLEAN, "Leave out the start line on stderr.");

    /** The key in {@code key=value} and, after {@code tombscope.}, the system property. */
    public final String key;

    /** Taken when the option is not given, or given wrong. */
    public final String defaultValue;

    public final Kind kind;

    /** The smallest and largest value accepted (milliseconds for durations). */
    public final long minimum;

    public final long maximum;

    /** What the option does, for the README's table. */
    public final String meaning;

    Option(String key, String defaultValue, Kind kind, String meaning) {
      this(key, defaultValue, kind, 0, 0, meaning);
    }

    Option(String key, String defaultValue, Kind kind, long minimum, long maximum, String meaning) {
      this.key = key;
      this.defaultValue = defaultValue;
      this.kind = kind;
      this.minimum = minimum;
      this.maximum = maximum;
      this.meaning = meaning;
    }

    static Option byKey(String key) {
      for (Option o : values()) {
        if (o.key.equals(key)) {
          return o;
        }
      }
      return null;
    }
  }

  /** What values an option takes; each kind parses and checks its own. */
  public enum Kind {
    /** A path, not empty; {@code %pid} and {@code %date} expand. Read with {@link #text}. */
    PATH,
    /** Any text, for options that check their own values. Read with {@link #text}. */
    TEXT,
    /** {@code true} or {@code false}. Read with {@link #flag}. */
    BOOLEAN,
    /** A whole number in range. Read with {@link #number}. */
    COUNT,
    /** A whole number in range, or {@code off} (0). */
    COUNT_OR_OFF,
    /** A power of two in range. */
    POWER_OF_TWO,
    /** {@code 250ms}, {@code 2s}, {@code 1.5m}, {@code 1h} or bare milliseconds, in range. */
    DURATION,
    /** A duration in range, {@code exit} ({@link #AT_EXIT}) or {@code off} (0). */
    PERIOD_EXIT_OR_OFF,
    /** Package prefixes separated by {@code :}, or nothing. Read with {@link #text}. */
    PACKAGES,
    /**
     * {@code [host:]port} ({@code [::1]:9400} for IPv6) or {@code off}. Read with {@link
     * #endpoint}.
     */
    ENDPOINT_OR_OFF
  }

  /** A {@link Kind#ENDPOINT_OR_OFF} value: {@code host} (null if not given) and {@code port}. */
  public record Endpoint(String host, int port) {}

  private final Map<Option, Object> values;
  private final Map<String, String> given;

  private AgentOptions(Map<Option, Object> values, Map<String, String> given) {
    this.values = values;
    this.given = given;
  }

  /** Parses {@code args} (may be null), reporting each problem through {@code warn}. */
  public static AgentOptions parse(String args, Properties properties, Consumer<String> warn) {
    Map<Option, String> raw = new EnumMap<>(Option.class);
    if (args != null && !args.isBlank()) {
      int empty = 0;
      for (String part : args.split(",", -1)) {
        String item = part.trim();
        int eq = item.indexOf('=');
        String key = (eq < 0 ? item : item.substring(0, eq)).trim();
        Option option = Option.byKey(key);
        if (item.isEmpty()) {
          empty++;
        } else if (eq < 0 || key.isEmpty()) {
          warn.accept("ignoring agent option '" + item + "': expected key=value");
        } else if (option == null) {
          warn.accept("ignoring unknown agent option '" + key + "' (known: " + known() + ")");
        } else {
          String value = item.substring(eq + 1).trim();
          String first = raw.putIfAbsent(option, value);
          if (first != null) {
            warn.accept(
                "agent option "
                    + key
                    + " is given twice ("
                    + first
                    + ", then "
                    + value
                    + "); using the first, "
                    + first);
          }
        }
      }
      if (empty > 0) {
        warn.accept(
            "ignoring "
                + (empty == 1 ? "an empty item" : empty + " empty items")
                + " in the agent options '"
                + args
                + "' (a comma too many)");
      }
    }
    Map<Option, Object> values = new EnumMap<>(Option.class);
    Map<String, String> given = new LinkedHashMap<>();
    for (Option option : Option.values()) {
      String where = "agent option ";
      String value = raw.get(option);
      if (value == null) {
        value = properties.getProperty("tombscope." + option.key);
        where = "system property tombscope.";
      }
      if (value == null) {
        value = option.defaultValue;
      }
      value = value.trim();
      Object parsed;
      try {
        parsed = parseValue(option, value);
      } catch (IllegalArgumentException e) {
        warn.accept(
            where
                + option.key
                + "="
                + value
                + " "
                + e.getMessage()
                + "; using "
                + (option.defaultValue.isEmpty() ? "the default" : option.defaultValue));
        value = option.defaultValue;
        parsed = parseValue(option, value);
      }
      values.put(option, parsed);
      given.put(option.key, value);
    }
    // The endpoint alone records nothing to disk, unless out is given too.
    if (values.get(Option.PROMETHEUS) != null
        && !raw.containsKey(Option.OUT)
        && properties.getProperty("tombscope." + Option.OUT.key) == null) {
      values.put(Option.OUT, null);
      given.remove(Option.OUT.key);
    }
    return new AgentOptions(values, java.util.Collections.unmodifiableMap(given));
  }

  /** The value of a {@link Kind#BOOLEAN} option. */
  public boolean flag(Option option) {
    return (Boolean) values.get(option);
  }

  /**
   * The value of a count (0 for {@code off}), or of a duration in milliseconds ({@link #AT_EXIT}
   * for {@code exit}).
   */
  public long number(Option option) {
    return (Long) values.get(option);
  }

  /** The value of a {@link Kind#PATH} (expanded), {@link Kind#TEXT} or {@link Kind#PACKAGES}. */
  public String text(Option option) {
    return (String) values.get(option);
  }

  /** The value of a {@link Kind#ENDPOINT_OR_OFF} option; null when off. */
  public Endpoint endpoint(Option option) {
    return (Endpoint) values.get(option);
  }

  /**
   * Recording directory, {@code %pid} and {@code %date} expanded; null (nothing on disk) when the
   * Prometheus endpoint is on and {@code out} was not given.
   */
  public String out() {
    return text(Option.OUT);
  }

  /** Flush period. */
  public long intervalMillis() {
    return number(Option.INTERVAL);
  }

  /** How often the histograms are written: a multiple of the flush period, at least one. */
  public long histogramMillis() {
    return number(Option.HISTOGRAMS);
  }

  /** The time one segment of the recording covers. */
  public long segmentMillis() {
    return number(Option.SEGMENT);
  }

  /** Time one delete or evacuation step in this many; 0 never. */
  public int latencySamplePeriod() {
    return (int) number(Option.SAMPLE);
  }

  /** Walk the stack of one delete in this many; 0 never. */
  public int callSiteSamplePeriod() {
    return (int) number(Option.CALLSITES);
  }

  /** Run a memory release when the JVM shuts down. */
  public boolean releaseAtExit() {
    return number(Option.RELEASE) == AT_EXIT;
  }

  /** Run a memory release this often; 0 never. */
  public long releasePeriodMillis() {
    return Math.max(0, number(Option.RELEASE));
  }

  /** Register the {@code io.tombscope:type=Release} MBean. */
  public boolean jmx() {
    return flag(Option.JMX);
  }

  /** Record the JDK's own maps too. */
  public boolean jdk() {
    return flag(Option.JDK);
  }

  /** Track one JDK map in this many constructed (a power of two). */
  public int jdkSample() {
    return (int) number(Option.JDKSAMPLE);
  }

  /** Track every JDK map whose table grows to this many slots; 0 never. */
  public int jdkGrowSlots() {
    return (int) number(Option.JDKGROW);
  }

  /** The program's own packages, prefixes separated by {@code :}; empty for the default. */
  public String app() {
    return text(Option.APP);
  }

  /** The address the Prometheus endpoint binds; 127.0.0.1 unless given. */
  public String prometheusHost() {
    Endpoint e = endpoint(Option.PROMETHEUS);
    return e == null || e.host() == null ? "127.0.0.1" : e.host();
  }

  /** The Prometheus endpoint's port, 0 for any free one; -1 when the endpoint is off. */
  public int prometheusPort() {
    Endpoint e = endpoint(Option.PROMETHEUS);
    return e == null ? -1 : e.port();
  }

  /** The most sites with their own {@code site} label on the Prometheus endpoint. */
  public int prometheusSites() {
    return (int) number(Option.PROMETHEUS_SITES);
  }

  /** No start line. */
  public boolean quiet() {
    return flag(Option.QUIET);
  }

  /** Every option as it took effect (defaults applied, bad values replaced), by key. */
  public Map<String, String> given() {
    return given;
  }

  /** The README's options table, in Markdown: option, default, the values it takes, and meaning. */
  public static String markdownTable() {
    StringBuilder table =
        new StringBuilder("| option | default | takes | meaning |\n|---|---|---|---|\n");
    for (Option o : Option.values()) {
      table
          .append("| `")
          .append(o.key)
          .append("` | ")
          .append(o.defaultValue.isEmpty() ? "none" : "`" + o.defaultValue + "`")
          .append(" | ")
          .append(takes(o))
          .append(" | ")
          .append(o.meaning)
          .append(" |\n");
    }
    return table.toString();
  }

  /** What values {@code o} takes, in words. */
  static String takes(Option o) {
    return switch (o.kind) {
      case PATH -> "a path";
      case TEXT -> "text";
      case BOOLEAN -> "`true`, `false`";
      case COUNT -> range(o, "a whole number");
      case COUNT_OR_OFF -> range(o, "a whole number") + ", or `off`";
      case POWER_OF_TWO -> range(o, "a power of two");
      case DURATION -> range(o, "a duration");
      case PERIOD_EXIT_OR_OFF -> range(o, "a duration") + ", `exit`, or `off`";
      case PACKAGES -> "package prefixes separated by `:`";
      case ENDPOINT_OR_OFF -> "`[host:]port`, or `off`";
    };
  }

  private static String range(Option o, String what) {
    if (o.maximum == Integer.MAX_VALUE || o.maximum == Long.MAX_VALUE) {
      return what + " ≥ " + format(o, o.minimum);
    }
    return what + ", " + format(o, o.minimum) + " to " + format(o, o.maximum);
  }

  private static String format(Option o, long value) {
    boolean duration = o.kind == Kind.DURATION || o.kind == Kind.PERIOD_EXIT_OR_OFF;
    return duration ? formatMillis(value) : Long.toString(value);
  }

  private static Object parseValue(Option option, String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    switch (option.kind) {
      case PATH:
        if (value.isEmpty()) {
          throw new IllegalArgumentException("is empty: name a directory");
        }
        return expand(value);
      case TEXT:
        return value;
      case BOOLEAN:
        if (!lower.equals("true") && !lower.equals("false")) {
          throw new IllegalArgumentException("is not true or false");
        }
        return lower.equals("true");
      case COUNT_OR_OFF:
        if (lower.equals("off")) {
          return 0L;
        }
        return inRange(option, wholeNumber(value, " (or off)"));
      case COUNT:
        return inRange(option, wholeNumber(value, ""));
      case POWER_OF_TWO:
        long n = inRange(option, wholeNumber(value, ""));
        if (Long.bitCount(n) != 1) {
          throw new IllegalArgumentException("is not a power of two (1, 2, 4, 8, ...)");
        }
        return n;
      case PERIOD_EXIT_OR_OFF:
        if (lower.equals("off")) {
          return 0L;
        }
        if (lower.equals("exit")) {
          return AT_EXIT;
        }
        return inRange(option, durationMillis(value, ", exit or off"));
      case DURATION:
        return inRange(option, durationMillis(value, ""));
      case PACKAGES:
        // A loop, not a stream: streams load dozens of classes into every JVM the agent starts in.
        for (int i = 0; i < value.length(); ) {
          int c = value.codePointAt(i);
          if (c != '.' && c != ':' && !Character.isJavaIdentifierPart(c)) {
            throw new IllegalArgumentException("is not package prefixes separated by ':'");
          }
          i += Character.charCount(c);
        }
        return value;
      case ENDPOINT_OR_OFF:
        return lower.equals("off") ? null : endpoint(value);
      default:
        throw new AssertionError(option.kind);
    }
  }

  private static Endpoint endpoint(String value) {
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? null : value.substring(0, colon);
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = value.substring(colon + 1);
    if ((host != null && host.isEmpty())
        || !digits(port, 0, port.length(), 19)
        || port.length() > 5
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("is not [host:]port (such as 9400 or 0.0.0.0:9400)");
    }
    return new Endpoint(host, Integer.parseInt(port));
  }

  private static long wholeNumber(String value, String orWhat) {
    if (!digits(value, 0, value.length(), 19)) {
      throw new IllegalArgumentException("is not a whole number" + orWhat);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // 19 digits past the largest long: above any maximum
    }
  }

  private static long inRange(Option option, long value) {
    if (value < option.minimum) {
      throw new IllegalArgumentException(
          "is below the minimum of " + format(option, option.minimum));
    }
    if (value > option.maximum) {
      throw new IllegalArgumentException(
          "is above the maximum of " + format(option, option.maximum));
    }
    return value;
  }

  /**
   * Milliseconds of {@code 250ms}, {@code 2s}, {@code 1.5m}, {@code 1h} or a bare number of
   * milliseconds; saturates at {@link Long#MAX_VALUE} rather than overflow.
   */
  static long durationMillis(String text, String orWhat) {
    // By hand rather than with a regular expression: java.util.regex costs the agent's start tens
    // of
    // milliseconds. The number is 1-18 digits, then optionally '.' and 1-9 digits, then optionally
    // 'e', a sign and 1-4 digits; the unit ms, s, m, h or none.
    String t = text.trim().toLowerCase(Locale.ROOT);
    int end = t.length();
    String unit = "ms";
    for (String u : new String[] {"ms", "s", "m", "h"}) {
      if (t.endsWith(u)) {
        unit = u;
        end -= u.length();
        break;
      }
    }
    int i = run(t, 0, end);
    boolean plain = i == end;
    if (i < end && t.charAt(i) == '.') {
      int j = run(t, i + 1, end);
      i = j - (i + 1) <= 9 && j > i + 1 ? j : -1;
    }
    if (i >= 0 && i < end && t.charAt(i) == 'e') {
      int j = i + 1 < end && (t.charAt(i + 1) == '+' || t.charAt(i + 1) == '-') ? i + 2 : i + 1;
      int k = run(t, j, end);
      i = k - j <= 4 && k > j ? k : -1;
    }
    int intDigits = run(t, 0, end);
    if (i != end || intDigits == 0 || intDigits > 18) {
      throw new IllegalArgumentException("is not a duration like 500ms, 2s, 1.5m or 1h" + orWhat);
    }
    long unitMillis =
        switch (unit) {
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
    if (plain) {
      long n = Long.parseLong(t, 0, end, 10);
      return n > Long.MAX_VALUE / unitMillis ? Long.MAX_VALUE : n * unitMillis;
    }
    BigDecimal millis =
        new BigDecimal(t.substring(0, end)).multiply(BigDecimal.valueOf(unitMillis));
    if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0) {
      return Long.MAX_VALUE;
    }
    return millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
  }

  /** True if {@code value} holds only Java identifier characters, {@code .} and {@code :}. */
  private static boolean packagePrefixes(String value) {
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      if (c != '.' && c != ':' && !Character.isJavaIdentifierPart(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** The end of the run of ASCII digits in {@code s} from {@code from}, before {@code end}. */
  private static int run(String s, int from, int end) {
    int i = from;
    while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  /** True if {@code s[from, end)} is 1 to {@code max} ASCII digits. */
  private static boolean digits(String s, int from, int end, int max) {
    return end > from && end - from <= max && run(s, from, end) == end;
  }

  /** {@code 90000} as {@code 90s}, {@code 3600000} as {@code 1h}: the largest whole unit. */
  static String formatMillis(long millis) {
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis != 0 && millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  private static String known() {
    StringJoiner keys = new StringJoiner(", ");
    for (Option o : Option.values()) {
      keys.add(o.key);
    }
    return keys.toString();
  }

  /** Expands {@code %pid} and {@code %date} (yyyyMMdd-HHmmss, local time). */
  static String expand(String pattern) {
    String out = pattern.replace("%pid", Long.toString(ProcessHandle.current().pid()));
    return out.contains("%date")
        ? out.replace("%date", localDate(System.currentTimeMillis()))
        : out;
  }

  /**
   * {@code epochMs} as yyyyMMdd-HHmmss in the default time zone, without java.time's zone rules and
   * formatter: loading those costs every JVM the agent starts in about 0.1 s of CPU.
   */
  static String localDate(long epochMs) {
    long local = epochMs + TimeZone.getDefault().getOffset(epochMs);
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(local, 86_400_000L));
    int second = (int) (Math.floorMod(local, 86_400_000L) / 1000);
    return pad(day.getYear(), 4)
        + pad(day.getMonthValue(), 2)
        + pad(day.getDayOfMonth(), 2)
        + '-'
        + pad(second / 3600, 2)
        + pad(second / 60 % 60, 2)
        + pad(second % 60, 2);
  }

  private static String pad(int value, int digits) {
    String s = Integer.toString(value);
    return s.length() >= digits ? s : "0".repeat(digits - s.length()) + s;
  }
}
