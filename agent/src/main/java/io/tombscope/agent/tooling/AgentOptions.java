package io.tombscope.agent.tooling;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The agent's settings, parsed once from {@code key=value,key=value} (the {@code -javaagent}
 * argument), with {@code tombscope.<key>} system properties filling in keys the argument leaves
 * out. A bad key or value is reported in one line and replaced by its default.
 *
 * @param out recording directory with {@code %pid} and {@code %date} expanded; default {@code
 *     tombscope-%pid-%date}, or null (no recording on disk) when the Prometheus endpoint is on and
 *     {@code out} was not given
 * @param intervalMillis flush period; default 1 s
 * @param latencySamplePeriod time one delete or evacuation step in this many; 0 never; default 64
 * @param callSiteSamplePeriod walk the stack of one delete in this many; default 4096
 * @param releaseAtExit run a memory release when the JVM shuts down; default false
 * @param releasePeriodMillis run a memory release this often; 0 never (default)
 * @param jmx register the {@code io.tombscope:type=Release} MBean; default true
 * @param jdk record the JDK's own maps too; default true
 * @param jdkSample track one JDK map in this many constructed (a power of two); default 1024
 * @param jdkGrowSlots track every JDK map whose table grows to this many slots; 0 never; default
 *     4096
 * @param app the program's own packages, prefixes separated by {@code :}; empty (default) for
 *     classes loaded from a directory or from the jar {@code java -jar} ran
 * @param prometheusHost the address the Prometheus endpoint binds; default 127.0.0.1
 * @param prometheusPort its port, 0 for any free one; -1 when the endpoint is off (default)
 * @param prometheusSites the most sites with their own {@code site} label; default 50
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
    int jdkGrowSlots,
    String app,
    String prometheusHost,
    int prometheusPort,
    int prometheusSites,
    Map<String, String> given) {

  private static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("out", "tombscope-%pid-%date"),
          Map.entry("interval", "1s"),
          Map.entry("sample", "64"),
          Map.entry("callsites", "4096"),
          Map.entry("release", "off"),
          Map.entry("jmx", "true"),
          Map.entry("jdk", "true"),
          Map.entry("jdksample", "1024"),
          Map.entry("jdkgrow", "4096"),
          Map.entry("app", ""),
          Map.entry("prometheus", "off"),
          Map.entry("prometheus.sites", "50"));

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
          "out",
          "interval",
          "sample",
          "callsites",
          "release",
          "jmx",
          "jdk",
          "jdksample",
          "jdkgrow",
          "app",
          "prometheus",
          "prometheus.sites"
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
    int jdkGrow = (int) count(effective, "jdkgrow", warn);
    String app = effective.get("app");
    if (!app.matches("[\\p{javaJavaIdentifierPart}.:]*")) {
      warn.accept(
          "agent option app="
              + app
              + " is not package prefixes separated by ':'; using the default");
      effective.put("app", "");
      app = "";
    }
    String prometheusHost = "127.0.0.1";
    int prometheusPort = -1;
    String endpoint = effective.get("prometheus");
    if (!endpoint.equalsIgnoreCase("off")) {
      int colon = endpoint.lastIndexOf(':');
      String host = colon < 0 ? "" : endpoint.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(endpoint.substring(colon + 1));
        if (port < 0 || port > 65535 || (colon >= 0 && host.isEmpty())) {
          throw new NumberFormatException();
        }
        prometheusPort = port;
        prometheusHost = host.isEmpty() ? prometheusHost : host;
      } catch (NumberFormatException e) {
        warn.accept(
            "agent option prometheus="
                + endpoint
                + " is not [host:]port (such as 9400 or 0.0.0.0:9400); the endpoint stays off");
        effective.put("prometheus", "off");
      }
    }
    int prometheusSites = (int) count(effective, "prometheus.sites", warn);
    boolean diskWanted = prometheusPort < 0 || given.containsKey("out");
    if (!diskWanted) {
      effective.remove("out");
    }
    return new AgentOptions(
        diskWanted ? expand(effective.get("out")) : null,
        interval,
        sample,
        callSites,
        atExit,
        period,
        jmx.equals("true"),
        jdk.equals("true"),
        jdkSample,
        jdkGrow,
        app,
        prometheusHost,
        prometheusPort,
        prometheusSites,
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
    return pattern
        .replace("%pid", Long.toString(ProcessHandle.current().pid()))
        .replace(
            "%date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }
}
