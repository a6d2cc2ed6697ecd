package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.read.TimeRange;
import picocli.CommandLine.Option;

/** {@code --from} and {@code --to}: the part of a recording that a command reads. */
final class RangeOptions {
  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "read only the intervals that end after TIME: a time since the recording's start"
              + " (90s, 15m, 1h30m, 2d) or an instant (2026-12-03T10:15:00Z); counts are then"
              + " what happened from TIME on")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "read only the intervals that end no later than TIME (as --from)")
  String to;

  /** The range given, or the whole recording. */
  TimeRange range() throws TombscopeCli.UsageProblem {
    try {
      return TimeRange.parse(from, to);
    } catch (IllegalArgumentException e) {
      throw new TombscopeCli.UsageProblem(e.getMessage());
    }
  }
}
