package io.tombscope.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the probes of every third-party family share: tracking a map from its constructor, with its
 * allocation site and delete callers taken from the stack past the library's own frames (and the
 * agent's, and a program subclass of the map's), and the bytes of a table's arrays.
 */
final class ThirdPartyMaps {
  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final int MAX_SITE_FRAMES = 8;
  private static final int MAX_WALK = 32;
  private static final String BOOTSTRAP_PACKAGE = "io.tombscope.agent.bootstrap.";

  private static final int REF = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;

  private ThirdPartyMaps() {}

  /**
   * A constructor of a map of {@code family} finished: tracks the map (every map, from its
   * construction) unless an inner constructor of its chain already did; counts it in {@code
   * untracked} when the table of tracked maps is full. Never throws.
   */
  static void created(
      Object map, String family, String tracking, String libraryPackage, AtomicLong untracked) {
    try {
      if (TrackedMaps.recorderOf(map) != null) {
        return;
      }
      Class<?> mapClass = map.getClass();
      Site site =
          Sites.siteFor(
              mapClass.getName(), family, 1, tracking, siteFrames(mapClass, libraryPackage), null);
      MapRecorder recorder =
          new MapRecorder(
              site, Thread.currentThread().getId(), Integer.MAX_VALUE, 0, Probes.callSitePeriod());
      if (Sites.trackJdk(map, recorder) == TrackedMaps.FULL) {
        untracked.incrementAndGet();
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** The allocation site of a map of {@code mapClass} being constructed now. */
  private static List<String> siteFrames(Class<?> mapClass, String libraryPackage) {
    return WALKER.walk(
        s -> {
          List<String> out = new ArrayList<>(MAX_SITE_FRAMES);
          s.limit(MAX_WALK)
              .dropWhile(f -> ownFrame(f.getClassName(), mapClass, libraryPackage))
              .limit(MAX_SITE_FRAMES)
              .forEach(f -> out.add(Probes.describe(f)));
          return List.copyOf(out);
        });
  }

  /**
   * Records the caller of a delete on {@code map} in its site's call sites, and resets the map's
   * countdown to the next one; never throws.
   */
  static void recordCallSite(MapRecorder r, Object map, boolean hit, String libraryPackage) {
    int period = Probes.callSitePeriod();
    r.callSiteDue = period;
    try {
      Class<?> mapClass = map.getClass();
      String stack =
          WALKER.walk(
              s ->
                  CallSites.stackOf(
                      s.limit(MAX_WALK)
                          .dropWhile(f -> ownFrame(f.getClassName(), mapClass, libraryPackage))));
      r.site.callSites.record(stack, hit, period);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /** Bytes of one element of an array of {@code component}, references compressed below 32 GiB. */
  static int elementBytes(Class<?> component) {
    if (component == byte.class || component == boolean.class) {
      return 1;
    } else if (component == char.class || component == short.class) {
      return 2;
    } else if (component == int.class || component == float.class) {
      return 4;
    } else if (component == long.class || component == double.class) {
      return 8;
    }
    return REF;
  }

  /** Bytes of an array of {@code length} elements of {@code element} bytes, header included. */
  static long arrayBytes(long length, int element) {
    return (16 + length * element + 7) & ~7L;
  }

  /** The probes, the library's own code, or a program subclass of the map's. */
  private static boolean ownFrame(String className, Class<?> mapClass, String libraryPackage) {
    if (className.startsWith(BOOTSTRAP_PACKAGE) || className.startsWith(libraryPackage)) {
      return true;
    }
    for (Class<?> c = mapClass; c != null && c != Object.class; c = c.getSuperclass()) {
      if (className.equals(c.getName())) {
        return true;
      }
    }
    return false;
  }
}
