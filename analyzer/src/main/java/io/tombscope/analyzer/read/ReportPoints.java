package io.tombscope.analyzer.read;

import java.util.Collection;

/**
 * The recording's intervals as at most {@code maxPoints} report points, so that a recording's time
 * series cost memory by sites and points, never by intervals: when the points are full, each pair
 * is merged into one (its later time, the higher of its values) and every later point holds twice
 * as many intervals.
 */
final class ReportPoints {
  /** Values the series of all sites may hold at most (one per series, site and point): 64 MiB. */
  static final long VALUE_BUDGET = 8L << 20;

  static final int MOST_POINTS = 1024;
  static final int FEWEST_POINTS = 16;

  private final int maxPoints;
  private final LongSeries times = new LongSeries();
  private final LongSeries deleteRate = new LongSeries(true);
  private long lastT;
  private long lastIntervalMillis;
  private int intervalsPerPoint = 1;
  private int intervalsInLast;
  private long intervals;

  ReportPoints(int maxPoints) {
    this.maxPoints = maxPoints;
  }

  /** As many points as the budget allows for {@code sites} sites: a power of two. */
  static ReportPoints forSites(int sites) {
    long fit = VALUE_BUDGET / ((long) SiteRecord.MAX_SERIES * Math.max(1, sites));
    int points = (int) Long.highestOneBit(Math.max(FEWEST_POINTS, Math.min(MOST_POINTS, fit)));
    return new ReportPoints(points);
  }

  /**
   * Adds an interval that ended at {@code t}; returns the index of its point. Merges pairs of
   * points first (of the times and of every site in {@code sites}) when they are full.
   */
  int add(long t, Collection<SiteRecord> sites) {
    intervals++;
    lastIntervalMillis = t - lastT;
    lastT = t;
    if (times.size() > 0 && intervalsInLast < intervalsPerPoint) {
      intervalsInLast++;
      times.put(times.size() - 1, t);
      return times.size() - 1;
    }
    if (times.size() == maxPoints) {
      times.halve(0);
      deleteRate.halve(0);
      for (SiteRecord s : sites) {
        s.halve();
      }
      intervalsPerPoint *= 2;
    }
    times.add(t);
    intervalsInLast = 1;
    return times.size() - 1;
  }

  /**
   * The length of the interval added last, in milliseconds (its {@code t} minus the one before).
   */
  long lastIntervalMillis() {
    return lastIntervalMillis;
  }

  /** All sites made {@code deletes} deletes in the interval added last, at point {@code point}. */
  void deleted(int point, long deletes) {
    deleteRate.put(point, SiteRecord.perSecond(deletes, lastIntervalMillis));
  }

  /**
   * Deletes per second over all sites, in the interval of each point that had the most (see {@link
   * SiteRecord#deleteRate}).
   */
  LongSeries deleteRate() {
    deleteRate.fillTo(times.size());
    return deleteRate;
  }

  /** The end of each point: the {@code t} of its last interval. */
  long[] times() {
    long[] t = new long[times.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = times.get(i);
    }
    return t;
  }

  int size() {
    return times.size();
  }

  long intervals() {
    return intervals;
  }
}
