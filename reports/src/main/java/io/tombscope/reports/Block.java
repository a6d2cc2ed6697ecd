package io.tombscope.reports;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One block of the page as the templates read it ({@code blocks.mustache}): a heading and exactly
 * one kind of content. Ids are given at render time, because a block's id depends on where the
 * report that holds it ends up (a report may be shown inside another one's side-by-side block).
 */
final class Block {
  final String heading;
  String id;
  MetricsView metrics;
  ChartView chart;
  TableView table;
  FindingsView findings;
  String text;
  SideBySideView sideBySide;

  Block(String heading) {
    this.heading = heading;
  }

  /** A copy that carries {@code id}, with ids given to the charts and nested blocks it holds. */
  Block withId(String id, Ids ids) {
    Block b = new Block(heading);
    b.id = id;
    b.metrics = metrics;
    b.chart = chart == null ? null : chart.withCanvasId("chart-" + id);
    b.table = table;
    b.findings = findings;
    b.text = text;
    b.sideBySide = sideBySide == null ? null : sideBySide.withIds(ids);
    return b;
  }

  /** Hands out page-unique block ids in document order. */
  static final class Ids {
    private int next;

    String next() {
      return "b" + (++next);
    }

    List<Block> assign(List<Block> blocks) {
      List<Block> out = new ArrayList<>(blocks.size());
      for (Block b : blocks) {
        out.add(b.withId(next(), this));
      }
      return out;
    }
  }

  static final class MetricsView {
    final List<Metric> items;
    final boolean empty;

    MetricsView(List<Metric> items) {
      this.items = items;
      this.empty = items.isEmpty();
    }
  }

  static final class ChartView {
    final ChartSpec spec;
    final boolean hasData;
    final String canvasId;
    final String json;

    ChartView(ChartSpec spec) {
      this(spec, null);
    }

    private ChartView(ChartSpec spec, String canvasId) {
      this.spec = spec;
      this.hasData = spec.hasData;
      this.canvasId = canvasId;
      this.json = spec.scriptSafeJson();
    }

    ChartView withCanvasId(String id) {
      return new ChartView(spec, id);
    }
  }

  /**
   * {@code text} escaped for HTML, with a line-break opportunity ({@code <wbr>}) after each dot,
   * {@code $}, {@code /} and before each {@code (}: a long frame such as {@code
   * com.sun.tools.javac.code.Types.isSameType(Types.java:2194)} wraps between its names, never
   * inside one.
   */
  static String breakable(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '(' && i > 0) {
        out.append("<wbr>");
      }
      switch (ch) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(ch);
      }
      if ((ch == '.' || ch == '$' || ch == '/') && i + 1 < text.length()) {
        out.append("<wbr>");
      }
    }
    return out.toString();
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
            c.put("html", format.format(n)); // digits, separators and a sign: nothing to escape
            // The exact value, so that 0.004 and 0.001 (both shown as 0) still sort apart.
            c.put("sortValue", n.toString());
            c.put("numeric", true);
          } else {
            String s = cell == null ? "" : cell.toString();
            c.put("text", s);
            c.put("html", breakable(s));
            c.put("sortValue", s);
            c.put("numeric", false);
            if (cell instanceof Expandable e && !e.lines().isEmpty()) {
              // A map, not the list itself: the template would repeat a list's section per line.
              c.put(
                  "expandable", Map.of("lines", e.lines().stream().map(Block::breakable).toList()));
            }
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
    final String emptyText;

    FindingsView(List<Finding> items, String emptyText) {
      this.items = items;
      this.empty = items.isEmpty();
      this.emptyText = emptyText;
    }
  }

  static final class SideBySideView {
    final HtmlReport leftReport;
    final HtmlReport rightReport;
    final String leftTitle;
    final String rightTitle;
    final String leftSubtitle;
    final String rightSubtitle;
    final Map<String, Object> left;
    final Map<String, Object> right;

    SideBySideView(HtmlReport left, HtmlReport right) {
      this(left, right, null, null);
    }

    private SideBySideView(
        HtmlReport leftReport,
        HtmlReport rightReport,
        Map<String, Object> left,
        Map<String, Object> right) {
      this.leftReport = leftReport;
      this.rightReport = rightReport;
      this.leftTitle = leftReport.title();
      this.rightTitle = rightReport.title();
      this.leftSubtitle = leftReport.subtitle();
      this.rightSubtitle = rightReport.subtitle();
      this.left = left;
      this.right = right;
    }

    SideBySideView withIds(Ids ids) {
      return new SideBySideView(
          leftReport,
          rightReport,
          Map.of("blocks", ids.assign(leftReport.blocks())),
          Map.of("blocks", ids.assign(rightReport.blocks())));
    }
  }
}
