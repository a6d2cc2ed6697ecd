package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression of the shipped Grafana dashboard, panels and variables, with the
 * variables filled in as Grafana would, runs against a live Prometheus without error and returns
 * data.
 */
final class DashboardQueries {
  /** The dashboard, from the agent module's directory (where the build runs its tests). */
  static final Path DASHBOARD =
      Path.of("..", "monitoring", "grafana", "dashboards", "tombscope.json");

  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

  private DashboardQueries() {}

  /** The expressions of the dashboard: its variables' queries first, then each panel's. */
  static List<String> expressions() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> out = new ArrayList<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        out.add(v.path("query").path("query").asText());
      }
    }
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.path("expr").asText());
      }
    }
    return out;
  }

  static void assertAllReturnData(PrometheusServer prometheus, String job, String instance)
      throws Exception {
    List<String> expressions = expressions();
    assertTrue(expressions.size() >= 10, "the dashboard's expressions: " + expressions);
    for (String expression : expressions) {
      String promql =
          expression
              .replace("$job", job)
              .replace("$instance", instance)
              .replace("$site", ".*")
              .replace("$__rate_interval", "1m");
      assertFalse(promql.contains("$"), "a variable left unfilled: " + promql);
      // A variable's label_values(series, label) is Grafana's: the series must have the label.
      Matcher m = LABEL_VALUES.matcher(promql);
      String label = null;
      if (m.matches()) {
        promql = m.group(1);
        label = m.group(2);
      }
      JsonNode result = prometheus.query(promql);
      assertFalse(result.isEmpty(), "no data for " + promql);
      for (JsonNode series : result) {
        double value = series.path("value").get(1).asDouble();
        assertFalse(Double.isNaN(value), "NaN from " + promql);
        if (label != null) {
          assertTrue(series.path("metric").has(label), promql + " lacks " + label);
        }
      }
    }
  }
}
