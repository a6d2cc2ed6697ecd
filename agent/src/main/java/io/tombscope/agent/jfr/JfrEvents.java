package io.tombscope.agent.jfr;

import io.tombscope.agent.bootstrap.Counts;
import io.tombscope.agent.bootstrap.GrowEvent;
import io.tombscope.agent.bootstrap.GrowListener;
import io.tombscope.agent.bootstrap.MapRecorder;
import io.tombscope.agent.bootstrap.Site;
import io.tombscope.agent.bootstrap.Sites;
import io.tombscope.agent.recording.IntervalListener;
import io.tombscope.agent.recording.MapStats;
import io.tombscope.agent.recording.RecordingWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;

/**
 * The agent's JFR events, in category {@code Tombscope}: {@code MapGrow} on the thread that grows a
 * map, spanning the grow; {@code TombstoneThreshold} and the periodic {@code SiteStatistics} from
 * the figures the flusher reads each interval (so neither touches a map again). The existing {@code
 * Release} event is the release trigger's.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Nothing here loads unless {@code jdk.jfr} is in the runtime and JFR is available; callers
 *       check the module before naming this class.
 *   <li>An event's fields are filled only after {@code shouldCommit()}, so a disabled event costs
 *       its allocation and a check.
 *   <li>A map raises {@code TombstoneThreshold} when its tombstones reach {@link #TOMBSTONE_RATIO}
 *       of its slots (and at least {@link #MIN_TOMBSTONES}), and again only after they fell below
 *       {@link #REARM} times that ratio.
 * </ol>
 */
public final class JfrEvents implements GrowListener, IntervalListener {
  /**
   * The share of a map's slots that its tombstones must reach to raise the event: the tombstone
   * finding's own line ({@code docs/findings.md}), as is {@link #MIN_TOMBSTONES}.
   */
  static final double TOMBSTONE_RATIO = 0.25;

  /** A map is re-armed once its ratio falls below this share of {@link #TOMBSTONE_RATIO}. */
  static final double REARM = 0.8;

  /** Tombstones a map must hold at least (tiny maps cross any ratio with a few deletes). */
  static final long MIN_TOMBSTONES = 64;

  // Flusher thread only: the maps over the threshold, until they fall below the re-arm line.
  private final Map<MapRecorder, Boolean> raised = new WeakHashMap<>();

  // Written by the flusher, read by JFR's periodic thread: each site's latest figures.
  private final Map<Integer, SiteFigures> latest = new ConcurrentHashMap<>();

  // JFR's periodic thread only: what the last SiteStatistics event of each site carried.
  private final Map<Integer, SiteFigures> sent = new HashMap<>();

  private JfrEvents() {}

  /**
   * Registers the events and starts feeding them; false (and nothing registered) if this runtime
   * has no usable JFR.
   */
  public static boolean start(RecordingWriter writer, Consumer<String> warn) {
    try {
      if (!FlightRecorder.isAvailable()) {
        return false;
      }
      FlightRecorder.register(MapGrowEvent.class);
      FlightRecorder.register(TombstoneThresholdEvent.class);
      FlightRecorder.register(SiteStatisticsEvent.class);
      JfrEvents events = new JfrEvents();
      FlightRecorder.addPeriodicEvent(SiteStatisticsEvent.class, events::sendSiteStatistics);
      writer.listen(events);
      Sites.listenToGrows(events);
      return true;
    } catch (RuntimeException | LinkageError e) {
      warn.accept("JFR events are off: " + e);
      return false;
    }
  }

  @Override
  public Object begin() {
    MapGrowEvent e = new MapGrowEvent();
    if (!e.isEnabled()) {
      return null;
    }
    e.begin();
    return e;
  }

  @Override
  public void end(Object begun, GrowEvent grow, Site site) {
    MapGrowEvent e = (MapGrowEvent) begun;
    e.end();
    if (!e.shouldCommit()) {
      return;
    }
    boolean bucket = site.family == null;
    e.describe(site);
    e.family = bucket ? "bucket" : site.family;
    e.cause = grow.cause();
    // BucketHashMap's B counts buckets of 8 slots; a JDK map's is log2 of its table length.
    e.oldCapacity = (bucket ? 8L : 1L) << grow.fromB();
    e.newCapacity = (bucket ? 8L : 1L) << grow.toB();
    e.entriesMoved = grow.entriesMoved();
    e.tombstonesDropped = grow.tombstonesReclaimed();
    e.helpers = grow.helpers();
    e.commit();
  }

  @Override
  public void map(Site site, MapRecorder recorder, long tombstones, long slots) {
    if (site.family != null || slots <= 0) {
      return; // JDK maps keep no tombstones
    }
    double ratio = (double) tombstones / slots;
    if (raised.containsKey(recorder)) {
      if (ratio < REARM * TOMBSTONE_RATIO) {
        raised.remove(recorder);
      }
      return;
    }
    if (ratio < TOMBSTONE_RATIO || tombstones < MIN_TOMBSTONES) {
      return;
    }
    raised.put(recorder, Boolean.TRUE);
    TombstoneThresholdEvent e = new TombstoneThresholdEvent();
    if (e.shouldCommit()) {
      e.describe(site);
      e.tombstones = tombstones;
      e.slots = slots;
      e.ratio = ratio;
      e.threshold = TOMBSTONE_RATIO;
      e.commit();
    }
  }

  @Override
  public void site(Site site, Counts total, MapStats gauge) {
    latest.put(
        site.id,
        new SiteFigures(
            site,
            total.deleteHits,
            total.deleteMisses,
            total.growsLoad + total.growsOverflow,
            site.family == null ? gauge.tombstones : 0,
            gauge.slots,
            gauge.maps,
            gauge.estimatedBytes));
  }

  /** JFR's periodic hook: one event per site whose figures changed since its last one. */
  private void sendSiteStatistics() {
    for (SiteFigures now : latest.values()) {
      SiteFigures before = sent.get(now.site.id);
      if (now.equals(before)) {
        continue;
      }
      SiteStatisticsEvent e = new SiteStatisticsEvent();
      if (!e.shouldCommit()) {
        return;
      }
      e.describe(now.site);
      e.deleteHits = now.deleteHits - (before == null ? 0 : before.deleteHits);
      e.deleteMisses = now.deleteMisses - (before == null ? 0 : before.deleteMisses);
      e.grows = now.grows - (before == null ? 0 : before.grows);
      e.tombstones = now.tombstones;
      e.slots = now.slots;
      e.maps = now.maps;
      e.estimatedBytes = now.estimatedBytes;
      e.commit();
      sent.put(now.site.id, now);
    }
  }

  /** One site's figures at the end of an interval. */
  private record SiteFigures(
      Site site,
      long deleteHits,
      long deleteMisses,
      long grows,
      long tombstones,
      long slots,
      long maps,
      long estimatedBytes) {}
}
