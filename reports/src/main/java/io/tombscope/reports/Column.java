package io.tombscope.reports;

import java.util.Objects;

/**
 * A table column. A numeric column is right-aligned and sorts its cells by value; a text column
 * sorts them alphabetically.
 */
public record Column(String name, boolean numeric) {
  /** Checks that the name is not null. */
  public Column {
    Objects.requireNonNull(name, "column name is null");
  }
}
