package io.tombscope.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A tracked map grew: its duration spans the whole grow, from start to the last evacuation. */
@Name("io.tombscope.MapGrow")
@Label("Map Grow")
@Category("Tombscope")
@Description("A tracked map grew (or a JDK map resized its table); the event spans the whole grow")
@StackTrace(false)
final class MapGrowEvent extends SiteEvent {
  @Label("Family")
  @Description("bucket (BucketHashMap), hashmap, concurrent, weak, threadlocal or identity")
  String family;

  @Label("Cause")
  @Description("load (doubling), overflow (same-size grow) or resize (a JDK map's table)")
  String cause;

  @Label("Old Capacity")
  @Description("Slots before the grow")
  long oldCapacity;

  @Label("New Capacity")
  @Description("Slots after the grow")
  long newCapacity;

  @Label("Entries Moved")
  long entriesMoved;

  @Label("Tombstones Dropped")
  long tombstonesDropped;

  @Label("Helper Threads")
  @Description("Threads that helped a ConcurrentHashMap resize")
  int helpers;
}
