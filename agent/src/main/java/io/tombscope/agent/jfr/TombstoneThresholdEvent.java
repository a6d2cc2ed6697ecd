package io.tombscope.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.StackTrace;

/**
 * A map's live tombstones crossed {@link JfrEvents#TOMBSTONE_RATIO} of its slots. The map is
 * re-armed only once it falls below 0.8 times that ratio, so a map that hovers at the line cannot
 * flood the recording.
 */
@Name("io.tombscope.TombstoneThreshold")
@Label("Tombstone Threshold")
@Category("Tombscope")
@Description(
    "A map's live tombstones crossed a share of its slots (seen at the end of an interval)")
@StackTrace(false)
final class TombstoneThresholdEvent extends SiteEvent {
  @Label("Tombstones")
  long tombstones;

  @Label("Slots")
  long slots;

  @Label("Tombstone Ratio")
  @Percentage
  double ratio;

  @Label("Threshold")
  @Percentage
  double threshold;
}
