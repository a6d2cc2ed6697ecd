package io.tombscope.agent.tooling;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.function.Consumer;

/**
 * The agent's settings, parsed once from {@code key=value,key=value} (the {@code -javaagent}
 * argument), with {@code tombscope.<key>} system properties filling in keys the argument leaves
 * out. A bad key or value is reported in one line and replaced by its default.
 *
 * @param out recording directory with {@code %pid} and {@code %date} expanded; default {@code
 *     tombscope-%pid-%date}
 * @param intervalMillis flush period; default 1 s
 * @param latencySamplePeriod time one delete or evacuation step in this many; 0 never; default 64
 * @param callSiteSamplePeriod walk the stack of one delete in this many; default 4096
 * @param releaseAtExit run a memory release when the JVM shuts down; default false
 * @param releasePeriodMillis run a memory release this often; 0 never (default)
 * @param jmx register the {@code io.tombscope:type=Release} MBean; default true
 * @param jdk record the JDK's own maps too; default true
 * @param jdkSample track one JDK map in this many constructed (a power of two); default 1024
 * @param given the options as given, after defaults were applied, for the recording's metadata
 */
public record AgentOptions(
    String out,
    long intervalMillis,
    int latencySamplePeriod,
    int callSiteSamplePeriod,
    boolean releaseAtExit,
    long releasePeriodMillis,
    boolean jmx,
    boolean jdk,
    int jdkSample,
    Map<String, String> given) {

  private static final Map<String, String> DEFAULTS =
      Map.of(
          "out", "tombscope-%pid-%date",
          "interval", "1s",
          "sample", "64",
          "callsites", "4096",
          "release", "off",
          "jmx", "true",
          "jdk", "true",
          "jdksample", "1024");

  /** Parses {@code args} (may be null), reporting each problem through {@code warn}. */
  public static AgentOptions parse(String args, Properties properties, Consumer<String> warn) {
    Map<String, String> given = new LinkedHashMap<>();
    if (args != null && !args.isBlank()) {
      for (String part : args.split(",")) {
        int eq = part.indexOf('=');
        String key = (eq < 0 ? part : part.substring(0, eq)).trim();
        if (eq < 0 || key.isEmpty()) {
          warn.accept("ignoring agent option '" + part + "': expected key=value");
          continue;
        }
        if (!DEFAULTS.containsKey(key)) {
          warn.accept("ignoring unknown agent option '" + key + "' (known: " + known() + ")");
          continue;
        }
        given.put(key, part.substring(eq + 1).trim());
      }
    }
    for (String key : DEFAULTS.keySet()) {
      String property = properties.getProperty("tombscope." + key);
      if (property != null) {
        given.putIfAbsent(key, property.trim());
      }
    }
    Map<String, String> effective = new LinkedHashMap<>();
    for (String key :
        new String[] {
          "out", "interval", "sample", "callsites", "release", "jmx", "jdk", "jdksample"
        }) {
      effective.put(key, given.getOrDefault(key, DEFAULTS.get(key)));
    }

    long interval = millis(effective, "interval", warn, 10);
    int sample = (int) count(effective, "sample", warn);
    int callSites = (int) Math.max(1, count(effective, "callsites", warn));
    boolean atExit = false;
    long period = 0;
    String release = effective.get("release").toLowerCase(Locale.ROOT);
    if (release.equals("exit")) {
      atExit = true;
    } else if (!release.equals("off")) {
      period = millis(effective, "release", warn, 100);
    }
    String jmx = effective.get("jmx").toLowerCase(Locale.ROOT);
    if (!jmx.equals("true") && !jmx.equals("false")) {
      warn.accept("agent option jmx=" + jmx + " is not true or false; using true");
      effective.put("jmx", "true");
      jmx = "true";
    }
    String jdk = effective.get("jdk").toLowerCase(Locale.ROOT);
    if (!jdk.equals("true") && !jdk.equals("false")) {
      warn.accept("agent option jdk=" + jdk + " is not true or false; using true");
      effective.put("jdk", "true");
      jdk = "true";
    }
    int jdkSample = (int) count(effective, "jdksample", warn);
    if (jdkSample < 1) {
      warn.accept(
          "agent option jdksample=" + effective.get("jdksample") + " is below 1; using 1024");
      effective.put("jdksample", "1024");
      jdkSample = 1024;
    }
    return new AgentOptions(
        expand(effective.get("out")),
        interval,
        sample,
        callSites,
        atExit,
        period,
        jmx.equals("true"),
        jdk.equals("true"),
        jdkSample,
        Map.copyOf(effective));
  }

  private static String known() {
    return String.join(", ", new java.util.TreeSet<>(DEFAULTS.keySet()));
  }

  private static long millis(
      Map<String, String> options, String key, Consumer<String> warn, long minimum) {
    String value = options.get(key);
    try {
      long ms = parseDuration(value).toMillis();
      if (ms < minimum) {
        throw new IllegalArgumentException("below " + minimum + "ms");
      }
      return ms;
    } catch (RuntimeException e) {
      warn.accept(
          "agent option "
              + key
              + "="
              + value
              + " is not a duration like 500ms, 2s or 1m; using "
              + DEFAULTS.get(key));
      options.put(key, DEFAULTS.get(key));
      return key.equals("release") ? 0 : parseDuration(DEFAULTS.get(key)).toMillis();
    }
  }

  private static long count(Map<String, String> options, String key, Consumer<String> warn) {
    String value = options.get(key);
    if (value.equalsIgnoreCase("off")) {
      return 0;
    }
    try {
      long n = Long.parseLong(value);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      warn.accept(
          "agent option "
              + key
              + "="
              + value
              + " is not a whole number (or off); using "
              + DEFAULTS.get(key));
      options.put(key, DEFAULTS.get(key));
      return Long.parseLong(DEFAULTS.get(key));
    }
  }

  /** Parses {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h} or a bare number of milliseconds. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1e3));
    }
    if (t.endsWith("m")) {
      return Duration.ofSeconds(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
    }
    if (t.endsWith("h")) {
      return Duration.ofMinutes(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
    }
    return Duration.ofMillis(Long.parseLong(t));
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
