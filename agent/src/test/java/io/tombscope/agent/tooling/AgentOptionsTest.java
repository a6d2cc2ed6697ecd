package io.tombscope.agent.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
  private final List<String> warnings = new ArrayList<>();

  private AgentOptions parse(String args, Properties properties) {
    return AgentOptions.parse(args, properties, warnings::add);
  }

  @Test
  void defaultsWhenNothingIsGiven() {
    AgentOptions o = parse(null, new Properties());
    assertEquals(1000, o.intervalMillis());
    assertEquals(64, o.latencySamplePeriod());
    assertEquals(4096, o.callSiteSamplePeriod());
    assertFalse(o.releaseAtExit());
    assertEquals(0, o.releasePeriodMillis());
    assertTrue(o.jmx());
    assertTrue(o.out().startsWith("tombscope-" + ProcessHandle.current().pid() + "-"));
    assertTrue(warnings.isEmpty());
  }

  @Test
  void argumentsWinOverSystemPropertiesWhichFillTheRest() {
    Properties p = new Properties();
    p.setProperty("tombscope.interval", "5s");
    p.setProperty("tombscope.sample", "8");
    AgentOptions o = parse("sample=1,release=exit,out=rec-%pid", p);
    assertEquals(5000, o.intervalMillis());
    assertEquals(1, o.latencySamplePeriod());
    assertTrue(o.releaseAtExit());
    assertEquals("rec-" + ProcessHandle.current().pid(), o.out());
    assertEquals("exit", o.given().get("release"));
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    assertEquals(250, AgentOptions.parseDuration("250ms").toMillis());
    assertEquals(1500, AgentOptions.parseDuration("1.5s").toMillis());
    assertEquals(120_000, AgentOptions.parseDuration("2m").toMillis());
    assertEquals(3_600_000, AgentOptions.parseDuration("1h").toMillis());
    assertEquals(42, AgentOptions.parseDuration("42").toMillis());
    assertEquals(30_000, parse("release=30s", new Properties()).releasePeriodMillis());
    assertEquals(0, parse("sample=off", new Properties()).latencySamplePeriod());
  }

  @Test
  void eachBadOptionIsOneWarningAndItsDefault() {
    AgentOptions o = parse("interval=soon,sample=-1,color=red,plain,jmx=maybe", new Properties());
    assertEquals(5, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("color"), warnings.get(0));
    assertEquals(1000, o.intervalMillis());
    assertEquals(64, o.latencySamplePeriod());
    assertTrue(o.jmx());
    assertEquals("1s", o.given().get("interval"));
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
