package io.tombscope.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the probes of every third-party family share: tracking each map from its construction, found
 * later through its own {@link RecorderFields field} or by identity in {@link TrackedMaps}, and the
 * callers of a sampled delete, both past the library's own frames. JDK types only, in the boot
 * loader.
 */
final class LibraryMaps {
  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final int MAX_SITE_FRAMES = 8;
  private static final int MAX_WALK = 32;
  private static final String BOOTSTRAP_PACKAGE = "io.tombscope.agent.bootstrap.";

  /** The {@code tracking} of third-party sites: every map, from its construction. */
  static final String TRACKING = "all";

  private LibraryMaps() {}

  /**
   * Each map class's public no-argument method {@code name} returning {@code returnType} (the
   * library's own cleanup, such as {@code compact()}), or null where it has none.
   */
  static ClassValue<MethodHandle> publicMethod(String name, Class<?> returnType) {
    return new ClassValue<>() {
      @Override
      protected MethodHandle computeValue(Class<?> type) {
        try {
          return MethodHandles.publicLookup()
              .findVirtual(type, name, MethodType.methodType(returnType));
        } catch (ReflectiveOperationException e) {
          return null;
        }
      }
    };
  }

  /**
   * Tracks a map of {@code family} that finished a constructor, unless it is tracked already
   * (constructors chain: the innermost tracks it). A full table counts in {@code untrackedFull}.
   */
  static void track(Object map, String family, String libraryPackage, AtomicLong untrackedFull) {
    try {
      if (TrackedMaps.recorderOf(map) == null) {
        track(map, family, libraryPackage, untrackedFull, TRACKING, null);
      }
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }

  /**
   * Tracks {@code map} with {@code tracking}, and returns its recorder (null if the table was
   * full); not if the library built it inside its own method {@code internal} ({@code
   * "Class.method"}, or null for none): a map the library uses for itself, which the program never
   * sees.
   */
  static MapRecorder track(
      Object map,
      String family,
      String libraryPackage,
      AtomicLong untrackedFull,
      String tracking,
      String internal) {
    Class<?> mapClass = map.getClass();
    List<String> frames = siteFrames(mapClass, libraryPackage, internal);
    if (frames == null) {
      return null;
    }
    Site site = Sites.siteFor(mapClass.getName(), family, 1, tracking, frames, null);
    // A countdown of 1: the first delete is checked for a walk (CallSites.walkDue).
    MapRecorder recorder =
        new MapRecorder(site, Thread.currentThread().getId(), Integer.MAX_VALUE, 0, 1);
    int added = Sites.trackJdk(map, recorder);
    if (added == TrackedMaps.FULL) {
      untrackedFull.incrementAndGet();
    }
    if (added != TrackedMaps.ADDED) {
      return TrackedMaps.recorderOf(map);
    }
    RecorderFields.set(map, recorder);
    return recorder;
  }

  /** The allocation site's frames, or null if {@code internal} is among the library's own. */
  private static List<String> siteFrames(
      Class<?> mapClass, String libraryPackage, String internal) {
    return WALKER.walk(
        s -> {
          List<String> out = new ArrayList<>(MAX_SITE_FRAMES);
          boolean[] inInternal = new boolean[1];
          s.limit(MAX_WALK)
              .dropWhile(
                  f -> {
                    if (internal != null
                        && internal.equals(f.getClassName() + "." + f.getMethodName())) {
                      inInternal[0] = true;
                    }
                    return ownFrame(f.getClassName(), mapClass, libraryPackage);
                  })
              .limit(MAX_SITE_FRAMES)
              .forEach(f -> out.add(Probes.describe(f)));
          return inInternal[0] ? null : List.copyOf(out);
        });
  }

  /** The probes, the library's own code, or a program subclass of the map's (its constructors). */
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

  /**
   * A delete (a hit or a miss) at the map's countdown to its next walk check: its callers are
   * recorded if {@link CallSites#walkDue} says so (the map's first deletes, then one in {@code
   * callsites}), and the countdown is set to the next check.
   */
  static void callSite(MapRecorder r, Object map, boolean hit, String libraryPackage) {
    int period = Probes.callSitePeriod();
    if (period == 0) {
      r.callSiteDue = Integer.MAX_VALUE; // callsites=off: no walk, and no call here for long
      return;
    }
    long n = r.deleteHits + r.ownerDeleteHits + r.deleteMisses;
    CallSites callSites = r.site.callSites;
    long weight = Math.max(1, n - r.lastWalkedDelete); // a concurrent map's counts may race
    boolean walk = callSites.walkDue(n, r.lastWalkedDelete, period);
    if (walk) {
      r.lastWalkedDelete = n;
    }
    long next = callSites.nextWalkCheck(n, r.lastWalkedDelete, period) - n;
    r.callSiteDue = (int) Math.max(1, Math.min(Integer.MAX_VALUE, next));
    if (!walk) {
      return;
    }
    try {
      Class<?> mapClass = map.getClass();
      String stack =
          WALKER.walk(
              s ->
                  CallSites.stackOf(
                      s.limit(MAX_WALK)
                          .dropWhile(f -> ownFrame(f.getClassName(), mapClass, libraryPackage))));
      callSites.record(stack, null, hit ? CallSites.DELETES : CallSites.MISSES, weight);
    } catch (Throwable t) {
      Sites.suppressed(t);
    }
  }
}
