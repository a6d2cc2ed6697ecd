package io.tombscope.agent.live;

/**
 * Writes the Prometheus text exposition format 0.0.4 by hand: {@code # HELP} and {@code # TYPE}
 * once per metric family, then one {@code name{labels} value} line per series. Label values are
 * escaped as the format asks (backslash, double quote, line feed); values are integers or
 * shortest-form doubles.
 */
final class PrometheusText {
  private final StringBuilder out = new StringBuilder(16 * 1024);

  /** Starts a metric family. */
  void family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** One series of a site: {@code name{site="...",label="value"} value}. */
  void sample(String name, String site, String label, String labelValue, long value) {
    out.append(name).append("{site=\"").append(escape(site)).append('"');
    if (label != null) {
      out.append(',').append(label).append("=\"").append(escape(labelValue)).append('"');
    }
    out.append("} ").append(value).append('\n');
  }

  /** One cumulative bucket of a family's histogram. */
  void bucket(String name, String family, String le, long cumulative) {
    out.append(name)
        .append("_bucket{family=\"")
        .append(escape(family))
        .append("\",le=\"")
        .append(le)
        .append("\"} ")
        .append(cumulative)
        .append('\n');
  }

  /** The {@code _sum} (seconds) and {@code _count} of a family's histogram. */
  void sumAndCount(String name, String family, double sumSeconds, long count) {
    String labels = "{family=\"" + escape(family) + "\"} ";
    out.append(name).append("_sum").append(labels).append(number(sumSeconds)).append('\n');
    out.append(name).append("_count").append(labels).append(count).append('\n');
  }

  /** A {@code tombscope_site_info} series. */
  void info(int site, String mapClass, String frame, String family) {
    out.append("tombscope_site_info{site=\"")
        .append(site)
        .append("\",class=\"")
        .append(escape(mapClass))
        .append("\",frame=\"")
        .append(escape(frame))
        .append("\",family=\"")
        .append(escape(family))
        .append("\"} 1\n");
  }

  /** Lines written elsewhere, already in the format. */
  void raw(String lines) {
    out.append(lines);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /** A power of two nanoseconds in seconds, as an {@code le} label: exact, in plain decimal. */
  static String seconds(long nanos) {
    return new java.math.BigDecimal(nanos).movePointLeft(9).stripTrailingZeros().toPlainString();
  }

  /** A double as the format's parser (Go's {@code ParseFloat}) reads it. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
