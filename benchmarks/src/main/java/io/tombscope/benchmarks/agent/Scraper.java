package io.tombscope.benchmarks.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Scrapes, every second as Prometheus would, the endpoint of every fork whose recording directory
 * under {@code out} holds a {@code prometheus.port} file; forks that ended no longer answer and are
 * skipped. Counts the pages it received, so that a benchmark can tell that it really scraped.
 */
final class Scraper implements AutoCloseable {
  private final Path out;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final AtomicLong pages = new AtomicLong();
  private final Thread thread;

  Scraper(Path out) {
    this.out = out;
    this.thread = new Thread(this::loop, "scraper");
    thread.setDaemon(true);
    thread.start();
  }

  /** Pages of metrics received so far. */
  long pages() {
    return pages.get();
  }

  private void loop() {
    try {
      while (true) {
        Thread.sleep(1000);
        for (Path portFile : portFiles()) {
          scrape(portFile);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Path> portFiles() {
    try (Stream<Path> dirs = Files.list(out)) {
      return dirs.map(d -> d.resolve("prometheus.port")).filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void scrape(Path portFile) throws InterruptedException {
    try {
      String address = Files.readString(portFile).trim();
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + address + "/metrics"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 200 && r.body().length > 0) {
        pages.incrementAndGet();
      }
    } catch (IOException e) {
      // a fork that has ended
    }
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
