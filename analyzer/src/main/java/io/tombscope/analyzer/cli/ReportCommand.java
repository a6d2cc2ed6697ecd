package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.render.ReportBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Writes the self-contained HTML report of a recording and prints its path.")
final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "REC",
      arity = "1..*",
      description =
          "the recording directory; several, or a directory of recordings, are merged first as"
              + " `tombscope merge` does")
  List<Path> recording;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "where to write the report (default: REC/report.html; required for several REC)")
  Path output;

  @Mixin RangeOptions range;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (output == null && recording.size() > 1) {
      throw new TombscopeCli.UsageProblem(
          "several recordings make one report: name its file with -o FILE");
    }
    Analysis a = RecordingInput.analyze(recording, spec.commandLine().getErr(), range.range());
    Path file = output != null ? output : recording.get(0).resolve("report.html");
    try {
      ReportBuilder.build(a).writeTo(file);
    } catch (java.io.IOException e) {
      throw FileProblem.cannotWrite(file, e);
    }
    spec.commandLine().getOut().println(file.toAbsolutePath());
    return 0;
  }
}
