package io.tombscope.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of one chart as the page script reads it: a JSON object that {@code report.js} turns
 * into a Chart.js configuration. Maps are insertion-ordered so that one report always renders the
 * same bytes.
 */
final class ChartSpec {
  /**
   * The highest percentile a plot can place: 100% itself sits at infinity on a {@code 1/(1-p)}
   * axis, so it is drawn at the 99.9999% tick, as HdrHistogram's plots do.
   */
  static final double TOP_PERCENTILE = 99.9999;

  /**
   * Time buckets a line keeps at most, about one per pixel of a wide chart: a line with more points
   * keeps, per bucket, its lowest and highest point (see {@link #downsampled}).
   */
  static final int LINE_BUCKETS = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  final Map<String, Object> json;
  final boolean hasData;

  private ChartSpec(Map<String, Object> json, boolean hasData) {
    this.json = json;
    this.hasData = hasData;
  }

  /** Lines over time; {@code total}, when not null, is the first line, marked as the total. */
  static ChartSpec line(String yLabel, Series total, List<Series> series) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "line");
    spec.put("yLabel", yLabel);
    List<Map<String, Object>> datasets = new ArrayList<>();
    boolean any = false;
    List<Series> all = new ArrayList<>();
    if (total != null) {
      all.add(total);
    }
    all.addAll(series);
    for (Series s : all) {
      double[] x = s.xSeconds();
      double[] y = s.y();
      List<Double[]> points = new ArrayList<>(x.length);
      for (int i = 0; i < x.length; i++) {
        points.add(new Double[] {x[i], finiteOrNull(y[i])});
      }
      // The page tells Chart.js the data is sorted, which lets it skip a pass per redraw.
      points.sort(Comparator.comparingDouble(p -> p[0]));
      points = downsampled(points, LINE_BUCKETS);
      any |= points.stream().anyMatch(p -> p[1] != null);
      Map<String, Object> d = dataset(s.name(), "points", points);
      if (s == total) {
        d.put("total", true);
      }
      datasets.add(d);
    }
    spec.put("datasets", datasets);
    return new ChartSpec(spec, any);
  }

  /**
   * {@code points} (sorted by x; y null for a gap) as at most {@code buckets} buckets of equal
   * time, each kept as its lowest and its highest point in time order, and a gap where it has one:
   * at most three points a bucket, with every peak and every dip drawn at its full height. A line
   * of at most twice as many points as buckets is returned as it is.
   */
  static List<Double[]> downsampled(List<Double[]> points, int buckets) {
    if (points.size() <= 2 * buckets) {
      return points;
    }
    double first = points.get(0)[0];
    double width = points.get(points.size() - 1)[0] - first;
    List<Double[]> kept = new ArrayList<>(3 * buckets);
    int start = 0;
    while (start < points.size()) {
      int bucket = bucketOf(points.get(start)[0], first, width, buckets);
      int end = start;
      Double[] low = null;
      Double[] high = null;
      Double[] gap = null;
      while (end < points.size() && bucketOf(points.get(end)[0], first, width, buckets) == bucket) {
        Double[] p = points.get(end++);
        if (p[1] == null) {
          gap = gap == null ? p : gap;
        } else {
          low = low == null || p[1] < low[1] ? p : low;
          high = high == null || p[1] > high[1] ? p : high;
        }
      }
      List<Double[]> some = new ArrayList<>(3);
      for (Double[] p : new Double[][] {low, high, gap}) {
        if (p != null && !some.contains(p)) {
          some.add(p);
        }
      }
      some.sort(Comparator.comparingDouble(p -> p[0]));
      kept.addAll(some);
      start = end;
    }
    return kept;
  }

  private static int bucketOf(double x, double first, double width, int buckets) {
    return width <= 0 ? 0 : (int) Math.min(buckets - 1, (x - first) / width * buckets);
  }

  static ChartSpec percentiles(String unit, List<PercentileCurve> curves) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "percentile");
    spec.put("unit", unit);
    List<Map<String, Object>> datasets = new ArrayList<>();
    boolean any = false;
    double xMax = 10;
    for (PercentileCurve c : curves) {
      double[] p = c.percentiles();
      double[] v = c.values();
      List<Double[]> points = new ArrayList<>(p.length);
      for (int i = 0; i < p.length; i++) {
        double x = 1 / (1 - Math.min(p[i], TOP_PERCENTILE) / 100);
        points.add(new Double[] {x, finiteOrNull(v[i])});
        if (Double.isFinite(v[i])) {
          xMax = Math.max(xMax, x);
        }
      }
      points.sort(Comparator.comparingDouble(pt -> pt[0]));
      any |= points.stream().anyMatch(pt -> pt[1] != null);
      datasets.add(dataset(c.name(), "points", points));
    }
    // The axis ends on a labelled decade; the epsilon keeps 1/(1-0.999) = 1000.0000000000009 at 3.
    spec.put("xMax", Math.pow(10, Math.ceil(Math.log10(xMax) - 1e-9)));
    spec.put("datasets", datasets);
    return new ChartSpec(spec, any);
  }

  static ChartSpec bars(String unit, List<String> categories, List<BarSeries> series) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "bar");
    spec.put("unit", unit);
    spec.put("categories", categories);
    List<Map<String, Object>> datasets = new ArrayList<>();
    boolean any = false;
    for (BarSeries s : series) {
      double[] values = s.values();
      if (values.length != categories.size()) {
        throw new IllegalArgumentException(
            "bar series "
                + s.name()
                + " has "
                + values.length
                + " values for "
                + categories.size()
                + " categories");
      }
      Double[] data =
          Arrays.stream(values).mapToObj(ChartSpec::finiteOrNull).toArray(Double[]::new);
      any |= Arrays.stream(data).anyMatch(d -> d != null);
      datasets.add(dataset(s.name(), "values", data));
    }
    spec.put("datasets", datasets);
    return new ChartSpec(spec, any);
  }

  /** The spec as JSON that is safe inside a {@code <script>} element. */
  String scriptSafeJson() {
    return scriptSafeJson(json);
  }

  /**
   * JSON that cannot end or open an element inside {@code <script>}: {@code <}, {@code >} and
   * {@code &} become JSON escapes, and so do U+2028 and U+2029, which older JavaScript parsers took
   * for line ends.
   */
  static String scriptSafeJson(Object value) {
    try {
      return JSON.writeValueAsString(value)
          .replace("<", "\\u003c")
          .replace(">", "\\u003e")
          .replace("&", "\\u0026")
          .replace("\u2028", "\\u2028")
          .replace("\u2029", "\\u2029");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("chart data cannot be written as JSON: " + e, e);
    }
  }

  private static Map<String, Object> dataset(String label, String key, Object data) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("label", label);
    d.put(key, data);
    return d;
  }

  /** JSON has no NaN or infinity; null is a gap to Chart.js. */
  private static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
