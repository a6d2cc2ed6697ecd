package io.tombscope.reports;

/** One line of a time chart: {@code y[i]} at {@code xSeconds[i]}; both arrays have one length. */
public record Series(String name, double[] xSeconds, double[] y) {
  public Series {
    if (xSeconds.length != y.length) {
      throw new IllegalArgumentException(
          "series " + name + ": " + xSeconds.length + " x values but " + y.length + " y values");
    }
  }
}
