package io.tombscope.agent.release;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A release as a JFR event, so it lines up with GC events in JDK Mission Control. */
@Name("io.tombscope.Release")
@Label("Tombscope Memory Release")
@Category("Tombscope")
@Description("Maps compacted, garbage collected, memory measured before and after")
final class ReleaseJfrEvent extends Event {
  @Label("Trigger")
  String trigger;

  @Label("Heap Used Released")
  @DataAmount
  long heapUsedReleased;

  @Label("Heap Committed Released")
  @DataAmount
  long heapCommittedReleased;

  @Label("RSS Released")
  @Description("Resident set given back to the operating system; -1 where it cannot be read")
  @DataAmount
  long rssReleased;

  @Label("Map Bytes Released")
  @DataAmount
  long mapBytesReleased;

  @Label("Tombstones Released")
  long tombstonesReleased;

  @Label("Maps Compacted")
  int mapsCompacted;

  @Label("Maps Pending")
  int mapsPending;

  static void emit(ReleaseResult r) {
    ReleaseJfrEvent e = new ReleaseJfrEvent();
    if (!e.isEnabled()) {
      return;
    }
    MemorySnapshot released = r.released();
    e.trigger = r.trigger();
    e.heapUsedReleased = released.heapUsedBytes();
    e.heapCommittedReleased = released.heapCommittedBytes();
    e.rssReleased = released.rssBytes();
    e.mapBytesReleased = released.mapBytes();
    e.tombstonesReleased = released.tombstones();
    e.mapsCompacted = r.mapsCompacted();
    e.mapsPending = r.mapsPending();
    e.commit();
  }
}
