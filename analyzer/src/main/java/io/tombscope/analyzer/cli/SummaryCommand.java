package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.render.SiteText;
import io.tombscope.analyzer.render.SummaryJson;
import io.tombscope.analyzer.render.SummaryText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = "Prints what a recording shows: totals, sites, releases and findings.")
final class SummaryCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "REC",
      arity = "1..*",
      description =
          "the recording directory; several, or a directory of recordings, are merged first as"
              + " `tombscope merge` does")
  List<Path> recording;

  @Option(names = "--json", description = "print the machine-readable summary (a stable schema)")
  boolean json;

  @Option(
      names = "--site",
      paramLabel = "ID",
      split = ",",
      description =
          "print only these sites, in full: the whole allocation stack, every count, the callers"
              + " that delete and the findings (with --json: a JSON array of the sites' objects)")
  List<Integer> siteIds = List.of();

  @Mixin RangeOptions range;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Analysis a = RecordingInput.analyze(recording, spec.commandLine().getErr(), range.range());
    PrintWriter out = spec.commandLine().getOut();
    if (siteIds.isEmpty()) {
      out.print(json ? SummaryJson.render(a) + "\n" : SummaryText.render(a));
    } else {
      List<SiteAnalysis> sites = new ArrayList<>();
      for (int id : siteIds) {
        sites.add(site(a, id));
      }
      if (json) {
        out.print(SummaryJson.renderSites(sites) + "\n");
      } else {
        out.print(sites.stream().map(s -> SiteText.render(a, s)).collect(Collectors.joining("\n")));
      }
    }
    out.flush();
    return 0;
  }

  private SiteAnalysis site(Analysis a, int id) throws TombscopeCli.UsageProblem {
    for (SiteAnalysis s : a.sites()) {
      if (s.id() == id) {
        return s;
      }
    }
    String ids =
        a.sites().isEmpty()
            ? "it has none"
            : "its sites are "
                + a.sites().stream().mapToInt(SiteAnalysis::id).min().getAsInt()
                + " to "
                + a.sites().stream().mapToInt(SiteAnalysis::id).max().getAsInt();
    throw new TombscopeCli.UsageProblem(
        "--site "
            + id
            + ": "
            + String.join(" ", recording.stream().map(Path::toString).toList())
            + " has no site "
            + id
            + " ("
            + ids
            + ")");
  }
}
