package io.tombscope.analyzer.read;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The non-zero counts of one HdrHistogram, by bucket index, with the settings that give each index
 * its value: what a histogram costs while it waits to be added to another.
 *
 * <p>Immutable. {@link #addTo} puts every count at its bucket's lowest value, which lands in the
 * same bucket of a histogram of the same lowest trackable value and precision, so adding is exact.
 */
public final class SparseHistogram {
  /** Lowest trackable value of the histogram it came from. */
  public final long lowestTrackable;

  /** Significant digits of the histogram it came from. */
  public final int significantDigits;

  private final long[] values;
  private final long[] counts;
  private final long totalCount;

  private SparseHistogram(
      long lowestTrackable, int significantDigits, long[] values, long[] counts, long totalCount) {
    this.lowestTrackable = lowestTrackable;
    this.significantDigits = significantDigits;
    this.values = values;
    this.counts = counts;
    this.totalCount = totalCount;
  }

  /** The non-zero counts of {@code h}. */
  static SparseHistogram of(Histogram h) {
    int n = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      n++;
    }
    long[] values = new long[n];
    long[] counts = new long[n];
    int i = 0;
    for (HistogramIterationValue v : h.recordedValues()) {
      values[i] = h.lowestEquivalentValue(v.getValueIteratedTo());
      counts[i++] = v.getCountAtValueIteratedTo();
    }
    return new SparseHistogram(
        h.getLowestDiscernibleValue(),
        h.getNumberOfSignificantValueDigits(),
        values,
        counts,
        h.getTotalCount());
  }

  /**
   * From the payload of HdrHistogram's V2 encoding: ZigZag LEB128 counts by bucket index, a
   * negative number standing for that many zeros.
   */
  static SparseHistogram fromCounts(long lowest, int digits, long highest, byte[] payload)
      throws HistogramDecoder.Bad {
    int unitMagnitude = 63 - Long.numberOfLeadingZeros(lowest);
    long largestSingleUnit = 2 * (long) Math.pow(10, digits);
    int subBucketCountMagnitude = 64 - Long.numberOfLeadingZeros(largestSingleUnit - 1);
    int halfMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
    HistogramCounts.Counts read = new HistogramCounts.Counts();
    read.read(payload, payload.length, unitMagnitude, halfMagnitude, highest);
    long[] values = new long[read.size];
    for (int i = 0; i < values.length; i++) {
      values[i] = HistogramCounts.valueAt(read.indices[i], unitMagnitude, halfMagnitude);
    }
    return new SparseHistogram(
        lowest, digits, values, java.util.Arrays.copyOf(read.counts, read.size), read.totalCount);
  }

  /** Values recorded. */
  public long totalCount() {
    return totalCount;
  }

  /** Whether {@link #addTo} adds exactly to {@code h} (same lowest value and precision). */
  public boolean fits(Histogram h) {
    return h.getLowestDiscernibleValue() == lowestTrackable
        && h.getNumberOfSignificantValueDigits() == significantDigits;
  }

  /** Adds these counts to {@code h}, which should resize itself ({@link #newSum}). */
  public void addTo(Histogram h) {
    for (int i = 0; i < values.length; i++) {
      h.recordValueWithCount(values[i], counts[i]);
    }
  }

  /** An empty histogram of this one's lowest value and precision that grows as values come. */
  public Histogram newSum() {
    Histogram h = new Histogram(lowestTrackable, 2 * lowestTrackable, significantDigits);
    h.setAutoResize(true);
    return h;
  }
}
