package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server scrapes {@link LiveProgram} under the packaged agent every second, and
 * the figures it stores are the program's own: exact delete totals, a finite latency quantile,
 * {@code site="other"} once the program's sites pass the cap, and no more series than the budget
 * that {@code docs/monitoring.md} documents.
 */
class PrometheusIT {
  private static final String JOB = "tombscope";
  private static final int SITE_CAP = 5;

  @TempDir Path tmp;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aRealPrometheusScrapesTheAgent() throws Exception {
    PrometheusServer.binary("prometheus"); // skip (or fail under CI) before forking anything
    Path rec = tmp.resolve("rec");
    Path out = tmp.resolve("program.out");
    Path err = tmp.resolve("program.err");
    Process program =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-javaagent:"
                    + ForkedJvm.agentJar()
                    + "=out="
                    + rec
                    + ",prometheus=0,prometheus.sites="
                    + SITE_CAP
                    + ",jdk=false,sample=1,interval=250ms",
                "-cp",
                ForkedJvm.programClassPath(),
                LiveProgram.class.getName(),
                "80",
                tmp.resolve("go").toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    List<Socket> idle = new ArrayList<>();
    try {
      Path portFile = rec.resolve("prometheus.port");
      String target =
          waitFor(
              () -> Files.isRegularFile(portFile) ? Files.readString(portFile).trim() : null,
              program,
              err);
      assertTrue(
          Files.readString(err).contains("Prometheus metrics on http://" + target + "/metrics"),
          Files.readString(err));
      assertTrue(target.startsWith("127.0.0.1:"), "loopback unless told otherwise: " + target);
      // A hundred clients that connect and never send a request must not stop the scrapes.
      String[] hostPort = target.split(":");
      for (int i = 0; i < 100; i++) {
        idle.add(new Socket(hostPort[0], Integer.parseInt(hostPort[1])));
      }
      try (PrometheusServer prometheus = PrometheusServer.start(tmp, JOB, target)) {
        waitFor(() -> prometheus.value("up{job=\"" + JOB + "\"}") == 1.0 ? "" : null, program, err);
        Files.writeString(tmp.resolve("go"), "go");
        String done =
            waitFor(
                () -> {
                  String s = Files.readString(out);
                  return s.contains("DONE") ? s : null;
                },
                program,
                err);
        Matcher m = Pattern.compile("DONE hits=(\\d+) misses=(\\d+) grows=(\\d+)").matcher(done);
        assertTrue(m.find(), done);
        long hits = Long.parseLong(m.group(1));
        long misses = Long.parseLong(m.group(2));
        // Wait until a scrape after the program's last delete is stored.
        waitFor(
            () -> {
              double stored = prometheus.value("sum(tombscope_deletes_total{job=\"" + JOB + "\"})");
              return stored == hits + misses ? "" : null;
            },
            program,
            err);
        assertEquals(List.of("up:"), prometheus.targetErrors(JOB), "up, and no scrape error");
        assertEquals(1.0, prometheus.value("up{job=\"" + JOB + "\"}"));

        assertEquals(hits, (long) prometheus.value("sum(tombscope_deletes_total{result=\"hit\"})"));
        assertEquals(
            misses, (long) prometheus.value("sum(tombscope_deletes_total{result=\"miss\"})"));
        double p99 =
            prometheus.value(
                "histogram_quantile(0.99, sum by (le) (rate(tombscope_delete_duration_seconds_bucket[1m])))");
        assertTrue(Double.isFinite(p99) && p99 > 0, "p99 delete latency " + p99);

        // Eight sites, five labels: the other three are summed under "other".
        assertTrue(
            prometheus.value("tombscope_deletes_total{site=\"other\",result=\"hit\"}") > 0,
            "the sites beyond the cap count under site=\"other\"");
        assertEquals(
            SITE_CAP,
            (long) prometheus.value("count(count by (site) (tombscope_site_info))"),
            "labelled sites");
        double series = prometheus.value("count({__name__=~\"tombscope_.+\"})");
        long budget = 13L * (SITE_CAP + 1) + 60L * 1 + 1; // docs/monitoring.md, one family
        assertTrue(series > 0 && series <= budget, series + " series, budget " + budget);

        // The page itself passes Prometheus's own linter.
        String page =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://" + target + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        String[] check = PrometheusServer.promtool(page, "check", "metrics");
        assertEquals("0", check[0], check[1]);
        assertEquals("", check[1].trim(), "promtool lint: " + check[1]);

        DashboardQueries.assertAllReturnData(prometheus, JOB, target);
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
      program.destroy();
      program.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theShippedRulesPassPromtoolsCheckAndTheirOwnTests() throws Exception {
    Path rules = Path.of("..", "monitoring", "prometheus");
    String[] check =
        PrometheusServer.promtool(
            null, "check", "rules", rules.resolve("tombscope-rules.yml").toString());
    assertEquals("0", check[0], check[1]);
    assertTrue(check[1].contains("SUCCESS: 5 rules found"), check[1]);
    String[] test =
        PrometheusServer.promtool(
            null, "test", "rules", rules.resolve("tombscope-rules.test.yml").toString());
    assertEquals("0", test[0], test[1]);
    assertTrue(test[1].contains("SUCCESS"), test[1]);
  }

  @Test
  void aRuntimeWithoutTheHttpServerModuleRecordsOnAfterOneLine() throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run =
        ForkedJvm.run(
            List.of("--limit-modules", "java.base,java.instrument,java.management,jdk.unsupported"),
            "prometheus=0,out=" + rec,
            RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().startsWith("TRUTH"), run.stdout());
    assertEquals(
        "tombscope: this runtime has no jdk.httpserver module, so the Prometheus endpoint is off;"
            + " recording goes on\n",
        run.agentStderr());
    assertTrue(
        RecordingLines.events(rec).stream().anyMatch(e -> e.path("deleteHits").asLong() > 0));
    assertFalse(Files.exists(rec.resolve("prometheus.port")));
  }

  interface Probe {
    String get() throws Exception;
  }

  /** Polls {@code probe} until it answers non-null, for at most 45 s while the program lives. */
  static String waitFor(Probe probe, Process program, Path err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (System.nanoTime() < deadline) {
      String v = probe.get();
      if (v != null) {
        return v;
      }
      if (!program.isAlive()) {
        fail("the program ended early: " + Files.readString(err, StandardCharsets.UTF_8));
      }
      Thread.sleep(200);
    }
    fail("timed out; program stderr: " + Files.readString(err, StandardCharsets.UTF_8));
    return null;
  }
}
