package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.render.ReportBuilder;
import io.tombscope.analyzer.render.SummaryText;
import java.awt.Desktop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one-command demo: runs the demo app under the agent (with a release at exit), analyses the
 * recording and writes the report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the demo workloads under the agent, then writes and names the HTML report.",
      "Takes about a minute: the workloads run for --duration, then the analysis."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--open", description = "open the report in a browser when done")
  boolean open;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "how long the workloads run in total (default: ${DEFAULT-VALUE})")
  String duration;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "tombscope-demo",
      description =
          "where the recording and report go; replaced each run (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    Path home = home();
    Path agent = home.resolve("agent/target/tombscope-agent.jar");
    Path demo = home.resolve("demo-app/target/tombscope-demo.jar");
    for (Path jar : List.of(agent, demo)) {
      if (!Files.isRegularFile(jar)) {
        throw new IOException(
            jar + " is missing: build it with `mvn -DskipTests install` in " + home);
      }
    }
    Path recording = out.resolve("recording");
    try {
      deleteRecursively(recording);
      Files.createDirectories(out);
    } catch (IOException e) {
      throw FileProblem.cannotCreate(out, e);
    }

    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            "-javaagent:" + agent + "=out=" + recording + ",interval=1s,release=exit",
            "-jar",
            demo.toString(),
            "--duration",
            duration);
    err.println("tombscope: running the demo workloads for " + duration + " under the agent...");
    err.flush();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> groundTruth = new ArrayList<>();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("GROUND-TRUTH ")) {
          groundTruth.add(line);
        } else if (!line.contains("Sharing is only supported for boot loader classes")) {
          err.println("  demo | " + line);
          err.flush();
        }
      }
    }
    int exit = p.waitFor();
    if (exit != 0) {
      throw new IOException("the demo app failed with exit code " + exit);
    }
    err.println("tombscope: analysing " + recording + "...");
    err.flush();
    Analysis a = RecordingInput.analyze(recording, err);
    Path report = out.resolve("report.html");
    try {
      ReportBuilder.build(a, "Tombscope demo").writeTo(report);
      Files.write(out.resolve("ground-truth.jsonl"), groundTruth, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw FileProblem.cannotWrite(out, e);
    }

    stdout.println("Report: " + report.toAbsolutePath());
    for (String line : SummaryText.threeLines(a)) {
      stdout.println("  " + line);
    }
    stdout.flush();
    if (open) {
      openInBrowser(report, err);
    }
    return 0;
  }

  static Path home() throws URISyntaxException {
    String property = System.getProperty("tombscope.home");
    if (property != null) {
      return Path.of(property);
    }
    // analyzer/target/tombscope.jar → the project root, two levels up from target.
    Path jar =
        Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return jar.getParent().getParent().getParent();
  }

  private static void openInBrowser(Path report, PrintWriter err) {
    try {
      if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        Desktop.getDesktop().browse(report.toUri());
        return;
      }
      Process p = new ProcessBuilder("xdg-open", report.toString()).start();
      if (p.waitFor() == 0) {
        return;
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the message below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    err.println("tombscope: no browser found here; open " + report.toAbsolutePath() + " yourself");
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
