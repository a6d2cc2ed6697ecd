package io.tombscope.reports;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds one self-contained HTML page of metrics, charts, tables, findings and text. Guarantees:
 *
 * <ol>
 *   <li>Blocks render in the order they are added, each under its heading, with a navigation bar
 *       that links to every top-level block.
 *   <li>The page works offline: Chart.js (from its webjar) and the page's own style and script are
 *       inlined; nothing is fetched.
 *   <li>Every string passed in is escaped: HTML text by the template engine, chart data as JSON
 *       inside {@code <script type="application/json">} with {@code <}, {@code >}, {@code &},
 *       U+2028 and U+2029 written as JSON escapes.
 *   <li>A chart without data, an empty table, an empty list of metrics or of findings renders one
 *       line that says so, never an empty chart.
 *   <li>A time chart holds at most 3,000 points a line, however long the series it is given; peaks
 *       and dips survive (see {@link #timeSeries(String, String, List)}).
 *   <li>The same report renders the same bytes every time.
 * </ol>
 *
 * <p>Bad input (null where a value is needed, arrays of different lengths, a bar series without one
 * value per category) fails at once with a one-line message naming the block and the item.
 *
 * <p>Not thread-safe: build on one thread, then {@link #render()} as often as needed.
 *
 * <pre>{@code
 * HtmlReport.titled("Tombscope report")
 *     .subtitle("recording rec-12345")
 *     .metrics("Overview", List.of(new Metric("Deletes", "1,204,551", "3% missed")))
 *     .timeSeries("Live tombstones", "tombstones", List.of(series))
 *     .percentiles("Delete probe length", "slots", List.of(hits, misses))
 *     .writeTo(Path.of("report.html"));
 * }</pre>
 */
public final class HtmlReport {
  private static final String CHART_JS =
      "/META-INF/resources/webjars/chart.js/" + Versions.CHART_JS + "/dist/chart.umd.js";

  private final String title;
  private String subtitle;
  private final List<Block> blocks = new ArrayList<>();

  private HtmlReport(String title) {
    this.title = title;
  }

  /** A new, empty report; {@code title} heads the page and names it in the browser's tab. */
  public static HtmlReport titled(String title) {
    return new HtmlReport(Objects.requireNonNull(title, "report title is null"));
  }

  /** The title given to {@link #titled}. */
  public String title() {
    return title;
  }

  /** The line under the title, or null if none was set. */
  public String subtitle() {
    return subtitle;
  }

  /** Sets the line under the title (what was recorded, when); null removes it. */
  public HtmlReport subtitle(String text) {
    this.subtitle = text;
    return this;
  }

  /** A grid of big-number tiles, in the given order. */
  public HtmlReport metrics(String heading, List<Metric> metrics) {
    Block b = block(heading);
    b.metrics = new Block.MetricsView(copy(metrics, heading, "metrics"));
    return add(b);
  }

  /**
   * A line chart over time: x is seconds since the start, {@code yLabel} names the y axis. Several
   * series share the axes, one line and legend entry each. A series of more than 2,000 points is
   * drawn from the lowest and the highest point of each of 1,000 equal spans of time, so every peak
   * and dip keeps its height and the page stays small. The reader zooms into a range by dragging
   * across the chart, and back out with a double click or the button that appears under it.
   */
  public HtmlReport timeSeries(String heading, String yLabel, List<Series> series) {
    Block b = block(heading);
    b.chart = new Block.ChartView(ChartSpec.line(yLabel, null, copy(series, heading, "series")));
    return add(b);
  }

  /**
   * A line chart of a total and some of the parts it sums, as {@link #timeSeries(String, String,
   * List)}. The total comes first in the legend and is drawn dashed beneath its parts, so a part
   * that makes up the whole total stays visible on top of it.
   */
  public HtmlReport timeSeries(String heading, String yLabel, Series total, List<Series> parts) {
    Objects.requireNonNull(total, () -> heading + ": total is null");
    Block b = block(heading);
    b.chart = new Block.ChartView(ChartSpec.line(yLabel, total, copy(parts, heading, "parts")));
    return add(b);
  }

  /**
   * A percentile distribution plot in the HdrHistogram style: the x axis is {@code 1/(1-p)} on a
   * log scale, labelled 0%, 90%, 99%, 99.9% and on to the decade that holds the highest percentile
   * given, so the tail gets the room it deserves. Each curve is a step line. The 100th percentile
   * is drawn at 99.9999%. A {@code unit} of {@code ns} or {@code bytes} shows values scaled (µs,
   * ms, KiB, MiB ...); any other unit is shown after the number.
   */
  public HtmlReport percentiles(String heading, String unit, List<PercentileCurve> curves) {
    Block b = block(heading);
    b.chart = new Block.ChartView(ChartSpec.percentiles(unit, copy(curves, heading, "curves")));
    return add(b);
  }

  /**
   * Grouped bars: one group per category, one bar per series in each group (for example a release's
   * "before" and "after" for heap, RSS and map bytes). {@code unit} as in {@link #percentiles}.
   */
  public HtmlReport bars(
      String heading, String unit, List<String> categories, List<BarSeries> series) {
    Block b = block(heading);
    try {
      b.chart =
          new Block.ChartView(
              ChartSpec.bars(
                  unit, copy(categories, heading, "categories"), copy(series, heading, "series")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("block " + heading + ": " + e.getMessage(), e);
    }
    return add(b);
  }

  /** A table whose rows the reader sorts by clicking a header (again to reverse). */
  public HtmlReport table(String heading, Table table) {
    Block b = block(heading);
    b.table = new Block.TableView(nonNull(table, heading, "table"));
    return add(b);
  }

  /** A numbered list of findings, each tagged with its severity, in the given order. */
  public HtmlReport findings(String heading, List<Finding> findings) {
    return findings(heading, findings, "No findings.");
  }

  /**
   * A numbered list of findings, each tagged with its severity, in the given order; {@code
   * whenNone} is the line shown when there are none (what was looked at, so that "none" claims
   * nothing about what was not).
   */
  public HtmlReport findings(String heading, List<Finding> findings, String whenNone) {
    Block b = block(heading);
    b.findings =
        new Block.FindingsView(
            copy(findings, heading, "findings"), nonNull(whenNone, heading, "whenNone"));
    return add(b);
  }

  /** A paragraph of plain text; its line breaks are kept. */
  public HtmlReport text(String heading, String paragraph) {
    Block b = block(heading);
    b.text = nonNull(paragraph, heading, "paragraph");
    return add(b);
  }

  /**
   * Two reports' blocks in two columns, each under its report's title and subtitle: the form of a
   * diff. The two reports are read when this report renders, not when this method is called.
   */
  public HtmlReport sideBySide(String heading, HtmlReport left, HtmlReport right) {
    Block b = block(heading);
    nonNull(left, heading, "left report");
    nonNull(right, heading, "right report");
    if (left == this || right == this) {
      throw new IllegalArgumentException(
          "block " + heading + ": a report cannot be shown side by side inside itself");
    }
    b.sideBySide = new Block.SideBySideView(left, right);
    return add(b);
  }

  /** The whole page: one HTML document with nothing to fetch. */
  public String render() {
    return render(ChartLibrary.SOURCE);
  }

  /** The page with {@code chartLibrary} in place of Chart.js, so tests can pin the rest. */
  String render(String chartLibrary) {
    List<Block> views = new Block.Ids().assign(blocks);
    List<Map<String, String>> nav = new ArrayList<>();
    for (Block v : views) {
      nav.add(Map.of("id", v.id, "heading", v.heading));
    }
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("title", title);
    scope.put("subtitle", subtitle);
    scope.put("generator", "Tombscope " + Versions.TOMBSCOPE);
    scope.put("nav", nav);
    scope.put("blocks", views);
    scope.put("css", loadResource("/io/tombscope/reports/report.css"));
    scope.put("chartLibrary", chartLibrary);
    scope.put("clientScript", loadResource("/io/tombscope/reports/report.js"));
    StringWriter out = new StringWriter();
    Templates.PAGE.execute(out, scope);
    return out.toString();
  }

  /** Writes {@link #render()} to {@code file} as UTF-8, creating its directory if needed. */
  public void writeTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(), StandardCharsets.UTF_8);
  }

  List<Block> blocks() {
    return blocks;
  }

  private static Block block(String heading) {
    return new Block(Objects.requireNonNull(heading, "block heading is null"));
  }

  private HtmlReport add(Block b) {
    blocks.add(b);
    return this;
  }

  private static <T> T nonNull(T value, String heading, String what) {
    if (value == null) {
      throw new NullPointerException("block " + heading + ": " + what + " is null");
    }
    return value;
  }

  /** A copy of {@code list}; a null list or element fails with its block and index. */
  private static <T> List<T> copy(List<T> list, String heading, String what) {
    nonNull(list, heading, what);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new NullPointerException("block " + heading + ": " + what + "[" + i + "] is null");
      }
    }
    return List.copyOf(list);
  }

  static String loadResource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + name, e);
    }
  }

  /** Chart.js as the page inlines it, read once. */
  private static final class ChartLibrary {
    /**
     * Without its source-map comment: the map is not inlined, and a browser with developer tools
     * open would try to fetch it.
     */
    static final String SOURCE =
        loadResource(CHART_JS).replaceAll("(?m)^//# sourceMappingURL=.*$", "");
  }

  /** Compiled once, on first use: the templates are resources of this module. */
  private static final class Templates {
    static final Mustache PAGE =
        new DefaultMustacheFactory("io/tombscope/reports").compile("page.mustache");
  }
}
