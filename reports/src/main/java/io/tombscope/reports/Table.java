package io.tombscope.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A table that the reader can sort by clicking a header. Cells are {@link String}s or {@link
 * Number}s: numbers show with thousands separators and at most two decimals, and sort by their
 * exact value; an {@link Expandable} shows its text and unfolds to its lines; any other object
 * shows its {@code toString()}; null shows as an empty cell. Every row has one cell per column.
 * Both lists are copied.
 */
public record Table(List<Column> columns, List<List<Object>> rows) {
  /** Checks that every row has one cell per column, and copies both lists. */
  public Table {
    columns = List.copyOf(Objects.requireNonNull(columns, "table columns is null"));
    Objects.requireNonNull(rows, "table rows is null");
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<Object> row = rows.get(i);
      if (row == null) {
        throw new IllegalArgumentException("table row " + i + " is null");
      }
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(
            "table row " + i + " has " + row.size() + " cells for " + columns.size() + " columns");
      }
      // List.copyOf would reject the null cells this record allows.
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }
}
