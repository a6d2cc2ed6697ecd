package io.tombscope.agent.bootstrap;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The JDK maps the agent tracks, found by identity. The JDK's map classes are already loaded when
 * the agent starts, so they cannot gain a field for their recorder as {@code BucketHashMap} does;
 * this table stands in for that field.
 *
 * <p>Lookups are the hot path of every instrumented JDK map, tracked or not: one identity hash and
 * one array read, and for an untracked map the bucket is almost always empty. Each bucket is an
 * immutable list replaced by compare-and-set, so a lookup never sees a half-made change and never
 * misses a tracked map while another thread adds or removes one. No lock, no allocation on lookup,
 * and no map of any kind inside, so the probes that use it cannot recurse into themselves.
 */
public final class TrackedMaps {
  /** Most JDK maps tracked at once; later ones go untracked (and are counted). */
  public static final int MAX_TRACKED = 1 << 16;

  private static final int BUCKETS = 1 << 16;
  private static final AtomicReferenceArray<Node> TABLE = new AtomicReferenceArray<>(BUCKETS);
  private static final AtomicInteger COUNT = new AtomicInteger();

  /** Tracked maps now; read by the hot path to skip the lookup entirely while none are tracked. */
  private static volatile int tracked;

  private record Node(Site.MapRef ref, Node next) {}

  private TrackedMaps() {}

  /** The recorder of {@code map}, or null if it is not tracked. */
  public static MapRecorder recorderOf(Object map) {
    if (tracked == 0) {
      return null;
    }
    int h = System.identityHashCode(map);
    for (Node n = TABLE.get(bucket(h)); n != null; n = n.next) {
      if (n.ref.identityHash == h && n.ref.get() == map) {
        return n.ref.recorder;
      }
    }
    return null;
  }

  /** {@link #add} started tracking the map. */
  static final int ADDED = 1;

  /** {@link #add} found {@link #MAX_TRACKED} maps tracked. */
  static final int FULL = 0;

  /** {@link #add} found the map tracked already (two threads finished one resize). */
  static final int PRESENT = -1;

  /**
   * Starts tracking the map behind {@code ref}: {@link #ADDED}, {@link #FULL} or {@link #PRESENT}.
   */
  static int add(Site.MapRef ref) {
    if (COUNT.incrementAndGet() > MAX_TRACKED) {
      COUNT.decrementAndGet();
      return FULL;
    }
    Object map = ref.get();
    int i = bucket(ref.identityHash);
    for (; ; ) {
      Node head = TABLE.get(i);
      for (Node n = head; n != null; n = n.next) {
        if (n.ref.identityHash == ref.identityHash && n.ref.get() == map) {
          COUNT.decrementAndGet();
          return PRESENT;
        }
      }
      if (TABLE.compareAndSet(i, head, new Node(ref, head))) {
        tracked = COUNT.get();
        return ADDED;
      }
    }
  }

  /** Stops tracking the map behind {@code ref} (it died). */
  static void remove(Site.MapRef ref) {
    int i = bucket(ref.identityHash);
    for (; ; ) {
      Node head = TABLE.get(i);
      Node without = without(head, ref);
      if (without == head) {
        return;
      }
      if (TABLE.compareAndSet(i, head, without)) {
        tracked = COUNT.decrementAndGet();
        return;
      }
    }
  }

  /** Tracked maps now. */
  public static int count() {
    return COUNT.get();
  }

  private static Node without(Node list, Site.MapRef ref) {
    if (list == null) {
      return null;
    }
    if (list.ref == ref) {
      return list.next;
    }
    Node rest = without(list.next, ref);
    return rest == list.next ? list : new Node(list.ref, rest);
  }

  private static int bucket(int identityHash) {
    return (identityHash ^ (identityHash >>> 16)) & (BUCKETS - 1);
  }
}
