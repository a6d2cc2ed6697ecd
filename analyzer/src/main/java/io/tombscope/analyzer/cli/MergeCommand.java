package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.merge.FleetMerge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description = {
      "Merges the recordings of many JVMs (a fleet) into one recording that every command reads.",
      "",
      "Sites are matched by map class and allocation frames, not by id; intervals are aligned on"
          + " absolute time in windows of the longest interval; counters, gauges and histograms"
          + " are added, and each window records how many JVMs it holds, so a JVM that stopped"
          + " does not read as a recovery. The merged recording also keeps each JVM's own totals"
          + " and peaks per site (fleet.jsonl), which `report` shows as the spread across JVMs."
          + " The merge is written as the agent writes a recording (hourly compressed segments);"
          + " a corrupt segment of an input costs that segment, with one warning."
    })
final class MergeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "REC",
      arity = "1..*",
      description = "recording directories, or directories whose subdirectories are recordings")
  List<Path> recordings;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FLEET",
      required = true,
      description =
          "the directory to create for the merged recording (must not exist, or be empty)")
  Path output;

  @Option(names = "--verbose", description = "print stack traces of failures")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    List<Path> inputs = RecordingInput.recordings(recordings);
    long startNanos = System.nanoTime();
    FleetMerge.Result r;
    ProgressBar bar =
        new ProgressBar(err, "merging " + inputs.size() + " recordings", System.console() != null);
    try {
      r = FleetMerge.merge(inputs, output, RecordingInput.listener(bar, err));
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      throw new TombscopeCli.UsageProblem(
          output
              + " exists and is not an empty directory: merge never writes over what it did not"
              + " create; name a new directory");
    } catch (IOException e) {
      throw FileProblem.cannotWrite(output, e);
    } finally {
      bar.clear();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "merged %d recordings into %s: %,d sites, %,d windows of %,d ms, %.1f s%n",
        r.jvms(),
        output.toAbsolutePath(),
        r.sites(),
        r.windows(),
        r.windowMs(),
        (System.nanoTime() - startNanos) / 1e9);
    out.flush();
    return 0;
  }
}
