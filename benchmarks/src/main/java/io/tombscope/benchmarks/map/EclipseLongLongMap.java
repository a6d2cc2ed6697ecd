package io.tombscope.benchmarks.map;

import java.util.AbstractMap;
import java.util.Set;
import org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap;

/**
 * Eclipse Collections' {@code LongLongHashMap} behind the {@code Map<Long, Long>} the benchmarks
 * use: each call unboxes its key and goes to the primitive map, which keeps {@code REMOVED_KEY}
 * sentinels. The boxing costs the same with and without the agent. Only the operations the
 * benchmarks call are here.
 */
final class EclipseLongLongMap extends AbstractMap<Long, Long> {
  // A value no benchmark stores: "absent" without a second lookup on the common path.
  private static final long ABSENT = Long.MIN_VALUE;

  private final LongLongHashMap map = new LongLongHashMap();

  @Override
  public Long put(Long key, Long value) {
    long old = map.getAndPut(key, value, ABSENT);
    return old == ABSENT ? null : old;
  }

  @Override
  public Long get(Object key) {
    long v = map.getIfAbsent((Long) key, ABSENT);
    return v == ABSENT ? null : v;
  }

  @Override
  public Long remove(Object key) {
    long v = map.removeKeyIfAbsent((Long) key, ABSENT);
    return v == ABSENT ? null : v;
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public Set<Entry<Long, Long>> entrySet() {
    throw new UnsupportedOperationException("not used by the benchmarks");
  }
}
