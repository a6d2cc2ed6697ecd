package io.tombscope.agent.recording;

import io.tombscope.agent.bootstrap.EclipseGauges;
import io.tombscope.agent.bootstrap.EclipseProbes;
import io.tombscope.agent.bootstrap.Family;
import io.tombscope.agent.bootstrap.FastutilGauges;
import io.tombscope.agent.bootstrap.FastutilProbes;
import io.tombscope.agent.bootstrap.JctoolsGauges;
import io.tombscope.agent.bootstrap.JctoolsProbes;
import io.tombscope.agent.bootstrap.JdkGauges;
import io.tombscope.agent.bootstrap.MapRecorder;
import io.tombscope.agent.bootstrap.TroveGauges;
import io.tombscope.agent.bootstrap.TroveProbes;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a live map's {@code stats()} from the agent's own thread, through method handles cached per
 * map class (the agent never links to the map) and typed to return primitives, so that a read
 * allocates nothing but the snapshot {@code stats()} returns. The values are a racy snapshot of a
 * map that another thread may be writing: good for gauges, never used for exact counts.
 */
public final class MapStats {
  /** The gauge fields of one map, or of many summed. */
  public long maps;

  public long size;
  public long slots;
  public long buckets;
  public long overflowBuckets;
  public long tombstones;
  public long growing;
  public long estimatedBytes;

  /** BucketHashMaps: what {@code estimatedBytes} would be if every map were trimmed now. */
  public long trimmedBytes;

  /** JDK maps: slots beyond what a copy of the same entries would have. */
  public long deadSlots;

  // JDK maps (see "JDK maps" in docs/recording-format.md): each map's own size peak, summed and
  // the largest; slots and bytes kept only because a map once held more, and the maps that keep
  // some; the most drained bytes one map held; drained bytes × milliseconds so far.
  public long sizePeakSum;
  public long mapSizePeak;
  public long drainedSlots;
  public long drainedMaps;
  public long drainedBytes;
  public long mapDrainedBytesPeak;
  public long drainedByteMillis;

  // Eclipse Collections' primitive maps: see lastReused().
  private long lastReused = -1;

  // One BucketHashMap's stats as read, before they are added.
  private final long[] values = new long[8];

  private static final ConcurrentHashMap<Class<?>, Accessors> ACCESSORS = new ConcurrentHashMap<>();

  private record Accessors(
      MethodHandle stats,
      MethodHandle size,
      MethodHandle slots,
      MethodHandle buckets,
      MethodHandle overflowBuckets,
      MethodHandle tombstones,
      MethodHandle growing,
      MethodHandle estimatedBytes,
      MethodHandle trimmedBytes) {}

  private static final MethodType STATS = MethodType.methodType(Object.class, Object.class);
  private static final MethodType LONG = MethodType.methodType(long.class, Object.class);
  private static final MethodType BOOLEAN = MethodType.methodType(boolean.class, Object.class);

  /**
   * Eclipse Collections' primitive maps: the inserts into sentinels so far of the map last added
   * with its recorder, counted by its thread or not yet; -1 for a map of another family.
   */
  public long lastReused() {
    return lastReused;
  }

  /** Sets every field to 0 (a scratch sum reused by the flusher). */
  public void clear() {
    lastReused = -1;
    maps = 0;
    size = 0;
    slots = 0;
    buckets = 0;
    overflowBuckets = 0;
    tombstones = 0;
    growing = 0;
    estimatedBytes = 0;
    trimmedBytes = 0;
    deadSlots = 0;
    sizePeakSum = 0;
    mapSizePeak = 0;
    drainedSlots = 0;
    drainedMaps = 0;
    drainedBytes = 0;
    mapDrainedBytesPeak = 0;
    drainedByteMillis = 0;
  }

  /**
   * Adds {@code map}'s current stats to these; false if they could not be read. {@code family} is
   * the JDK map family, or null for a BucketHashMap.
   */
  public boolean add(Object map, String family) {
    if (family != null) {
      long[] g = JdkGauges.read(map, family);
      if (g == null) {
        return false;
      }
      add(g);
      return true;
    }
    return add(map);
  }

  /**
   * Adds a tracked map's stats, {@code recorder} being its own. Third-party maps take their
   * tombstones from it: the agent follows them exactly, where reading the map's fields in the
   * middle of a rehash (a new table, the old free count) would not.
   */
  public boolean add(Object map, String family, MapRecorder recorder) {
    lastReused = -1;
    if (TroveProbes.FAMILY.equals(family)) {
      return addThirdParty(TroveGauges.read(map), recorder);
    } else if (FastutilProbes.FAMILY.equals(family)) {
      return addThirdParty(FastutilGauges.read(map), recorder);
    } else if (EclipseProbes.FAMILY.equals(family)) {
      return addEclipse(map, recorder);
    } else if (JctoolsProbes.FAMILY.equals(family)) {
      return addJctools(map);
    }
    return add(map, family);
  }

  /** True for the family of a third-party library's maps, each of them tracked. */
  public static boolean thirdParty(String family) {
    return TroveProbes.FAMILY.equals(family)
        || FastutilProbes.FAMILY.equals(family)
        || EclipseProbes.FAMILY.equals(family)
        || JctoolsProbes.FAMILY.equals(family);
  }

  /**
   * A JCTools map: its dead keys are the library's own count ({@code _slots − _size}), read as an
   * estimate like its size; {@code trimmedBytes} is what a new map holding the live entries would
   * take.
   */
  private boolean addJctools(Object map) {
    long[] g = JctoolsGauges.read(map);
    if (g == null) {
      return false;
    }
    size += g[JctoolsGauges.SIZE];
    slots += g[JctoolsGauges.CAPACITY];
    buckets += g[JctoolsGauges.CAPACITY];
    tombstones += g[JctoolsGauges.DEAD_KEYS];
    deadSlots += Math.max(0, g[JctoolsGauges.CAPACITY] - g[JctoolsGauges.RECREATED_CAPACITY]);
    estimatedBytes += g[JctoolsGauges.BYTES];
    trimmedBytes += g[JctoolsGauges.RECREATED_BYTES];
    maps++;
    return true;
  }

  /**
   * An Eclipse Collections map: its tombstones are the map's own count of sentinels, from which the
   * inserts into sentinels not counted yet are derived ({@link EclipseGauges#read(Object,
   * MapRecorder)}), in {@link #lastReused()}.
   */
  private boolean addEclipse(Object map, MapRecorder recorder) {
    long[] g = EclipseGauges.read(map, recorder);
    if (g == null) {
      return false;
    }
    lastReused = g[EclipseGauges.REUSED];
    return addThirdParty(g, g[EclipseGauges.TOMBSTONES]);
  }

  /** Adds gauge values indexed as {@link TroveGauges}'s; false for null (unreadable). */
  private boolean addThirdParty(long[] g, MapRecorder recorder) {
    return g != null && addThirdParty(g, Math.max(0, recorder.liveTombstones()));
  }

  /** Adds gauge values indexed as {@link TroveGauges}'s and a map's {@code live} tombstones. */
  private boolean addThirdParty(long[] g, long live) {
    size += g[TroveGauges.SIZE];
    slots += g[TroveGauges.CAPACITY];
    buckets += g[TroveGauges.CAPACITY];
    tombstones += live;
    deadSlots += g[TroveGauges.DEAD_SLOTS];
    estimatedBytes += g[TroveGauges.BYTES];
    trimmedBytes += g[TroveGauges.COMPACTED_BYTES];
    maps++;
    return true;
  }

  /**
   * Adds a live JDK map's current stats to these, with its exact peaks from {@code r}, and brings
   * the flusher's own fields of {@code r} up to {@code nowMs}: the peaks a gauge saw and the
   * drained byte-milliseconds since the last gauge. Called by the flusher only.
   */
  public void addJdk(Object map, String family, MapRecorder r, long nowMs) {
    long[] g = JdkGauges.read(map, family);
    if (g != null) {
      add(g);
      int f = Family.NAMES.indexOf(family);
      long peak = Math.max(r.sizePeak(), g[JdkGauges.SIZE]);
      r.gaugedSizePeak = peak;
      long drained = JdkGauges.drainedSlots(f, g[JdkGauges.SLOTS], peak, g[JdkGauges.SIZE]);
      long bytes = drained * JdkGauges.bytesPerSlot(f);
      r.gaugedDrainedBytesPeak = Math.max(r.gaugedDrainedBytesPeak, bytes);
      r.drainedByteMillis += bytes * Math.max(0, nowMs - r.lastGaugeEpochMs);
      drainedSlots += drained;
      drainedBytes += bytes;
      drainedMaps += drained > 0 ? 1 : 0;
    }
    r.lastGaugeEpochMs = nowMs;
    addPeaks(r.sizePeak(), r.sizePeak(), r.drainedBytesPeak(), r.drainedByteMillis);
  }

  /**
   * Adds the peaks and drained byte-milliseconds of maps, one live map or those folded into a site:
   * the sum of their size peaks, the largest, the most drained bytes one held.
   */
  public void addPeaks(long sizePeakSum, long mapSizePeak, long drainedBytesPeak, long byteMillis) {
    this.sizePeakSum += sizePeakSum;
    this.mapSizePeak = Math.max(this.mapSizePeak, mapSizePeak);
    mapDrainedBytesPeak = Math.max(mapDrainedBytesPeak, drainedBytesPeak);
    drainedByteMillis += byteMillis;
  }

  private void add(long[] g) {
    size += g[JdkGauges.SIZE];
    slots += g[JdkGauges.SLOTS];
    buckets += g[JdkGauges.SLOTS];
    tombstones += g[JdkGauges.STALE];
    deadSlots += g[JdkGauges.DEAD_SLOTS];
    estimatedBytes += g[JdkGauges.BYTES];
    maps++;
  }

  /** Adds a BucketHashMap's current stats to these; false if they could not be read. */
  public boolean add(Object map) {
    Accessors a;
    try {
      a = ACCESSORS.computeIfAbsent(map.getClass(), MapStats::accessors);
    } catch (RuntimeException e) {
      return false;
    }
    long[] v = values;
    try {
      Object s = (Object) a.stats.invokeExact(map);
      // Read into a scratch first, so that a stats() that fails halfway adds nothing.
      v[0] = (long) a.size.invokeExact(s);
      v[1] = (long) a.slots.invokeExact(s);
      v[2] = (long) a.buckets.invokeExact(s);
      v[3] = (long) a.overflowBuckets.invokeExact(s);
      v[4] = (long) a.tombstones.invokeExact(s);
      v[5] = (boolean) a.growing.invokeExact(s) ? 1 : 0;
      v[6] = (long) a.estimatedBytes.invokeExact(s);
      v[7] = (long) a.trimmedBytes.invokeExact(s);
    } catch (Throwable e) {
      // Whatever the map's stats() threw: a gauge not read, never a failure of the flusher.
      return false;
    }
    size += v[0];
    slots += v[1];
    buckets += v[2];
    overflowBuckets += v[3];
    tombstones += v[4];
    growing += v[5];
    estimatedBytes += v[6];
    trimmedBytes += v[7];
    maps++;
    return true;
  }

  private static Accessors accessors(Class<?> mapClass) {
    try {
      Method stats = mapClass.getMethod("stats");
      Class<?> r = stats.getReturnType();
      return new Accessors(
          handle(stats, STATS),
          handle(r.getMethod("size"), LONG),
          handle(r.getMethod("slots"), LONG),
          handle(r.getMethod("buckets"), LONG),
          handle(r.getMethod("overflowBuckets"), LONG),
          handle(r.getMethod("tombstones"), LONG),
          handle(r.getMethod("growing"), BOOLEAN),
          handle(r.getMethod("estimatedBytes"), LONG),
          handle(r.getMethod("trimmedBytes"), LONG));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(mapClass.getName() + " has no usable stats(): " + e);
    }
  }

  /**
   * {@code m} as a handle of {@code type}: a public method of a public class, as reflection had it.
   */
  private static MethodHandle handle(Method m, MethodType type) throws IllegalAccessException {
    return MethodHandles.publicLookup().unreflect(m).asType(type);
  }
}
