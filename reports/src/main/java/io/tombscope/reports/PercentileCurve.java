package io.tombscope.reports;

/**
 * One curve of a percentile plot: {@code values[i]} at percentile {@code percentiles[i]} (0 to
 * 100), as HdrHistogram's percentile distribution lists them.
 */
public record PercentileCurve(String name, double[] percentiles, double[] values) {
  public PercentileCurve {
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
  }
}
