package io.tombscope.agent.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.agent.tooling.AgentOptions.Option;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {
  private final List<String> warnings = new ArrayList<>();

  private AgentOptions parse(String args, Properties properties) {
    return AgentOptions.parse(args, properties, warnings::add);
  }

  private AgentOptions parse(String args) {
    return parse(args, new Properties());
  }

  @Test
  void defaultsWhenNothingIsGiven() {
    AgentOptions o = parse(null, new Properties());
    assertEquals(1000, o.intervalMillis());
    assertEquals(256, o.latencySamplePeriod());
    assertEquals(65536, o.callSiteSamplePeriod());
    assertFalse(o.releaseAtExit());
    assertEquals(0, o.releasePeriodMillis());
    assertTrue(o.jmx());
    assertTrue(o.jdk());
    assertEquals(1024, o.jdkSample());
    assertFalse(o.quiet());
    assertTrue(o.out().startsWith("tombscope-" + ProcessHandle.current().pid() + "-"));
    assertTrue(warnings.isEmpty());
    for (Option option : Option.values()) {
      assertEquals(option.defaultValue, o.given().get(option.key), option.key);
    }
  }

  @Test
  void everyDefaultIsAValidValueOfItsOwnKind() {
    for (Option option : Option.values()) {
      parse(option.key + "=" + option.defaultValue);
    }
    assertEquals(List.of(), warnings);
  }

  @Test
  void argumentsWinOverSystemPropertiesWhichFillTheRest() {
    Properties p = new Properties();
    p.setProperty("tombscope.interval", "5s");
    p.setProperty("tombscope.sample", "8");
    AgentOptions o = parse("sample=1,release=exit,out=rec-%pid,quiet=true", p);
    assertEquals(5000, o.intervalMillis());
    assertEquals(1, o.latencySamplePeriod());
    assertTrue(o.releaseAtExit());
    assertTrue(o.quiet());
    assertEquals("rec-" + ProcessHandle.current().pid(), o.out());
    assertEquals("exit", o.given().get("release"));
    assertEquals(List.of(), warnings);
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertEquals(250, AgentOptions.durationMillis("250ms", ""));
    assertEquals(1500, AgentOptions.durationMillis("1.5s", ""));
    assertEquals(120_000, AgentOptions.durationMillis("2m", ""));
    assertEquals(3_600_000, AgentOptions.durationMillis("1h", ""));
    assertEquals(42, AgentOptions.durationMillis("42", ""));
    assertEquals(Long.MAX_VALUE, AgentOptions.durationMillis("999999999999999999h", ""));
    assertEquals(30_000, parse("release=30s").releasePeriodMillis());
    assertEquals(0, parse("sample=off").latencySamplePeriod());
    assertEquals(0, parse("callsites=off").callSiteSamplePeriod());
    assertEquals(List.of(), warnings);
  }

  /**
   * The hand-written duration reader accepts exactly the strings of the regular expression it
   * replaced, with the same value: random strings over the characters that matter, and edge cases.
   */
  @Test
  void durationsAreTheLanguageOfTheirRegularExpression() {
    java.util.regex.Pattern grammar =
        java.util.regex.Pattern.compile(
            "(\\d{1,18}(?:\\.\\d{1,9})?(?:e[+-]?\\d{1,4})?)(ms|s|m|h)?");
    List<String> cases =
        new ArrayList<>(
            List.of(
                "",
                "ms",
                "1",
                "1.",
                ".5",
                "1.5",
                "1e",
                "1e+",
                "1e-3s",
                "1e12345",
                "1e1234m",
                "1234567890123456789",
                "123456789012345678",
                "1.1234567890",
                "1.123456789ms",
                "9e9999h",
                "1E3",
                "1ems",
                "2hms",
                "1sm",
                "5 s",
                "0",
                "00ms",
                "1.0e-0"));
    java.util.Random random = new java.util.Random(21);
    String alphabet = "0123456789.e+-msh";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = random.nextInt(24); n > 0; n--) {
        b.append(alphabet.charAt(random.nextInt(random.nextBoolean() ? 10 : alphabet.length())));
      }
      cases.add(b.toString());
    }
    int accepted = 0;
    for (String c : cases) {
      java.util.regex.Matcher m = grammar.matcher(c.trim().toLowerCase(java.util.Locale.ROOT));
      Long expected = null;
      if (m.matches()) {
        long unit =
            switch (m.group(2) == null ? "ms" : m.group(2)) {
              case "ms" -> 1;
              case "s" -> 1000;
              case "m" -> 60_000;
              default -> 3_600_000;
            };
        java.math.BigDecimal ms =
            new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit));
        expected =
            ms.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) >= 0
                ? Long.MAX_VALUE
                : ms.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        accepted++;
      }
      Long actual;
      try {
        actual = AgentOptions.durationMillis(c, "");
      } catch (IllegalArgumentException e) {
        actual = null;
      }
      assertEquals(expected, actual, "'" + c + "'");
    }
    assertTrue(accepted > 10_000, "accepted " + accepted);
  }

  @Test
  void eachBadOptionIsOneWarningAndItsDefault() {
    AgentOptions o = parse("interval=soon,sample=-1,color=red,plain,jmx=maybe");
    assertEquals(5, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("color"), warnings.get(0));
    assertEquals(1000, o.intervalMillis());
    assertEquals(256, o.latencySamplePeriod());
    assertTrue(o.jmx());
    assertEquals("1s", o.given().get("interval"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "callsites=0 | agent option callsites=0 is below the minimum of 1; using 65536",
        "sample=0 | agent option sample=0 is below the minimum of 1; using 256",
        "interval=1e300s | agent option interval=1e300s is above the maximum of 1h; using 1s",
        "interval=NaNs | agent option interval=NaNs is not a duration like 500ms, 2s, 1.5m or 1h;"
            + " using 1s",
        "interval=-5s | agent option interval=-5s is not a duration like 500ms, 2s, 1.5m or 1h;"
            + " using 1s",
        "interval=99999999999999s | agent option interval=99999999999999s is above the maximum"
            + " of 1h; using 1s",
        "interval=2h | agent option interval=2h is above the maximum of 1h; using 1s",
        "interval=5ms | agent option interval=5ms is below the minimum of 10ms; using 1s",
        "release=50ms | agent option release=50ms is below the minimum of 100ms; using off",
        "release=never | agent option release=never is not a duration like 500ms, 2s, 1.5m or 1h,"
            + " exit or off; using off",
        "jdksample=3 | agent option jdksample=3 is not a power of two (1, 2, 4, 8, ...); using"
            + " 1024",
        "jdksample=0 | agent option jdksample=0 is below the minimum of 1; using 1024",
        "callsites=99999999999999999999 | agent option callsites=99999999999999999999 is not a"
            + " whole number (or off); using 65536",
        "callsites=9999999999 | agent option callsites=9999999999 is above the maximum of"
            + " 2147483647; using 65536",
        "out= | agent option out= is empty: name a directory; using tombscope-%pid-%date",
        "quiet=yes | agent option quiet=yes is not true or false; using false",
        "interval=1s;interval=2s | agent option interval is given twice (1s, then 2s); using the"
            + " first, 1s",
        "sample=1;;;sample=1 | ignoring 2 empty items in the agent options 'sample=1,,,sample=1' (a"
            + " comma too many)",
        "jdk=true; | ignoring an empty item in the agent options 'jdk=true,' (a comma too many)",
        "app=com/acme | agent option app=com/acme is not package prefixes separated by ':'; using the"
            + " default",
        "prometheus.sites=-1 | agent option prometheus.sites=-1 is not a whole number; using 50",
      })
  void eachTrapIsOneLineThatNamesTheProblem(String args, String expected) {
    parse(args.replace(';', ','));
    assertTrue(warnings.contains(expected), warnings.toString());
    long expectedLines = args.startsWith("sample=1;;;") ? 2 : 1; // the duplicated sample too
    assertEquals(expectedLines, warnings.size(), warnings.toString());
  }

  @Test
  void aBadOptionTakesItsDefault() {
    AgentOptions o = parse("callsites=0,interval=1e300s,jdksample=3,out=");
    assertEquals(65536, o.callSiteSamplePeriod());
    assertEquals(1000, o.intervalMillis());
    assertEquals(1024, o.jdkSample());
    assertTrue(o.out().startsWith("tombscope-"));
    assertEquals("65536", o.given().get("callsites"));
  }

  @Test
  void aSystemPropertyIsNamedAsSuch() {
    Properties p = new Properties();
    p.setProperty("tombscope.interval", "1ms");
    parse("", p);
    assertEquals(
        List.of("system property tombscope.interval=1ms is below the minimum of 10ms; using 1s"),
        warnings);
  }

  @Test
  void theReadmeTableIsRenderedFromTheOptions() throws Exception {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String begin = "<!-- agent-options:";
    String end = "<!-- agent-options end -->";
    int from = text.indexOf('\n', text.indexOf(begin)) + 1;
    int to = text.indexOf(end);
    assertTrue(from > 0 && to > from, "README.md has no agent options table between markers");
    String rendered = AgentOptions.markdownTable();
    if (Boolean.getBoolean("tombscope.refreshReadme")) {
      Files.writeString(
          readme, text.substring(0, from) + rendered + text.substring(to), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(
        rendered,
        text.substring(from, to),
        "README.md's agent options differ from AgentOptions.Option: copy the table above, or run"
            + " this test with -Dtombscope.refreshReadme=true");
  }

  @Test
  void dateExpandsToLocalTimeAsJavaTimeFormatsIt() {
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    for (long ms :
        new long[] {0L, 951_782_400_000L, 1_700_000_000_123L, 4_102_444_799_999L, -86_400_001L}) {
      String expected =
          java.time.Instant.ofEpochMilli(ms).atZone(java.time.ZoneId.systemDefault()).format(f);
      assertEquals(expected, AgentOptions.localDate(ms), "at " + ms);
    }
  }

  @Test
  void bigJdkMapsAreTrackedFrom4096SlotsAndTheProgramIsFoundUnlessNamed() {
    AgentOptions defaults = parse(null, new Properties());
    assertEquals(4096, defaults.jdkGrowSlots());
    assertEquals("", defaults.app());
    assertEquals(0, parse("jdkgrow=off", new Properties()).jdkGrowSlots());
    assertEquals("com.acme:org.shop", parse("app=com.acme:org.shop", new Properties()).app());
    assertTrue(warnings.isEmpty(), warnings.toString());
    AgentOptions bad = parse("app=com acme", new Properties());
    assertEquals("", bad.app());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("app=com acme"), warnings.get(0));
  }

  @Test
  void thePrometheusEndpointIsOffUnlessAskedForAndLoopbackUnlessAHostIsGiven() {
    AgentOptions off = parse(null, new Properties());
    assertEquals(-1, off.prometheusPort());
    assertEquals(50, off.prometheusSites());
    AgentOptions any = parse("prometheus=0", new Properties());
    assertEquals(0, any.prometheusPort());
    assertEquals("127.0.0.1", any.prometheusHost());
    AgentOptions all = parse("prometheus=0.0.0.0:9400,prometheus.sites=7", new Properties());
    assertEquals("0.0.0.0", all.prometheusHost());
    assertEquals(9400, all.prometheusPort());
    assertEquals(7, all.prometheusSites());
    assertEquals("::1", parse("prometheus=[::1]:9401", new Properties()).prometheusHost());
    Properties p = new Properties();
    p.setProperty("tombscope.prometheus", "9402");
    assertEquals(9402, parse(null, p).prometheusPort());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void theEndpointAloneWritesNoRecordingUnlessOutIsGiven() {
    assertEquals(null, parse("prometheus=0", new Properties()).out());
    assertEquals("rec", parse("prometheus=0,out=rec", new Properties()).out());
    Properties p = new Properties();
    p.setProperty("tombscope.out", "rec2");
    assertEquals("rec2", parse("prometheus=0", p).out());
  }

  @Test
  void aBadEndpointIsOneWarningAndNoEndpoint() {
    for (String bad : new String[] {"prometheus=yes", "prometheus=70000", "prometheus=:9400"}) {
      warnings.clear();
      AgentOptions o = parse(bad, new Properties());
      assertEquals(-1, o.prometheusPort(), bad);
      assertEquals(1, warnings.size(), bad + ": " + warnings);
      assertTrue(warnings.get(0).contains("[host:]port"), warnings.get(0));
      assertTrue(o.out() != null, "no endpoint: the recording goes to disk as usual");
    }
  }
}
