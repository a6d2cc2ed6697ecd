package io.tombscope.agent.recording;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.MapRecorder;
import io.tombscope.agent.bootstrap.Site;

/**
 * Sees each interval as the flusher writes it, so that live views (the Prometheus endpoint, JFR
 * events) read the same figures as the recording without walking the maps a second time. Called on
 * the flusher thread only, in this order per interval: for every site {@link #map} for each of its
 * live BucketHashMaps (JDK maps keep no tombstones), then {@link #site}, and {@link #latency} for
 * the values its series took; then {@link #intervalEnd}. Implementations must be quick (maps are
 * read under the fold lock) and must not keep {@code total} or {@code gauge}, which the flusher
 * reuses. Every method does nothing unless overridden.
 */
public interface IntervalListener {
  /** A listener that ignores everything. */
  IntervalListener NONE = new IntervalListener() {};

  /** One live BucketHashMap of {@code site} holds {@code tombstones} in {@code slots} now. */
  default void map(Site site, MapRecorder recorder, long tombstones, long slots) {}

  /** One site's cumulative counts (live and folded maps) and its gauge of live maps. */
  default void site(Site site, Counts total, MapStats gauge) {}

  /**
   * {@code count} values of series {@code series} ({@link Site#SERIES_NAMES}) of {@code site} fell
   * into {@link io.tombscope.agent.bootstrap.LogHistogram} bucket {@code bucket} this interval.
   */
  default void latency(int series, Site site, int bucket, int count) {}

  /** Every site of the interval was seen. */
  default void intervalEnd(long epochMs) {}

  /** Both {@code first} and then {@code second}. */
  static IntervalListener both(IntervalListener first, IntervalListener second) {
    if (first == NONE) {
      return second;
    }
    return new IntervalListener() {
      @Override
      public void map(Site site, MapRecorder recorder, long tombstones, long slots) {
        first.map(site, recorder, tombstones, slots);
        second.map(site, recorder, tombstones, slots);
      }

      @Override
      public void site(Site site, Counts total, MapStats gauge) {
        first.site(site, total, gauge);
        second.site(site, total, gauge);
      }

      @Override
      public void latency(int series, Site site, int bucket, int count) {
        first.latency(series, site, bucket, count);
        second.latency(series, site, bucket, count);
      }

      @Override
      public void intervalEnd(long epochMs) {
        first.intervalEnd(epochMs);
        second.intervalEnd(epochMs);
      }
    };
  }
}
