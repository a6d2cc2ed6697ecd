package io.tombscope.benchmarks.map;

import io.tombscope.map.BucketHashMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The map implementations compared side by side. Each is created with its no-argument constructor,
 * the way most code creates maps, so growth from the default size is part of what a fill costs. The
 * constant names are the values of the benchmarks' {@code impl} parameter.
 */
public enum MapKind {
  BucketHashMap {
    @Override
    public <K, V> Map<K, V> create() {
      return new BucketHashMap<>();
    }
  },
  HashMap {
    @Override
    public <K, V> Map<K, V> create() {
      return new HashMap<>();
    }
  },
  /** Trove 3's {@code THashMap}: open addressing with REMOVED markers (not in the defaults). */
  TroveHashMap {
    @Override
    public <K, V> Map<K, V> create() {
      return new gnu.trove.map.hash.THashMap<>();
    }
  },
  /** fastutil's {@code Object2ObjectOpenHashMap}: backward-shift deletion (not in the defaults). */
  FastutilOpenHashMap {
    @Override
    public <K, V> Map<K, V> create() {
      return new it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap<>();
    }
  },
  /** JCTools' {@code NonBlockingHashMap}: dead keys until a resize (not in the defaults). */
  JctoolsHashMap {
    @Override
    public <K, V> Map<K, V> create() {
      return new org.jctools.maps.NonBlockingHashMap<>();
    }
  },
  /**
   * Eclipse Collections' {@code LongLongHashMap} (behind a {@code Map<Long, Long>}): open
   * addressing with REMOVED_KEY sentinels (not in the defaults).
   */
  EclipseLongLongMap {
    @SuppressWarnings("unchecked")
    @Override
    public <K, V> Map<K, V> create() {
      return (Map<K, V>) new EclipseLongLongMap();
    }
  },
  /**
   * Eclipse Collections' {@code UnifiedMap}: colliding entries chained inside the table, no
   * sentinels (not in the defaults).
   */
  EclipseUnifiedMap {
    @Override
    public <K, V> Map<K, V> create() {
      return new org.eclipse.collections.impl.map.mutable.UnifiedMap<>();
    }
  };

  /** A new, empty map of this kind. */
  public abstract <K, V> Map<K, V> create();
}
