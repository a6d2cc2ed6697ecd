package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus 2.x server (Debian's {@code prometheus} package, which {@code .ci/run}
 * installs) on 127.0.0.1 with a temporary configuration that scrapes one target every second, and
 * its {@code promtool}. Where the binaries are missing the test is skipped, except under {@code
 * CI=true}, where it fails.
 */
final class PrometheusServer implements AutoCloseable {
  private static final List<Path> PLACES =
      List.of(
          Path.of("/usr/bin"), Path.of("/usr/local/bin"), Path.of("/opt/prometheus-deb/usr/bin"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base) {
    this.process = process;
    this.base = base;
  }

  /** The path of a Prometheus binary ({@code prometheus} or {@code promtool}), or the test ends. */
  static Path binary(String name) {
    Optional<Path> found =
        PLACES.stream().map(p -> p.resolve(name)).filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      String why = name + " is not installed (Debian's prometheus package; .ci/run installs it)";
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    return found.get();
  }

  /** Starts a server in {@code dir} that scrapes {@code target} (host:port) as job {@code job}. */
  static PrometheusServer start(Path dir, String job, String target) throws Exception {
    Path prometheus = binary("prometheus");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            "  - job_name: " + job,
            "    static_configs:",
            "      - targets: ['" + target + "']",
            ""));
    Process p =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (server.get("/-/ready").statusCode() == 200) {
          return server;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        server.close();
        fail("Prometheus did not start: " + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code data.result} of an instant query; fails on an error status. */
  JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = JSON.readTree(r.body());
    assertEquals("success", body.path("status").asText(), promql + " -> " + r.body());
    return body.path("data").path("result");
  }

  /** The first value of an instant query's vector result, or NaN if it is empty. */
  double value(String promql) throws IOException, InterruptedException {
    JsonNode result = query(promql);
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  /** The scrape targets' health and last errors. */
  List<String> targetErrors(String job) throws IOException, InterruptedException {
    JsonNode targets =
        JSON.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets");
    List<String> out = new ArrayList<>();
    for (JsonNode t : targets) {
      if (t.path("labels").path("job").asText().equals(job)) {
        out.add(t.path("health").asText() + ":" + t.path("lastError").asText());
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /** Runs {@code promtool} with {@code args} and {@code stdin}; returns exit code and output. */
  static String[] promtool(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(binary("promtool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool did not finish: " + command);
    }
    return new String[] {Integer.toString(p.exitValue()), output};
  }
}
