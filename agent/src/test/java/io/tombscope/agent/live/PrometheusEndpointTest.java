package io.tombscope.agent.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {
  private final List<String> warnings = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private InetSocketAddress start() {
    byte[] page = "tombscope_maps{site=\"other\"} 0\n".getBytes(StandardCharsets.UTF_8);
    InetSocketAddress bound =
        PrometheusEndpoint.start(new InetSocketAddress("127.0.0.1", 0), () -> page, warnings::add);
    assertNotNull(bound, warnings.toString());
    return bound;
  }

  private HttpResponse<String> send(InetSocketAddress a, String method, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesOnlyGetOnItsTwoPaths() throws Exception {
    InetSocketAddress a = start();
    HttpResponse<String> metrics = send(a, "GET", "/metrics");
    assertEquals(200, metrics.statusCode());
    assertEquals(
        "text/plain; version=0.0.4; charset=utf-8",
        metrics.headers().firstValue("Content-Type").orElse(""));
    assertEquals("tombscope_maps{site=\"other\"} 0\n", metrics.body());
    assertEquals(200, send(a, "GET", "/health").statusCode());
    assertEquals(404, send(a, "GET", "/").statusCode());
    assertEquals(404, send(a, "GET", "/metrics/x").statusCode());
    HttpResponse<String> post = send(a, "POST", "/metrics");
    assertEquals(405, post.statusCode());
    assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    assertEquals(405, send(a, "DELETE", "/health").statusCode());
    assertEquals(405, send(a, "HEAD", "/metrics").statusCode());
  }

  @Test
  void scrapesGoOnWhileAHundredClientsConnectAndNeverSendARequest() throws Exception {
    InetSocketAddress a = start();
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        idle.add(new Socket("127.0.0.1", a.getPort()));
      }
      for (int i = 0; i < 5; i++) {
        assertEquals(200, send(a, "GET", "/metrics").statusCode());
      }
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  @Test
  void itsThreadsAreDaemonsWithTheAgentsName() throws Exception {
    start();
    long endpointThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("tombscope-prometheus"))
            .peek(t -> assertTrue(t.isDaemon(), t + " is a daemon"))
            .count();
    assertTrue(endpointThreads >= 1, "the dispatcher carries the agent's thread name");
  }

  @Test
  void aPortInUseIsOneLineAndNoEndpoint() throws Exception {
    InetSocketAddress taken = start();
    InetSocketAddress second =
        PrometheusEndpoint.start(
            new InetSocketAddress("127.0.0.1", taken.getPort()), () -> new byte[0], warnings::add);
    assertNull(second);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("the Prometheus endpoint cannot listen on 127.0.0.1:"));
  }
}
