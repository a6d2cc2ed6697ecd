package io.tombscope.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * Periodic, off by default: what one site did since its last event (deltas of its counters) and its
 * gauges now, for JDK Mission Control's timelines. Only sites whose figures changed are sent.
 */
@Name("io.tombscope.SiteStatistics")
@Label("Site Statistics")
@Category("Tombscope")
@Description(
    "Per allocation site: deletes and grows since the last event, tombstones and bytes now")
@StackTrace(false)
@Enabled(false)
@Period("1 s")
final class SiteStatisticsEvent extends SiteEvent {
  @Label("Delete Hits")
  @Description("Deletes that found their key, since the site's last event")
  long deleteHits;

  @Label("Delete Misses")
  @Description("Deletes of absent keys, since the site's last event")
  long deleteMisses;

  @Label("Grows")
  @Description("Grows and resizes started since the site's last event")
  long grows;

  @Label("Live Tombstones")
  long tombstones;

  @Label("Slots")
  long slots;

  @Label("Maps")
  long maps;

  @Label("Estimated Bytes")
  @DataAmount
  long estimatedBytes;
}
