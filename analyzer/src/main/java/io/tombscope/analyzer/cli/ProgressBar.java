package io.tombscope.analyzer.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on stderr, drawn only on a terminal and at most ten times a second. */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final String label;
  private final boolean enabled;
  private long lastDrawNanos;
  private boolean drawn;

  ProgressBar(PrintWriter err, String label, boolean enabled) {
    this.err = err;
    this.label = label;
    this.enabled = enabled;
  }

  void update(long done, long total) {
    if (!enabled || total <= 0) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && now - lastDrawNanos < 100_000_000L) {
      return;
    }
    lastDrawNanos = now;
    int filled = (int) Math.min(WIDTH, WIDTH * done / total);
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %3d%%",
            label,
            "#".repeat(filled),
            " ".repeat(WIDTH - filled),
            Math.min(100, 100 * done / total)));
    err.flush();
    drawn = true;
  }

  void clear() {
    if (drawn) {
      err.print("\r" + " ".repeat(label.length() + WIDTH + 10) + "\r");
      err.flush();
      drawn = false;
    }
  }
}
