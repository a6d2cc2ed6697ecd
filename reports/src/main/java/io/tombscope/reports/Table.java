package io.tombscope.reports;

import java.util.List;

/**
 * A table that the reader can sort by clicking a header. Cells are {@link String}s or {@link
 * Number}s (shown with thousands separators, sorted by value); null shows as empty.
 */
public record Table(List<Column> columns, List<List<Object>> rows) {
  public Table {
    columns = List.copyOf(columns);
    for (List<Object> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException(
            "a row has " + row.size() + " cells for " + columns.size() + " columns");
      }
    }
    rows = List.copyOf(rows);
  }
}
