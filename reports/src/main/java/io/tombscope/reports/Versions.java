package io.tombscope.reports;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Tombscope's version (written by the build into a resource) and the inlined Chart.js version. */
final class Versions {
  static final String TOMBSCOPE =
      property("/io/tombscope/reports/version.properties", "version", "Tombscope");

  static final String CHART_JS =
      property("/META-INF/maven/org.webjars.npm/chart.js/pom.properties", "version", "chart.js");

  private Versions() {}

  private static String property(String resource, String key, String owner) {
    try (InputStream in = Versions.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "cannot find the " + owner + " version: " + resource + " is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      String value = p.getProperty(key);
      if (value == null || value.isBlank()) {
        throw new IllegalStateException(resource + " has no " + key);
      }
      return value.strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }
}
