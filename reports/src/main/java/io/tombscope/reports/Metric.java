package io.tombscope.reports;

import java.util.Objects;

/**
 * One big number in an overview: {@code value} already formatted for people ("1,204,551", "38
 * MiB"), {@code hint} a short line under it, or null for none.
 */
public record Metric(String label, String value, String hint) {
  /** Checks that label and value are not null. */
  public Metric {
    Objects.requireNonNull(label, "metric label is null");
    Objects.requireNonNull(value, () -> "metric " + label + ": value is null");
  }
}
