package io.tombscope.agent.live;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP side of the Prometheus endpoint, on the JDK's own {@code com.sun.net.httpserver} (module
 * {@code jdk.httpserver}, loaded only when the endpoint is asked for). It serves {@code GET
 * /metrics} (the last published page) and {@code GET /health}; any other path is 404, any other
 * method 405.
 *
 * <p>One daemon thread does everything: the server's dispatcher runs each exchange itself (no
 * executor), and it inherits daemon status from the thread that starts it, so the endpoint never
 * keeps the JVM alive. It carries the agent's thread name, so the maps the server builds for each
 * request are never sites of the program. A scrape only copies a finished byte array. Nothing
 * JVM-wide is set: the server's {@code sun.net.httpserver.*} properties keep whatever the program
 * gave them.
 */
public final class PrometheusEndpoint {
  /** The content type of the text format 0.0.4. */
  static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  static final String METRICS_PATH = "/metrics";
  static final String HEALTH_PATH = "/health";

  private static final String THREAD_NAME = "tombscope-prometheus";

  private static final byte[] HEALTHY = "ok\n".getBytes(StandardCharsets.UTF_8);

  private PrometheusEndpoint() {}

  /**
   * Binds {@code address} and starts serving {@code page}; returns the bound address, or null after
   * one line through {@code warn} if it cannot bind.
   */
  public static InetSocketAddress start(
      InetSocketAddress address, Supplier<byte[]> page, Consumer<String> warn) {
    // The server's threads are created by the thread that creates and starts it, in its group:
    // a group of our own finds them to give them the agent's thread name, under which maps they
    // build are not taken for the program's; and a daemon starter makes them daemons.
    ThreadGroup group = new ThreadGroup(THREAD_NAME);
    InetSocketAddress[] bound = new InetSocketAddress[1];
    Thread starter =
        new Thread(
            group,
            () -> {
              try {
                HttpServer server = HttpServer.create(address, 0);
                server.createContext("/", exchange -> serve(exchange, page));
                server.start();
                bound[0] = server.getAddress();
              } catch (IOException | RuntimeException e) {
                warn.accept(
                    "the Prometheus endpoint cannot listen on "
                        + describe(address)
                        + " ("
                        + (e.getMessage() != null ? e.getMessage() : e.toString())
                        + "), the application runs on without it");
              }
              Thread[] threads = new Thread[group.activeCount() + 4];
              for (int i = group.enumerate(threads, false) - 1; i >= 0; i--) {
                if (threads[i] != Thread.currentThread()) {
                  threads[i].setName(THREAD_NAME);
                }
              }
            },
            THREAD_NAME);
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return bound[0];
  }

  private static void serve(HttpExchange exchange, Supplier<byte[]> page) {
    try {
      String path = exchange.getRequestURI().getPath();
      boolean metrics = METRICS_PATH.equals(path);
      if (!metrics && !HEALTH_PATH.equals(path)) {
        respond(
            exchange,
            404,
            "text/plain; charset=utf-8",
            "not found\n".getBytes(StandardCharsets.UTF_8));
      } else if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        respond(
            exchange,
            405,
            "text/plain; charset=utf-8",
            "only GET\n".getBytes(StandardCharsets.UTF_8));
      } else if (metrics) {
        respond(exchange, 200, METRICS_TYPE, page.get());
      } else {
        respond(exchange, 200, "text/plain; charset=utf-8", HEALTHY);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away, or sent something the server could not take: its loss only.
    } finally {
      exchange.close();
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** {@code host:port}, with an IPv6 host in brackets. */
  public static String describe(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
