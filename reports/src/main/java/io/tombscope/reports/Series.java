package io.tombscope.reports;

import java.util.Objects;

/**
 * One line of a time chart: {@code y[i]} at {@code xSeconds[i]} seconds since the start; both
 * arrays have one length. A non-finite y leaves a gap; points need not be in time order. The arrays
 * are copied, so the caller may reuse its own.
 */
public record Series(String name, double[] xSeconds, double[] y) {
  /** Checks names, lengths and x values, and copies the arrays. */
  public Series {
    Objects.requireNonNull(name, "series name is null");
    Objects.requireNonNull(xSeconds, () -> "series " + name + ": xSeconds is null");
    Objects.requireNonNull(y, () -> "series " + name + ": y is null");
    if (xSeconds.length != y.length) {
      throw new IllegalArgumentException(
          "series " + name + ": " + xSeconds.length + " x values but " + y.length + " y values");
    }
    for (int i = 0; i < xSeconds.length; i++) {
      if (!Double.isFinite(xSeconds[i])) {
        throw new IllegalArgumentException(
            "series " + name + ": xSeconds[" + i + "] is " + xSeconds[i]);
      }
    }
    xSeconds = xSeconds.clone();
    y = y.clone();
  }

  /** A copy of the x values, in seconds. */
  @Override
  public double[] xSeconds() {
    return xSeconds.clone();
  }

  /** A copy of the y values. */
  @Override
  public double[] y() {
    return y.clone();
  }
}
