package io.tombscope.reports;

import java.util.Locale;
import java.util.Objects;

/**
 * A problem worth fixing. {@code severity} is {@code high}, {@code medium} or {@code low} (any
 * case; stored in lower case); {@code title} names the problem and where it is, {@code detail} says
 * why it matters and what to do.
 */
public record Finding(String severity, String title, String detail) {
  /** Checks every field and brings the severity to lower case. */
  public Finding {
    Objects.requireNonNull(title, "finding title is null");
    Objects.requireNonNull(severity, () -> "finding " + title + ": severity is null");
    Objects.requireNonNull(detail, () -> "finding " + title + ": detail is null");
    String normalized = severity.toLowerCase(Locale.ROOT);
    if (!normalized.equals("high") && !normalized.equals("medium") && !normalized.equals("low")) {
      throw new IllegalArgumentException(
          "finding " + title + ": severity must be high, medium or low, not " + severity);
    }
    severity = normalized;
  }
}
