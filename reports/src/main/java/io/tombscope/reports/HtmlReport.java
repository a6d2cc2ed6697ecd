package io.tombscope.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds one self-contained HTML page: blocks of metrics, charts, tables, findings and text, in the
 * order they are added. The page works offline (Chart.js, from its webjar, is inlined), every
 * string passed in is escaped (HTML text by the template engine, chart data as JSON with {@code <},
 * {@code >} and {@code &} escaped), and empty data shows a "no data" line instead of a chart.
 *
 * <p>Not thread-safe; build on one thread, then {@link #render()} as often as needed.
 *
 * <pre>{@code
 * HtmlReport.titled("Tombscope report")
 *     .metrics("Overview", List.of(new Metric("Deletes", "1,204,551", null)))
 *     .timeSeries("Live tombstones", "tombstones", List.of(series))
 *     .writeTo(Path.of("report.html"));
 * }</pre>
 */
public final class HtmlReport {
  private static final String CHART_JS =
      "/META-INF/resources/webjars/chart.js/" + Versions.CHART_JS + "/dist/chart.umd.js";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String title;
  private String subtitle;
  private final List<Block> blocks = new ArrayList<>();

  private HtmlReport(String title) {
    this.title = title;
  }

  public static HtmlReport titled(String title) {
    return new HtmlReport(title);
  }

  public String title() {
    return title;
  }

  public HtmlReport subtitle(String text) {
    this.subtitle = text;
    return this;
  }

  public HtmlReport metrics(String heading, List<Metric> metrics) {
    Block b = new Block(heading);
    b.metrics = Map.of("items", List.copyOf(metrics));
    blocks.add(b);
    return this;
  }

  /** A line chart over time; x in seconds since the start. */
  public HtmlReport timeSeries(String heading, String yLabel, List<Series> series) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "line");
    spec.put("yLabel", yLabel);
    List<Map<String, Object>> datasets = new ArrayList<>();
    boolean any = false;
    for (Series s : series) {
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < s.y().length; i++) {
        points.add(new double[] {s.xSeconds()[i], s.y()[i]});
      }
      any |= !points.isEmpty();
      datasets.add(dataset(s.name(), "points", points));
    }
    spec.put("datasets", datasets);
    return chart(heading, spec, any);
  }

  /**
   * A percentile distribution plot in the HdrHistogram style: the x axis is {@code 1/(1-p)} on a
   * log scale, labelled 0%, 90%, 99%, 99.9% ..., so the tail gets the room it deserves.
   */
  public HtmlReport percentiles(String heading, String unit, List<PercentileCurve> curves) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "percentile");
    spec.put("unit", unit);
    List<Map<String, Object>> datasets = new ArrayList<>();
    boolean any = false;
    for (PercentileCurve c : curves) {
      List<double[]> points = new ArrayList<>();
      for (int i = 0; i < c.values().length; i++) {
        double p = Math.min(c.percentiles()[i], 99.9999);
        points.add(new double[] {1 / (1 - p / 100), c.values()[i]});
      }
      any |= !points.isEmpty();
      datasets.add(dataset(c.name(), "points", points));
    }
    spec.put("datasets", datasets);
    return chart(heading, spec, any);
  }

  /** Grouped bars: one group per category, one bar per series. */
  public HtmlReport bars(
      String heading, String unit, List<String> categories, List<BarSeries> series) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("kind", "bar");
    spec.put("unit", unit);
    spec.put("categories", categories);
    List<Map<String, Object>> datasets = new ArrayList<>();
    for (BarSeries s : series) {
      if (s.values().length != categories.size()) {
        throw new IllegalArgumentException(
            "bar series "
                + s.name()
                + " has "
                + s.values().length
                + " values for "
                + categories.size()
                + " categories");
      }
      datasets.add(dataset(s.name(), "values", s.values()));
    }
    spec.put("datasets", datasets);
    return chart(heading, spec, !categories.isEmpty() && !series.isEmpty());
  }

  public HtmlReport table(String heading, Table table) {
    Block b = new Block(heading);
    b.table = new TableView(table);
    blocks.add(b);
    return this;
  }

  public HtmlReport findings(String heading, List<Finding> findings) {
    Block b = new Block(heading);
    b.findings = new FindingsView(List.copyOf(findings));
    blocks.add(b);
    return this;
  }

  public HtmlReport text(String heading, String paragraph) {
    Block b = new Block(heading);
    b.text = paragraph;
    blocks.add(b);
    return this;
  }

  /** Two reports' blocks in two columns, under their titles: the form of a diff. */
  public HtmlReport sideBySide(String heading, HtmlReport left, HtmlReport right) {
    Block b = new Block(heading);
    b.sideBySide = new SideBySide(left, right);
    blocks.add(b);
    return this;
  }

  /** Insertion-ordered, so the same report always renders the same bytes. */
  private static Map<String, Object> dataset(String label, String key, Object data) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("label", label);
    d.put(key, data);
    return d;
  }

  private HtmlReport chart(String heading, Map<String, Object> spec, boolean hasData) {
    Block b = new Block(heading);
    b.chart = new ChartView(spec, hasData);
    blocks.add(b);
    return this;
  }

  /** The whole page. */
  public String render() {
    return render(loadResource(CHART_JS));
  }

  /** The page with {@code chartLibrary} in place of Chart.js (tests pin the rest with it). */
  String render(String chartLibrary) {
    Mustache page = Templates.PAGE;
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("title", title);
    scope.put("subtitle", subtitle);
    scope.put("generator", "Tombscope " + Versions.TOMBSCOPE);
    int[] ids = {0};
    List<Map<String, String>> nav = new ArrayList<>();
    scope.put("blocks", views(blocks, ids, nav, "b"));
    scope.put("nav", nav);
    scope.put("css", loadResource("/io/tombscope/reports/report.css"));
    scope.put("chartLibrary", chartLibrary);
    scope.put("clientScript", loadResource("/io/tombscope/reports/report.js"));
    StringWriter out = new StringWriter();
    page.execute(out, scope);
    return out.toString();
  }

  private static List<Block> views(
      List<Block> blocks, int[] ids, List<Map<String, String>> nav, String prefix) {
    List<Block> views = new ArrayList<>();
    for (Block b : blocks) {
      Block v = b.copy();
      v.id = prefix + (++ids[0]);
      if (nav != null) {
        nav.add(Map.of("id", v.id, "heading", v.heading));
      }
      if (v.chart != null) {
        v.chart = v.chart.withCanvasId("chart-" + v.id);
      }
      if (v.sideBySide != null) {
        v.sideBySide =
            v.sideBySide.withViews(
                views(v.sideBySide.leftReport.blocks, ids, null, prefix),
                views(v.sideBySide.rightReport.blocks, ids, null, prefix));
      }
      views.add(v);
    }
    return views;
  }

  public void writeTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(), StandardCharsets.UTF_8);
  }

  static String loadResource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON safe to put inside a {@code <script>} element. */
  static String scriptSafeJson(Object value) {
    try {
      return JSON.writeValueAsString(value)
          .replace("<", "\\u003c")
          .replace(">", "\\u003e")
          .replace("&", "\\u0026")
          .replace("\u2028", "\\u2028")
          .replace("\u2029", "\\u2029");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("chart data cannot be written as JSON", e);
    }
  }

  /** One block of the page; exactly one of its content fields is set. Read by the template. */
  static final class Block {
    String id;
    final String heading;
    Map<String, Object> metrics;
    ChartView chart;
    TableView table;
    FindingsView findings;
    String text;
    SideBySide sideBySide;

    Block(String heading) {
      this.heading = heading;
    }

    Block copy() {
      Block b = new Block(heading);
      b.metrics = metrics;
      b.chart = chart;
      b.table = table;
      b.findings = findings;
      b.text = text;
      b.sideBySide = sideBySide;
      return b;
    }
  }

  static final class ChartView {
    final Map<String, Object> spec;
    final boolean hasData;
    final String canvasId;
    final String json;

    ChartView(Map<String, Object> spec, boolean hasData) {
      this(spec, hasData, null);
    }

    private ChartView(Map<String, Object> spec, boolean hasData, String canvasId) {
      this.spec = spec;
      this.hasData = hasData;
      this.canvasId = canvasId;
      this.json = scriptSafeJson(spec);
    }

    ChartView withCanvasId(String id) {
      return new ChartView(spec, hasData, id);
    }
  }

  static final class TableView {
    final List<Map<String, Object>> columns = new ArrayList<>();
    final List<List<Map<String, Object>>> rows = new ArrayList<>();
    final boolean empty;

    TableView(Table table) {
      for (Column c : table.columns()) {
        columns.add(Map.of("name", c.name(), "numeric", c.numeric()));
      }
      NumberFormat format = NumberFormat.getNumberInstance(Locale.ROOT);
      format.setMaximumFractionDigits(2);
      for (List<Object> row : table.rows()) {
        List<Map<String, Object>> cells = new ArrayList<>();
        for (Object cell : row) {
          Map<String, Object> c = new LinkedHashMap<>();
          if (cell instanceof Number n) {
            c.put("text", format.format(n));
            c.put("sortValue", n.toString());
            c.put("numeric", true);
          } else {
            c.put("text", cell == null ? "" : cell.toString());
            c.put("sortValue", cell == null ? "" : cell.toString());
            c.put("numeric", false);
          }
          cells.add(c);
        }
        rows.add(cells);
      }
      this.empty = rows.isEmpty();
    }
  }

  static final class FindingsView {
    final List<Finding> items;
    final boolean empty;

    FindingsView(List<Finding> items) {
      this.items = items;
      this.empty = items.isEmpty();
    }
  }

  static final class SideBySide {
    final HtmlReport leftReport;
    final HtmlReport rightReport;
    final String leftTitle;
    final String rightTitle;
    Map<String, Object> left;
    Map<String, Object> right;

    SideBySide(HtmlReport left, HtmlReport right) {
      this.leftReport = left;
      this.rightReport = right;
      this.leftTitle = left.title;
      this.rightTitle = right.title;
    }

    SideBySide withViews(List<Block> leftViews, List<Block> rightViews) {
      SideBySide s = new SideBySide(leftReport, rightReport);
      s.left = Map.of("blocks", leftViews);
      s.right = Map.of("blocks", rightViews);
      return s;
    }
  }

  /** Compiled once: the templates are resources of this module. */
  private static final class Templates {
    static final Mustache PAGE =
        new DefaultMustacheFactory("io/tombscope/reports").compile("page.mustache");
  }
}
