package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.render.DiffBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = "Shows what changed between two recordings; with -o, also as an HTML report.")
final class DiffCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "REC_A",
      split = ",",
      description =
          "the first (baseline) recording; several (comma-separated) or a directory of"
              + " recordings are merged first")
  List<Path> a;

  @Parameters(
      index = "1",
      paramLabel = "REC_B",
      split = ",",
      description = "the second recording; several or a directory of them, as REC_A")
  List<Path> b;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "also write the side-by-side HTML diff here")
  Path output;

  @Option(names = "--json", description = "print the differences as JSON")
  boolean json;

  @Mixin RangeOptions range;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    // One range for both: each recording's own times (or the same instants).
    Analysis first = RecordingInput.analyze(a, err, range.range());
    Analysis second = RecordingInput.analyze(b, err, range.range());
    var out = spec.commandLine().getOut();
    out.print(json ? DiffBuilder.json(first, second) + "\n" : DiffBuilder.text(first, second));
    if (output != null) {
      try {
        DiffBuilder.html(first, second).writeTo(output);
      } catch (java.io.IOException e) {
        throw FileProblem.cannotWrite(output, e);
      }
      out.println(output.toAbsolutePath());
    }
    out.flush();
    return 0;
  }
}
