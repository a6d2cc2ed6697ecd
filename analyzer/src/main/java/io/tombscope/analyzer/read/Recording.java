package io.tombscope.analyzer.read;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A recording as read from its directory (see {@code docs/recording-format.md}): compact by
 * construction, because the reader sums histograms and keeps time series as primitive arrays as it
 * streams the files.
 *
 * @param intervalTimes {@code t} (ms since start) of every report point, in order: of every
 *     interval, or where a recording has more intervals than the reader keeps points, of the last
 *     interval of each run of them (see {@link SiteRecord#firstInterval})
 * @param sites by site id, in the order first seen
 * @param seriesTotals every histogram series summed over all sites
 * @param agent the last {@code agent} health line's values
 * @param untracked per JDK family, the last {@code untracked} line's values: what the maps that
 *     were not tracked did ({@code deletes}, {@code deleteMisses}, {@code resizes} ...)
 * @param ended whether the {@code end} line was written (the JVM shut down normally)
 * @param durationMs time from the start to the last line
 * @param warnings problems worked around while reading (a truncated last line, a skipped line), the
 *     first 20 and then one line that counts the others
 * @param intervals complete intervals read (an interval is complete once its {@code agent} line is
 *     written)
 * @param skippedLines lines not used because a number in them is out of range, or because they were
 *     cut off with an interval the agent did not finish writing
 * @param deleteRate deletes per second over all sites, one value per report point: the interval of
 *     the point that had the most, so a spike of one interval survives downsampling
 * @param fromMs the start of the range read ({@code --from}), ms since the recording's start: its
 *     intervals end after it; 0 for the whole recording
 * @param toMs the end of the range read ({@code --to}): its intervals end no later; {@link
 *     Long#MAX_VALUE} for the whole recording
 */
public record Recording(
    Path directory,
    Meta meta,
    long[] intervalTimes,
    Map<Integer, SiteRecord> sites,
    Map<String, Histogram> seriesTotals,
    List<Release> releases,
    Map<String, Long> agent,
    Map<String, Map<String, Long>> untracked,
    long growEvents,
    boolean ended,
    long durationMs,
    List<String> warnings,
    long intervals,
    long skippedLines,
    LongSeries deleteRate,
    long fromMs,
    long toMs) {

  /** Whether only a range of the recording was read ({@code --from}, {@code --to}). */
  public boolean ranged() {
    return fromMs > 0 || toMs != Long.MAX_VALUE;
  }

  /** Deletes the JDK's untracked maps made, over every family. */
  public long untrackedDeletes() {
    return untracked.values().stream().mapToLong(m -> m.getOrDefault("deletes", 0L)).sum();
  }

  /** Process start times are kept in clock ticks: a process may seem to start this much late. */
  private static final long CLOCK_SLACK_MS = 1_000;

  /**
   * Why there is no {@code end} line, for people, or "" when there is one: the JVM that writes the
   * recording still runs (a process with its pid that started no later than the recording), or it
   * stopped without writing one (a crash, {@code kill -9}).
   */
  public String endNote() {
    if (ended) {
      return "";
    }
    if (meta.pid() <= 0) {
      return "cut short: no end line";
    }
    boolean writing =
        ProcessHandle.of(meta.pid())
            .flatMap(p -> p.info().startInstant())
            .map(start -> start.toEpochMilli() <= meta.startEpochMs() + CLOCK_SLACK_MS)
            .orElse(false);
    return writing
        ? "still being written: JVM " + meta.pid() + " is running"
        : "cut short: no end line";
  }
}
