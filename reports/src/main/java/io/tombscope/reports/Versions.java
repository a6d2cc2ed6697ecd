package io.tombscope.reports;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions written into the page, and the chart library's, read from its webjar. */
final class Versions {
  static final String CHART_JS = webjarVersion("org.webjars.npm", "chart.js");

  static final String TOMBSCOPE =
      Versions.class.getPackage().getImplementationVersion() == null
          ? "dev"
          : Versions.class.getPackage().getImplementationVersion();

  private Versions() {}

  private static String webjarVersion(String group, String artifact) {
    String name = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Versions.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the " + artifact + " webjar is not on the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name, e);
    }
  }
}
