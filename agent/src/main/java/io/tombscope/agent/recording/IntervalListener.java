package io.tombscope.agent.recording;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.Site;

/**
 * Sees each interval as the flusher writes it, so a live view (the Prometheus endpoint) reads the
 * same figures as the recording without walking the maps a second time. Called on the flusher
 * thread only, in this order per interval: {@link #site} for every site, {@link #latency} for the
 * values each site's series took, then {@link #intervalEnd}. Implementations must be quick and must
 * not keep {@code total} or {@code gauge}, which the flusher reuses.
 */
public interface IntervalListener {
  /** A listener that ignores everything. */
  IntervalListener NONE =
      new IntervalListener() {
        @Override
        public void site(Site site, Counts total, MapStats gauge) {}

        @Override
        public void latency(int series, Site site, int bucket, int count) {}

        @Override
        public void intervalEnd(long epochMs) {}
      };

  /** One site's cumulative counts (live and folded maps) and its gauge of live maps. */
  void site(Site site, Counts total, MapStats gauge);

  /**
   * {@code count} values of series {@code series} ({@link Site#SERIES_NAMES}) of {@code site} fell
   * into {@link io.tombscope.agent.bootstrap.LogHistogram} bucket {@code bucket} this interval.
   */
  void latency(int series, Site site, int bucket, int count);

  /** Every site of the interval was seen. */
  void intervalEnd(long epochMs);
}
