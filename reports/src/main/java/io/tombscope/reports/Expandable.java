package io.tombscope.reports;

import java.util.List;
import java.util.Objects;

/**
 * A table cell that shows {@code text} and unfolds to {@code lines} when clicked: a site's first
 * frame over its whole allocation stack. The cell sorts by {@code text}. The list is copied.
 */
public record Expandable(String text, List<String> lines) {
  /** Checks for nulls and copies the lines. */
  public Expandable {
    Objects.requireNonNull(text, "expandable cell text is null");
    lines =
        List.copyOf(
            Objects.requireNonNull(lines, () -> "expandable cell " + text + ": lines is null"));
  }

  @Override
  public String toString() {
    return text;
  }
}
