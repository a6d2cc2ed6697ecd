package io.tombscope.agent.live;

import io.tombscope.agent.recording.RecordingFiles;
import io.tombscope.agent.recording.RecordingWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Starts the Prometheus endpoint: the figures come from the flusher at each interval ({@link
 * LiveMetrics}), the pages go out over HTTP ({@link PrometheusEndpoint}). The bound address is
 * printed once and written to {@code prometheus.port} in the recording directory, if there is one.
 */
public final class LiveView {
  /** The file in the recording directory that holds the endpoint's {@code host:port}. */
  public static final String PORT_FILE = "prometheus.port";

  private LiveView() {}

  /**
   * Serves the intervals of {@code writer} on {@code host:port} (port 0: any free one); never
   * throws, and says in one line through {@code warn} why the endpoint is off if it cannot start.
   */
  public static void start(
      String host, int port, int maxSites, RecordingWriter writer, Consumer<String> warn) {
    if (ModuleLayer.boot().findModule("jdk.httpserver").isEmpty()) {
      warn.accept(
          "this runtime has no jdk.httpserver module, so the Prometheus endpoint is off;"
              + " recording goes on");
      return;
    }
    try {
      String version = LiveView.class.getPackage().getImplementationVersion();
      LiveMetrics metrics = new LiveMetrics(maxSites, version == null ? "dev" : version);
      InetSocketAddress bound =
          PrometheusEndpoint.start(new InetSocketAddress(host, port), metrics::page, warn);
      if (bound == null) {
        return;
      }
      writer.listen(metrics);
      String address = PrometheusEndpoint.describe(bound);
      warn.accept("Prometheus metrics on http://" + address + PrometheusEndpoint.METRICS_PATH);
      Path dir = writer.directory();
      if (dir != null) {
        try {
          // Created as the recording's own files are: never over a file, never through a link.
          try (var out = RecordingFiles.createFile(dir.resolve(PORT_FILE))) {
            out.write((address + "\n").getBytes(StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          warn.accept("cannot write " + dir.resolve(PORT_FILE) + ": " + e);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      warn.accept("the Prometheus endpoint did not start, recording goes on: " + e);
    }
  }
}
