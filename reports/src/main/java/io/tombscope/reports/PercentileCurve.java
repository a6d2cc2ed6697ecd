package io.tombscope.reports;

import java.util.Objects;

/**
 * One curve of a percentile plot: {@code values[i]} at percentile {@code percentiles[i]} (0 to 100
 * inclusive), as HdrHistogram's percentile distribution lists them. A non-finite value leaves a
 * gap. The arrays are copied, so the caller may reuse its own.
 */
public record PercentileCurve(String name, double[] percentiles, double[] values) {
  /** Checks names, lengths and percentile range, and copies the arrays. */
  public PercentileCurve {
    Objects.requireNonNull(name, "percentile curve name is null");
    Objects.requireNonNull(percentiles, () -> "curve " + name + ": percentiles is null");
    Objects.requireNonNull(values, () -> "curve " + name + ": values is null");
    if (percentiles.length != values.length) {
      throw new IllegalArgumentException(
          "curve "
              + name
              + ": "
              + percentiles.length
              + " percentiles but "
              + values.length
              + " values");
    }
    for (int i = 0; i < percentiles.length; i++) {
      // Written this way round so that NaN fails too.
      if (!(percentiles[i] >= 0 && percentiles[i] <= 100)) {
        throw new IllegalArgumentException(
            "curve " + name + ": percentiles[" + i + "] is " + percentiles[i] + ", not in 0..100");
      }
    }
    percentiles = percentiles.clone();
    values = values.clone();
  }

  /** A copy of the percentiles. */
  @Override
  public double[] percentiles() {
    return percentiles.clone();
  }

  /** A copy of the values. */
  @Override
  public double[] values() {
    return values.clone();
  }
}
