package io.tombscope.agent.it.lib;

import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for a third-party library: a cache whose map is built, filled and emptied in the
 * library's own code, several calls deep. {@code JdkTrackingIT} loads it from a jar of its own, as
 * a dependency would be.
 */
public final class TinyLibrary {
  private final Map<Long, Long> entries = new HashMap<>();

  /** Puts {@code key} through {@code depth} more calls of the library's own. */
  public void put(long key, int depth) {
    if (depth > 0) {
      put(key, depth - 1);
      return;
    }
    entries.put(key, key);
  }

  /** Removes {@code key}; true if it was there. */
  public boolean invalidate(long key) {
    return entries.remove(key) != null;
  }

  public int size() {
    return entries.size();
  }
}
