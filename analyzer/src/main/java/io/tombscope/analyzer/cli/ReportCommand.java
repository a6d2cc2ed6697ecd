package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.render.ReportBuilder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Writes the self-contained HTML report of a recording and prints its path.")
final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "REC", description = "the recording directory")
  Path recording;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "where to write the report (default: REC/report.html)")
  Path output;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Analysis a = RecordingInput.analyze(recording, spec.commandLine().getErr());
    Path file = output != null ? output : recording.resolve("report.html");
    try {
      ReportBuilder.build(a).writeTo(file);
    } catch (java.io.IOException e) {
      throw FileProblem.cannotWrite(file, e);
    }
    spec.commandLine().getOut().println(file.toAbsolutePath());
    return 0;
  }
}
