package io.tombscope.reports;

import java.util.Objects;

/**
 * One member of each group of a bar chart: one value per category, in the categories' order. A
 * non-finite value draws no bar. The array is copied, so the caller may reuse its own.
 */
public record BarSeries(String name, double[] values) {
  /** Checks that nothing is null and copies the values. */
  public BarSeries {
    Objects.requireNonNull(name, "bar series name is null");
    Objects.requireNonNull(values, () -> "bar series " + name + ": values is null");
    values = values.clone();
  }

  /** A copy of the values. */
  @Override
  public double[] values() {
    return values.clone();
  }
}
