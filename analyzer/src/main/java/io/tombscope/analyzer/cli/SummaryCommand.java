package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.render.SummaryJson;
import io.tombscope.analyzer.render.SummaryText;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = "Prints what a recording shows: totals, sites, releases and findings.")
final class SummaryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "REC", description = "the recording directory")
  Path recording;

  @Option(names = "--json", description = "print the machine-readable summary (a stable schema)")
  boolean json;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Analysis a = RecordingInput.analyze(recording, spec.commandLine().getErr());
    spec.commandLine().getOut().print(json ? SummaryJson.render(a) + "\n" : SummaryText.render(a));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
