package io.tombscope.map;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hash map that works exactly like Go's runtime map before Go 1.24 ({@code src/runtime/map.go}),
 * so that what deletes do to it can be watched: tombstones, overflow buckets, incremental
 * evacuation and same-size grows.
 *
 * <p>Assumptions and guarantees:
 *
 * <ol>
 *   <li>Storage is 2<sup>B</sup> buckets of 8 slots, each slot with a {@code tophash} byte, plus
 *       overflow buckets chained behind a full bucket. A deleted key leaves its slot in the {@code
 *       emptyOne} state (a tombstone) unless it ends its chain, in which case the run of tombstones
 *       before it collapses into {@code emptyRest}.
 *   <li>A deleted key is absent to every lookup, exactly as in Go ({@code v, ok := m[k]} gives
 *       {@code ok == false}). Tombstones cost only probe length (lookups walk past them) and memory
 *       (the map never shrinks on its own; {@link #trim()} does).
 *   <li>The map grows only when a new key is inserted: it doubles when {@code count+1 > 8 &&
 *       count+1 > 6.5 × 2^B}, and grows at the same size (dropping every tombstone) when the
 *       overflow buckets allocated since the last grow reach {@code 2^min(B,15)}. Entries move
 *       incrementally: every write first evacuates the old bucket it needs and then the oldest one
 *       not yet evacuated. Reads never move anything.
 *   <li>Not thread-safe. A write that finds another write in progress throws {@link
 *       ConcurrentModificationException} (Go's "concurrent map writes"). Iterators are fail-fast:
 *       any write other than through {@link Iterator#remove()} may move entries, so it makes the
 *       iterator throw. Null keys and values are allowed, as in {@link java.util.HashMap}.
 *   <li>Iteration order is deterministic for a given seed and history: bucket by bucket from bucket
 *       0, as Go's {@code mapiternext} walks it (Go starts at a random bucket).
 *   <li>A doubling grow and {@link #trim()} call {@code hashCode()} again on the keys they move, as
 *       Go re-hashes keys when it evacuates them ({@link java.util.HashMap} keeps each hash
 *       instead). If that throws, or memory runs out, the write or trim fails with it and the map
 *       is left as it was: a bucket moves completely or not at all.
 *   <li>Keys are hashed with a per-map seed, as Go's {@code hash0}: {@code Long} and {@code Double}
 *       keys by their whole value, {@code String} keys by {@code hashCode()} until an insert finds
 *       a chain of {@value #FLOOD_CHAIN_BUCKETS} buckets, and from then on by their chars (the map
 *       then rebuilds itself once, as {@link #trim()} does), every other key by {@code hashCode()}.
 *       So keys of those types whose {@code hashCode()} collide, as an attacker can choose them,
 *       spread over the buckets as other keys do. Keys of other types with one hash code share one
 *       chain, walked with {@code equals} on every access: O(n) each, as in Go for a key type whose
 *       hash is constant.
 * </ol>
 *
 * <pre>{@code
 * BucketHashMap<String, Session> sessions = new BucketHashMap<>();
 * sessions.put(id, session);
 * sessions.remove(id);                      // leaves a tombstone
 * BucketHashMap.Stats s = sessions.stats(); // s.tombstones() == 1, s.size() == 0
 * sessions.trim();                          // rebuilt with no tombstones
 * }</pre>
 *
 * @param <K> the type of keys
 * @param <V> the type of values
 */
public final class BucketHashMap<K, V> extends AbstractMap<K, V> {

  /** Slots per bucket ({@code bucketCnt}). */
  static final int BUCKET_SLOTS = 8;

  // Slot states kept in tophash, with Go's values and meaning.
  /** This slot and every later slot of the chain are empty. */
  static final byte EMPTY_REST = 0;

  /** This slot is empty, a later one may not be: a tombstone. */
  static final byte EMPTY_ONE = 1;

  /** The entry was evacuated to the first half of the larger table. */
  static final byte EVACUATED_X = 2;

  /** The entry was evacuated to the second half of the larger table. */
  static final byte EVACUATED_Y = 3;

  /** The slot was empty when its bucket was evacuated. */
  static final byte EVACUATED_EMPTY = 4;

  /** The smallest tophash of a slot that holds an entry. */
  static final int MIN_TOP_HASH = 5;

  /**
   * Buckets in a chain past which an inserted {@code String} key switches the map to hashing the
   * chars of its {@code String} keys. With hashes that spread, a chain this long means some 60 keys
   * in one bucket where the map averages at most 6.5: about 10<sup>-30</sup> per bucket, so only
   * keys whose {@code hashCode()} collide reach it.
   */
  static final int FLOOD_CHAIN_BUCKETS = 8;

  /** The largest B: a key and a value for each of 8 × (2^26 + 2^22) slots fit in one array. */
  static final int MAX_B = 26;

  private static final Object NULL_KEY = new Object();
  private static final long LOW_BYTES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final Object MISSING = new Object();

  private static final long SEED_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long MIX = 0xD6E8FEB86659FD93L;
  private static final int REFERENCE_BYTES = Runtime.getRuntime().maxMemory() < (32L << 30) ? 4 : 8;
  private static final int ARRAY_HEADER_BYTES = 16;
  // Shallow sizes of this object and of a Generation, measured with JOL (compressed oops).
  private static final int MAP_OBJECT_BYTES = 120;
  private static final int GENERATION_OBJECT_BYTES = 40;

  // The current generation of buckets. Bucket b holds slots 8b..8b+7. Its eight tophash bytes are
  // the one word tophash[b], slot i in byte i counted from the least significant, so a bucket is
  // searched with one load. Slot s keeps its key at slots[2s] and its value at slots[2s+1]: a key
  // and its value share a cache line. Buckets 0..2^B-1 are the main array, overflow buckets are
  // allocated after them; overflow[b] is the next bucket in b's chain, 0 for none (bucket 0 is
  // never an overflow bucket).
  private long[] tophash;
  private Object[] slots;
  private int[] overflow;
  private int B;
  private int nextFreeBucket;
  private int overflowBuckets;

  // The previous generation while a grow is in progress (Go's oldbuckets), else null.
  private Generation old;
  private boolean sameSizeGrow;
  private int nevacuate;

  private int count;
  private int noverflow;
  private int tombstones;
  private long seed;
  // Set, for the map's life, by the first String key that finds its chain too long (see assign).
  private boolean hashStringContents;
  private final boolean deterministic;
  private long randomState;
  private boolean writing;
  private int modCount;
  private long grows;
  private long sameSizeGrows;

  /** The agent's per-map recorder; stays null when the map is not being profiled. */
  @SuppressWarnings("unused")
  private transient Object observer;

  private transient Set<K> keySet;
  private transient Collection<V> values;
  private transient Set<Map.Entry<K, V>> entrySet;

  /** An empty map; its first bucket is allocated by the first insert ({@code make(map[K]V)}). */
  public BucketHashMap() {
    this(0);
  }

  /**
   * An empty map sized for {@code sizeHint} entries without growing ({@code makemap} with a hint).
   *
   * @throws IllegalArgumentException if {@code sizeHint} is negative
   */
  public BucketHashMap(int sizeHint) {
    this(sizeHint, ThreadLocalRandom.current().nextLong(), false);
  }

  /**
   * Like {@link #BucketHashMap(int)} with a fixed hash seed ({@code hash0}): the same seed and the
   * same operations give the same layout, so tests can follow every slot.
   */
  public BucketHashMap(int sizeHint, long seed) {
    this(sizeHint, seed, true);
  }

  private BucketHashMap(int sizeHint, long seed, boolean deterministic) {
    if (sizeHint < 0) {
      throw new IllegalArgumentException("negative size hint: " + sizeHint);
    }
    this.deterministic = deterministic;
    this.seed = seed;
    this.randomState = seed ^ SEED_GAMMA;
    int b = smallestB(sizeHint);
    B = b;
    if (b != 0) {
      allocateBuckets(b);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Observation points. Empty on purpose: the Tombscope agent adds advice to them by name, and
  // without the agent the JIT inlines them away.

  private long observeDeleteStart() {
    return 0L;
  }

  /**
   * End of a delete. True asks the map to {@link #trim()} itself once the delete is over, in the
   * caller's thread: deletes need no other observation point, so each costs the agent two.
   */
  @SuppressWarnings("unused")
  private boolean observeDelete(long startNanos, int probeLength, boolean hit, int collapsed) {
    return false;
  }

  private void observeTombstoneReused() {}

  @SuppressWarnings("unused")
  private void observeGrowStart(int oldB, boolean sameSize) {}

  private long observeEvacuateStart() {
    return 0L;
  }

  @SuppressWarnings("unused")
  private void observeEvacuate(long startNanos, int entriesMoved, int tombstonesDropped) {}

  @SuppressWarnings("unused")
  private void observeGrowEnd(int newB, boolean sameSize) {}

  @SuppressWarnings("unused")
  private void observeTrim(int tombstonesDropped) {}

  @SuppressWarnings("unused")
  private void observeClear(int tombstonesDropped) {}

  /** A trim the agent asked for failed; the map is as it was before it. */
  @SuppressWarnings("unused")
  private void observeCompactionFailed(Throwable failure) {}

  /**
   * Start of an insert, update or clear. True asks the map to {@link #trim()} itself first, in the
   * caller's thread.
   */
  private boolean observeWrite() {
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Reads: mapaccess1/mapaccess2. They never evacuate.

  @Override
  public int size() {
    return count;
  }

  @Override
  public boolean isEmpty() {
    return count == 0;
  }

  /** Mirrors {@code mapaccess1}: walks the chain past tombstones and stops at {@code emptyRest}. */
  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    return (V) find(key, null);
  }

  /** Mirrors {@code mapaccess2}: the {@code ok} result. */
  @Override
  public boolean containsKey(Object key) {
    return find(key, MISSING) != MISSING;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V getOrDefault(Object key, V defaultValue) {
    return (V) find(key, defaultValue);
  }

  /**
   * The value mapped to {@code key}, or {@code absent} if there is none: the search of mapaccess1
   * and mapaccess2, which reads the old bucket instead while it is not evacuated.
   */
  private Object find(Object key, Object absent) {
    if (count == 0) {
      return absent;
    }
    Object k = key == null ? NULL_KEY : key;
    long hash = hash(k);
    long[] th = tophash;
    Object[] sl = slots;
    int[] ovf = overflow;
    int b = (int) hash & ((1 << B) - 1);
    Generation o = old;
    if (o != null) {
      int ob = (int) hash & oldMask();
      if (!evacuated(o.tophash, ob)) {
        th = o.tophash;
        sl = o.slots;
        ovf = o.overflow;
        b = ob;
      }
    }
    long pattern = LOW_BYTES * (topHash(hash) & 0xff);
    // The two commonest outcomes, decided by the first bucket alone: the key itself in the first
    // slot whose tophash matches, or no match before the chain's end. Everything else is the
    // full walk. Keeping this path free of loops makes the JIT compile it the same way whatever
    // the map's seed did to the branch profile.
    long word = th[b];
    long m = zeroBytes(word ^ pattern);
    if (m != 0) {
      int i = ((b << 3) + (Long.numberOfTrailingZeros(m) >>> 3)) << 1;
      if (sl[i] == k) {
        return sl[i + 1];
      }
    } else if (zeroBytes(word) != 0) {
      return absent;
    }
    return search(th, sl, ovf, b, pattern, k, absent);
  }

  /** The full search of mapaccess: the chain from bucket {@code b}, past tombstones. */
  private static Object search(
      long[] th, Object[] sl, int[] ovf, int b, long pattern, Object k, Object absent) {
    for (; ; ) {
      long word = th[b];
      for (long m = zeroBytes(word ^ pattern); m != 0; m &= m - 1) {
        int i = ((b << 3) + (Long.numberOfTrailingZeros(m) >>> 3)) << 1;
        Object kk = sl[i];
        if (kk == k || k.equals(kk)) {
          return sl[i + 1];
        }
      }
      if (zeroBytes(word) != 0 || (b = ovf[b]) == 0) {
        return absent;
      }
    }
  }

  /**
   * mapdelete's search: walks the chain that starts at bucket {@code b}, past tombstones, to the
   * key or to the first {@code emptyRest}, counting the slots it examines. Returns the key's slot
   * in the low half and that count in the high half, or, when the key is absent, {@code ~count}
   * (through the emptyRest that ended the walk, or every slot of the chain).
   */
  private static long locate(long[] th, Object[] sl, int[] ovf, int b, byte top, Object k) {
    long pattern = LOW_BYTES * (top & 0xff);
    for (long passed = 0; ; passed += BUCKET_SLOTS) {
      long word = th[b];
      for (long m = zeroBytes(word ^ pattern); m != 0; m &= m - 1) {
        int i = Long.numberOfTrailingZeros(m) >>> 3;
        int s = (b << 3) + i;
        Object kk = sl[s << 1];
        if (kk == k || k.equals(kk)) {
          return (passed + i + 1) << 32 | s;
        }
      }
      long rest = zeroBytes(word);
      if (rest != 0) {
        return ~(passed + (Long.numberOfTrailingZeros(rest) >>> 3) + 1);
      }
      b = ovf[b];
      if (b == 0) {
        return ~(passed + BUCKET_SLOTS);
      }
    }
  }

  @Override
  public boolean containsValue(Object value) {
    for (Iterator<V> it = new ValueIterator(); it.hasNext(); ) {
      if (Objects.equals(value, it.next())) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Writes: mapassign, mapdelete, mapclear.

  /** Mirrors {@code mapassign}; returns the previous value, or null if the key was new. */
  @Override
  public V put(K key, V value) {
    if (observeWrite()) {
      compactAsRequested();
    }
    return assign(key, value);
  }

  @SuppressWarnings("unchecked")
  private V assign(K key, V value) {
    if (writing) {
      throw concurrentWrites();
    }
    Object k = key == null ? NULL_KEY : key;
    long hash = hash(k);
    // Set after hashing, as Go does: a hashCode that throws has not started a write.
    writing = true;
    try {
      if (tophash == null) {
        allocateBuckets(B);
      }
      for (; ; ) {
        byte top = topHash(hash);
        long pattern = LOW_BYTES * (top & 0xff);
        int bucket = (int) hash & ((1 << B) - 1);
        if (old != null) {
          growWork(bucket);
        }
        long[] th = tophash;
        Object[] sl = slots;
        int[] ovf = overflow;
        int insertAt = -1;
        int b = bucket;
        for (; ; ) {
          long word = th[b];
          for (long m = zeroBytes(word ^ pattern); m != 0; m &= m - 1) {
            int i = ((b << 3) + (Long.numberOfTrailingZeros(m) >>> 3)) << 1;
            Object kk = sl[i];
            if (kk == k || k.equals(kk)) {
              Object previous = sl[i + 1];
              sl[i + 1] = value;
              return (V) previous;
            }
          }
          if (insertAt < 0) {
            // The first emptyOne or emptyRest slot passed: where Go's mapassign would insert.
            long empty = zeroBytes(word & ~LOW_BYTES);
            if (empty != 0) {
              insertAt = (b << 3) + (Long.numberOfTrailingZeros(empty) >>> 3);
            }
          }
          int next = ovf[b];
          if (zeroBytes(word) != 0 || next == 0) {
            break;
          }
          b = next;
        }
        // A new key: this is the only place where Go decides to grow, and then starts over.
        if (old == null && (overLoadFactor(count + 1, B) || tooManyOverflowBuckets())) {
          hashGrow();
          continue;
        }
        if (insertAt < 0) {
          if (k.getClass() == String.class
              && !hashStringContents
              && chainBuckets(ovf, bucket, b) >= FLOOD_CHAIN_BUCKETS) {
            hashStringContents();
            hash = hash(k);
            continue;
          }
          insertAt = newOverflow(b) << 3;
        } else if (topAt(th, insertAt) == EMPTY_ONE) {
          tombstones--;
          observeTombstoneReused();
        }
        setTop(tophash, insertAt, top);
        slots[insertAt << 1] = k;
        slots[(insertAt << 1) + 1] = value;
        count++;
        modCount++;
        return null;
      }
    } finally {
      endWrite();
    }
  }

  /** Mirrors {@code mapdelete}; returns the removed value, or null if the key was absent. */
  @Override
  @SuppressWarnings("unchecked")
  public V remove(Object key) {
    Object v = delete(key, false, null);
    return v == MISSING ? null : (V) v;
  }

  /**
   * {@code mapdelete} that removes the key only while it maps to {@code value}; a key mapped to
   * another value is left alone and counted as a delete that missed.
   */
  @Override
  public boolean remove(Object key, Object value) {
    return delete(key, true, value) != MISSING;
  }

  /**
   * Removes {@code key} (only while it maps to {@code value} if {@code onlyValue}) and returns its
   * value, or {@link #MISSING} when nothing was removed.
   */
  private Object delete(Object key, boolean onlyValue, Object value) {
    long start = observeDeleteStart();
    if (count == 0) {
      if (observeDelete(start, 0, false, 0)) {
        compactAsRequested();
      }
      return MISSING;
    }
    if (writing) {
      throw concurrentWrites();
    }
    Object k = key == null ? NULL_KEY : key;
    long hash = hash(k);
    writing = true;
    Object previous = MISSING;
    boolean compact;
    try {
      int bucket = (int) hash & ((1 << B) - 1);
      if (old != null) {
        growWork(bucket);
      }
      long found = locate(tophash, slots, overflow, bucket, topHash(hash), k);
      if (found < 0) {
        compact = observeDelete(start, (int) ~found, false, 0);
      } else if (onlyValue && !Objects.equals(slots[((int) found << 1) + 1], value)) {
        compact = observeDelete(start, (int) (found >>> 32), false, 0);
      } else {
        int s = (int) found;
        previous = slots[(s << 1) + 1];
        int collapsed = clearSlot(tophash, slots, overflow, bucket, s >>> 3, s & 7);
        compact = observeDelete(start, (int) (found >>> 32), true, collapsed);
      }
    } finally {
      endWrite();
    }
    if (compact) {
      compactAsRequested();
    }
    return previous;
  }

  /**
   * Deletes the entry in slot {@code i} of bucket {@code b}, whose chain starts at {@code bOrig}:
   * writes {@code emptyOne}, then turns a trailing run of {@code emptyOne} into {@code emptyRest}
   * as the end of {@code mapdelete} does. Returns how many tombstones the collapse removed.
   */
  private int clearSlot(long[] th, Object[] sl, int[] ovf, int bOrig, int b, int i) {
    int slot = (b << 3) + i;
    sl[slot << 1] = null;
    sl[(slot << 1) + 1] = null;
    setTop(th, slot, EMPTY_ONE);
    tombstones++;
    int collapsed = 0;
    boolean endsChain =
        i == BUCKET_SLOTS - 1
            ? ovf[b] == 0 || (byte) th[ovf[b]] == EMPTY_REST
            : topAt(th, slot + 1) == EMPTY_REST;
    if (endsChain) {
      for (; ; ) {
        setTop(th, (b << 3) + i, EMPTY_REST);
        collapsed++;
        if (i == 0) {
          if (b == bOrig) {
            break;
          }
          int c = b;
          for (b = bOrig; ovf[b] != c; b = ovf[b]) {}
          i = BUCKET_SLOTS - 1;
        } else {
          i--;
        }
        if (topAt(th, (b << 3) + i) != EMPTY_ONE) {
          break;
        }
      }
    }
    tombstones -= collapsed;
    count--;
    modCount++;
    if (count == 0) {
      reseed();
    }
    return collapsed;
  }

  /**
   * Mirrors {@code mapclear}: drops every entry and overflow bucket and any grow in progress, but
   * keeps B, so the map stays at its peak bucket count (Go's {@code clear} does not shrink).
   */
  @Override
  public void clear() {
    if (observeWrite()) {
      compactAsRequested();
    }
    if (count == 0) {
      return;
    }
    if (writing) {
      throw concurrentWrites();
    }
    writing = true;
    try {
      int dropped = tombstones;
      old = null;
      sameSizeGrow = false;
      nevacuate = 0;
      noverflow = 0;
      count = 0;
      tombstones = 0;
      modCount++;
      reseed();
      if (overflow.length == allocatedBuckets(B)) {
        // As makeBucketArray does for mapclear: the arrays are cleared and reused. Only the part
        // in use needs it: buckets are handed out in order, from 0 to nextFreeBucket.
        Arrays.fill(tophash, 0, nextFreeBucket, 0L);
        Arrays.fill(slots, 0, nextFreeBucket * 2 * BUCKET_SLOTS, null);
        Arrays.fill(overflow, 0, nextFreeBucket, 0);
        nextFreeBucket = 1 << B;
        overflowBuckets = 0;
      } else {
        // Grown for overflow buckets: Go drops those, so a fresh array of the usual size.
        allocateBuckets(B);
      }
      observeClear(dropped);
    } finally {
      endWrite();
    }
  }

  /**
   * Rebuilds the map at the smallest B that holds its size ({@code makemap}'s rule for a hint of
   * {@link #size()}), with no tombstones and no grow in progress. Go has no equivalent: a Go map
   * only ever gives memory back by being replaced.
   *
   * <p>The rebuild hashes every key again. If a key's {@code hashCode()} throws, or memory runs
   * out, that exception propagates and the map is left exactly as it was.
   */
  public void trim() {
    if (writing) {
      throw concurrentWrites();
    }
    writing = true;
    Layout before = layout();
    try {
      rebuild(before);
    } catch (Throwable failure) {
      restore(before);
      writing = false;
      throw failure;
    }
    modCount++;
    observeTrim(before.tombstones);
    endWrite();
  }

  /**
   * From now on hashes {@code String} keys by their chars, and rebuilds the map with that hash as
   * {@link #trim()} does (and reports it as a trim): an insert found a chain of {@link
   * #FLOOD_CHAIN_BUCKETS} buckets, which only keys whose {@code hashCode()} collide make, and Go,
   * which hashes a string's bytes with the map's seed, never sees. If memory runs out the map is
   * left as it was, hashing as before.
   */
  private void hashStringContents() {
    Layout before = layout();
    hashStringContents = true;
    try {
      rebuild(before);
    } catch (Throwable failure) {
      hashStringContents = false;
      restore(before);
      throw failure;
    }
    modCount++;
    observeTrim(before.tombstones);
  }

  /** Buckets in the chain from {@code first} to {@code last}, both included. */
  private static int chainBuckets(int[] ovf, int first, int last) {
    int n = 1;
    for (int b = first; b != last; b = ovf[b]) {
      n++;
    }
    return n;
  }

  /** Trim's rebuild of the map at the smallest B for its size, from the layout it had before. */
  private void rebuild(Layout before) {
    int b = smallestB(count);
    B = b;
    old = null;
    sameSizeGrow = false;
    nevacuate = 0;
    noverflow = 0;
    tombstones = 0;
    if (count == 0) {
      tophash = null;
      slots = null;
      overflow = null;
      nextFreeBucket = 0;
      overflowBuckets = 0;
    } else {
      allocateBuckets(b);
      if (before.old != null) {
        reinsertAll(before.old.tophash, before.old.slots);
      }
      reinsertAll(before.tophash, before.slots);
    }
  }

  /** Everything {@link #trim()} changes, kept so that a failed rebuild can be undone. */
  private record Layout(
      long[] tophash,
      Object[] slots,
      int[] overflow,
      int B,
      int nextFreeBucket,
      int overflowBuckets,
      Generation old,
      boolean sameSizeGrow,
      int nevacuate,
      int noverflow,
      int tombstones) {}

  private Layout layout() {
    return new Layout(
        tophash,
        slots,
        overflow,
        B,
        nextFreeBucket,
        overflowBuckets,
        old,
        sameSizeGrow,
        nevacuate,
        noverflow,
        tombstones);
  }

  private void restore(Layout l) {
    tophash = l.tophash;
    slots = l.slots;
    overflow = l.overflow;
    B = l.B;
    nextFreeBucket = l.nextFreeBucket;
    overflowBuckets = l.overflowBuckets;
    old = l.old;
    sameSizeGrow = l.sameSizeGrow;
    nevacuate = l.nevacuate;
    noverflow = l.noverflow;
    tombstones = l.tombstones;
  }

  /**
   * The trim a profiler asked for at the start or end of a write. It is not the caller's request,
   * so its failure is not the caller's either: the map stays as it was and the write goes on.
   */
  private void compactAsRequested() {
    if (writing) {
      return; // called back from inside one of this map's writes: the request waits for the next
    }
    try {
      trim();
    } catch (Throwable failure) {
      observeCompactionFailed(failure);
    }
  }

  /** Moves every live entry of an abandoned generation into the fresh current one. */
  private void reinsertAll(long[] th, Object[] sl) {
    for (int s = 0; s < th.length << 3; s++) {
      if ((topAt(th, s) & 0xff) >= MIN_TOP_HASH) {
        Object k = sl[s << 1];
        long hash = hash(k);
        int b = (int) hash & ((1 << B) - 1);
        // A fresh generation has no tombstones: the first emptyRest is the first free slot.
        long free;
        while ((free = zeroBytes(tophash[b])) == 0) {
          b = overflow[b] != 0 ? overflow[b] : newOverflow(b);
        }
        int dst = (b << 3) + (Long.numberOfTrailingZeros(free) >>> 3);
        setTop(tophash, dst, topHash(hash));
        slots[dst << 1] = k;
        slots[(dst << 1) + 1] = sl[(s << 1) + 1];
      }
    }
  }

  private void endWrite() {
    if (!writing) {
      throw concurrentWrites();
    }
    writing = false;
  }

  private static ConcurrentModificationException concurrentWrites() {
    return new ConcurrentModificationException("concurrent map writes");
  }

  // ---------------------------------------------------------------------------------------------
  // Growing: hashGrow, growWork, evacuate, advanceEvacuationMark.

  /** Go's {@code overLoadFactor}: more than 8 entries and more than 6.5 per bucket on average. */
  static boolean overLoadFactor(int count, int b) {
    return count > BUCKET_SLOTS && count > 13L * ((1L << b) / 2);
  }

  /** Go's {@code tooManyOverflowBuckets}: as many overflow buckets as 2^min(B,15). */
  private boolean tooManyOverflowBuckets() {
    return noverflow >= 1 << Math.min(B, 15);
  }

  /** Mirrors {@code hashGrow}: a doubling, or a same-size grow that only sheds tombstones. */
  private void hashGrow() {
    boolean sameSize = !overLoadFactor(count + 1, B) || B == MAX_B;
    int oldB = B;
    Generation previous = new Generation(oldB, tophash, slots, overflow, overflowBuckets);
    // The new arrays first: if memory runs out, nothing else has changed.
    allocateBuckets(sameSize ? oldB : oldB + 1);
    old = previous;
    sameSizeGrow = sameSize;
    if (!sameSize) {
      B++;
    }
    nevacuate = 0;
    noverflow = 0;
    grows++;
    if (sameSize) {
      sameSizeGrows++;
    }
    modCount++;
    observeGrowStart(oldB, sameSize);
  }

  /** Mirrors {@code growWork}: the old bucket this write needs, then the oldest one left. */
  private void growWork(int bucket) {
    evacuate(bucket & oldMask());
    if (old != null) {
      evacuate(nevacuate);
    }
  }

  /**
   * Mirrors {@code evacuate}: moves the entries of one old bucket and its overflow chain densely
   * into bucket X (same index) or, when doubling, Y (index + old bucket count); tombstones are not
   * copied.
   */
  private void evacuate(int oldBucket) {
    Generation o = old;
    long[] oth = o.tophash;
    if (!evacuated(oth, oldBucket)) {
      long start = observeEvacuateStart();
      Object[] osl = o.slots;
      int newBit = o.bucketCount();
      int xBucket = oldBucket;
      int xSlot = oldBucket << 3;
      int yBucket = oldBucket + newBit;
      int ySlot = yBucket << 3;
      // Copy first, and only then mark and clear the old chain: hashing runs the keys' hashCode()
      // and a new overflow bucket may need memory, so if either fails the old chain is untouched
      // and the copies are undone. Slot i of the chain's p-th bucket went to Y when bit 8p + i is
      // set: in one word for chains of up to 8 buckets, in an array beyond (pathological chains).
      int freeBefore = nextFreeBucket;
      int overflowBucketsBefore = overflowBuckets;
      int noverflowBefore = noverflow;
      long randomBefore = randomState;
      long near = 0;
      long[] far = null;
      int chainLength = 0;
      int moved = 0;
      try {
        for (int b = oldBucket, p = 0; b != 0 || p == 0; b = o.overflow[b], p++) {
          chainLength++;
          long word = oth[b];
          for (long m = liveSlots(word); m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m) >>> 3;
            int s = ((b << 3) + i) << 1;
            int dst;
            if (!sameSizeGrow && (hash(osl[s]) & newBit) != 0) {
              int bit = (p << 3) + i;
              if (bit < 64) {
                near |= 1L << bit;
              } else {
                if (far == null) {
                  far = new long[(chainLength(o, oldBucket) + 7) >>> 3];
                }
                far[bit >>> 6] |= 1L << bit;
              }
              if ((ySlot & 7) == 0 && ySlot != yBucket << 3) {
                yBucket = newOverflow(yBucket);
                ySlot = yBucket << 3;
              }
              dst = ySlot++;
            } else {
              if ((xSlot & 7) == 0 && xSlot != xBucket << 3) {
                xBucket = newOverflow(xBucket);
                xSlot = xBucket << 3;
              }
              dst = xSlot++;
            }
            setTop(tophash, dst, (byte) (word >>> (i << 3)));
            slots[dst << 1] = osl[s];
            slots[(dst << 1) + 1] = osl[s + 1];
            moved++;
          }
        }
      } catch (Throwable failure) {
        // The destination chains were empty and took their overflow buckets from nextFreeBucket.
        emptyChain(oldBucket);
        if (!sameSizeGrow) {
          emptyChain(oldBucket + newBit);
        }
        nextFreeBucket = freeBefore;
        overflowBuckets = overflowBucketsBefore;
        noverflow = noverflowBefore;
        randomState = randomBefore;
        throw failure;
      }
      int dropped = 0;
      for (int b = oldBucket, p = 0; b != 0 || p == 0; b = o.overflow[b], p++) {
        long word = oth[b];
        dropped += Long.bitCount(exactZeroBytes(word ^ LOW_BYTES * EMPTY_ONE));
        // Every slot becomes evacuatedEmpty, except the live ones: evacuatedX or evacuatedY.
        long marks = LOW_BYTES * EVACUATED_EMPTY;
        for (long m = liveSlots(word); m != 0; m &= m - 1) {
          int i = Long.numberOfTrailingZeros(m) >>> 3;
          int s = ((b << 3) + i) << 1;
          int bit = (p << 3) + i;
          boolean toY =
              bit < 64 ? (near >>> bit & 1) != 0 : far != null && (far[bit >>> 6] >>> bit & 1) != 0;
          marks ^= (long) ((toY ? EVACUATED_Y : EVACUATED_X) ^ EVACUATED_EMPTY) << (i << 3);
          osl[s] = null;
          osl[s + 1] = null;
        }
        oth[b] = marks;
      }
      // Unlink the chain: evacuated(oldBucket) now answers for all of it.
      o.overflow[oldBucket] = 0;
      o.overflowBuckets -= chainLength - 1;
      o.evacuated++;
      tombstones -= dropped;
      modCount++;
      observeEvacuate(start, moved, dropped);
    }
    if (oldBucket == nevacuate) {
      advanceEvacuationMark(o);
    }
  }

  /** Buckets in the chain of old bucket {@code b}, itself included. */
  private static int chainLength(Generation o, int b) {
    int n = 1;
    for (int c = o.overflow[b]; c != 0; c = o.overflow[c]) {
      n++;
    }
    return n;
  }

  /** Empties the chain that starts at bucket {@code b} and unlinks its overflow buckets. */
  private void emptyChain(int b) {
    for (int c = b; ; ) {
      tophash[c] = 0;
      Arrays.fill(slots, c << 4, (c + 1) << 4, null);
      int next = overflow[c];
      overflow[c] = 0;
      if (next == 0) {
        return;
      }
      c = next;
    }
  }

  /** Mirrors {@code advanceEvacuationMark}; drops the old generation when it is all moved. */
  private void advanceEvacuationMark(Generation o) {
    int newBit = o.bucketCount();
    nevacuate++;
    // Bounded, as in Go, so one write never scans the whole old array.
    int stop = Math.min(nevacuate + 1024, newBit);
    while (nevacuate != stop && evacuated(o.tophash, nevacuate)) {
      nevacuate++;
    }
    if (nevacuate == newBit) {
      boolean sameSize = sameSizeGrow;
      old = null;
      sameSizeGrow = false;
      observeGrowEnd(B, sameSize);
    }
  }

  private int oldMask() {
    return sameSizeGrow ? (1 << B) - 1 : (1 << (B - 1)) - 1;
  }

  private static boolean evacuated(long[] th, int bucket) {
    byte h = (byte) th[bucket];
    return h > EMPTY_ONE && h < MIN_TOP_HASH;
  }

  /**
   * Mirrors {@code newoverflow}: links a fresh overflow bucket after {@code last} and counts it in
   * {@code noverflow} ({@code incrnoverflow}: exactly below B = 16, then with probability
   * 1/2^(B-15), so the threshold stays 2^15 on average).
   */
  private int newOverflow(int last) {
    if (nextFreeBucket == overflow.length) {
      growOverflowArea();
    }
    int b = nextFreeBucket++;
    overflow[last] = b;
    overflowBuckets++;
    if (B < 16) {
      noverflow++;
    } else {
      int mask = (1 << (B - 15)) - 1;
      if ((nextRandom() & mask) == 0) {
        noverflow++;
      }
    }
    return b;
  }

  private void growOverflowArea() {
    int buckets = overflow.length;
    int extra = Math.max(4, buckets - (1 << B));
    long grown = (long) buckets + extra;
    if (grown * 2 * BUCKET_SLOTS > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("BucketHashMap cannot hold more overflow buckets");
    }
    int newBuckets = (int) grown;
    long[] th = Arrays.copyOf(tophash, newBuckets);
    Object[] sl = Arrays.copyOf(slots, newBuckets * 2 * BUCKET_SLOTS);
    int[] ovf = Arrays.copyOf(overflow, newBuckets);
    // Assigned only once all three exist: running out of memory leaves the map as it was.
    tophash = th;
    slots = sl;
    overflow = ovf;
  }

  /** Mirrors {@code makeBucketArray}: 2^B buckets, plus 2^(B-4) spare overflow buckets from B=4. */
  private void allocateBuckets(int b) {
    int buckets = allocatedBuckets(b);
    long[] th = new long[buckets];
    Object[] sl = new Object[buckets * 2 * BUCKET_SLOTS];
    int[] ovf = new int[buckets];
    // Assigned only once all three exist: running out of memory leaves the map as it was.
    tophash = th;
    slots = sl;
    overflow = ovf;
    nextFreeBucket = 1 << b;
    overflowBuckets = 0;
  }

  /** The smallest B that holds {@code size} entries without growing: makemap's rule for a hint. */
  private static int smallestB(int size) {
    int b = 0;
    while (overLoadFactor(size, b) && b < MAX_B) {
      b++;
    }
    return b;
  }

  /** Buckets a fresh array holds for 2^b main buckets: those and the spare overflow buckets. */
  private static int allocatedBuckets(int b) {
    return (1 << b) + (b >= 4 ? 1 << (b - 4) : 0);
  }

  // ---------------------------------------------------------------------------------------------
  // Hashing.

  /**
   * The key's hash with the seed mixed in so that every bit of the result depends on every bit of
   * the input, as with Go's seeded hash. One multiplication is not enough: sequential keys would
   * then spread so evenly that overflow buckets, and the same-size grows they cause, never appear.
   *
   * <p>The input is all 64 bits of a {@code Long} or {@code Double} key's value ({@code hashCode()}
   * folds them into 32, so keys {@code (x << 32) | x} would all hash alike), and {@code hashCode()}
   * for other keys: for {@code Integer}, {@code Short}, {@code Byte}, {@code Character}, {@code
   * Boolean} and {@code Float} it already differs between keys that are not equal, and the mix is a
   * bijection, so such keys share only the bits that pick a bucket, which the seed decides. {@code
   * String} keys are hashed by {@code hashCode()} too (cached in the string) until the map sees
   * them collide; from then on by their chars ({@link StringHash}).
   */
  private long hash(Object k) {
    // The common key classes are tested directly, as Go picks mapaccess1_fast64 or _faststr by key
    // type: their hash is then an inlined call even when the JIT compiled this map before it saw
    // the keys' class (it then keeps hashCode() a virtual call).
    Class<?> c = k.getClass();
    long bits;
    if (c == Long.class) {
      bits = (Long) k;
    } else if (c == Integer.class) {
      bits = (Integer) k;
    } else if (c == String.class) {
      if (hashStringContents) {
        return StringHash.hash((String) k, seed);
      }
      bits = ((String) k).hashCode();
    } else if (c == Double.class) {
      // As Double.equals compares: all NaNs alike, 0.0 and -0.0 apart.
      bits = Double.doubleToLongBits((Double) k);
    } else {
      bits = k.hashCode();
    }
    long x = (bits + seed) * MIX;
    x = (x ^ (x >>> 29)) * MIX;
    return x ^ (x >>> 32);
  }

  // Scanning a bucket: its tophash word is searched for all 8 bytes at once (a SWAR byte search),
  // which finds the same slots, in the same order, as Go's slot-by-slot loops. No slot after an
  // emptyRest holds an entry (that is what emptyRest means), so a match is always before the
  // bucket's first emptyRest and the search needs no mask for it. The search may also flag a slot
  // whose tophash is top ^ 1 just above a real match (a borrow); such a slot holds a key whose hash
  // differs from the one searched for (evacuated states never occur in a bucket being searched), so
  // comparing keys rejects it and no re-check of the byte is needed.

  /**
   * High bit set in every byte of {@code word} that is zero. The lowest set bit is always exact; a
   * higher one may be a false positive (a borrow), so callers use only the lowest or re-check.
   */
  private static long zeroBytes(long word) {
    return (word - LOW_BYTES) & ~word & HIGH_BITS;
  }

  /** High bit set in every byte of {@code word} that is zero, exactly (no borrow). */
  private static long exactZeroBytes(long word) {
    return ~(((word & ~HIGH_BITS) + ~HIGH_BITS) | word) & HIGH_BITS;
  }

  /**
   * High bit set in every byte of {@code word} that is at least {@code minTopHash}: a live slot.
   */
  private static long liveSlots(long word) {
    // Exact per byte: the low seven bits plus 123 carry into the high bit when they are at least
    // 5, and never out of the byte.
    return (((word & ~HIGH_BITS) + LOW_BYTES * (0x80 - MIN_TOP_HASH)) | word) & HIGH_BITS;
  }

  /** The tophash byte of slot {@code s}: byte {@code s % 8} of bucket {@code s / 8}'s word. */
  private static byte topAt(long[] th, int s) {
    return (byte) (th[s >>> 3] >>> ((s & 7) << 3));
  }

  private static void setTop(long[] th, int s, byte top) {
    int shift = (s & 7) << 3;
    th[s >>> 3] = th[s >>> 3] & ~(0xffL << shift) | (top & 0xffL) << shift;
  }

  /** Go's {@code tophash}: the top 8 bits, moved above the reserved slot states. */
  private static byte topHash(long hash) {
    int top = (int) (hash >>> 56);
    return (byte) (top < MIN_TOP_HASH ? top + MIN_TOP_HASH : top);
  }

  /** A new {@code hash0} when the map becomes empty, as {@code mapdelete} and mapclear do. */
  private void reseed() {
    seed = deterministic ? seed + SEED_GAMMA : ThreadLocalRandom.current().nextLong();
  }

  private int nextRandom() {
    long x = randomState += SEED_GAMMA;
    x = (x ^ (x >>> 33)) * MIX;
    return (int) (x >>> 32);
  }

  // ---------------------------------------------------------------------------------------------
  // Introspection.

  /**
   * A snapshot of the map's storage, computed in constant time.
   *
   * @param size entries
   * @param B log2 of the number of main buckets
   * @param buckets main buckets, {@code 2^B}
   * @param overflowBuckets overflow buckets linked into chains now, both generations
   * @param tombstones slots in the {@code emptyOne} state now, both generations
   * @param growing whether a grow is in progress (an old generation still holds entries)
   * @param evacuatedBuckets old buckets already evacuated by the grow in progress
   * @param grows grows since the map was created, same-size grows included
   * @param sameSizeGrows same-size grows (overflow-triggered) since the map was created
   * @param slots slots in both generations, {@code 8 × (buckets + overflowBuckets)} summed
   * @param estimatedBytes bytes held by the map's own objects and arrays (not by its keys and
   *     values), assuming 4-byte references below a 32 GiB heap and 8-byte ones above
   * @param trimmedBytes what {@code estimatedBytes} would be right after {@link #trim()}: the
   *     arrays a fresh map allocates for this many entries (more only when the keys then need more
   *     overflow buckets than the spare ones, which hashing decides)
   */
  public record Stats(
      int size,
      int B,
      int buckets,
      int overflowBuckets,
      int tombstones,
      boolean growing,
      int evacuatedBuckets,
      long grows,
      long sameSizeGrows,
      long slots,
      long estimatedBytes,
      long trimmedBytes) {

    /** Tombstones as a fraction of slots, 0 when the map has no slots. */
    public double tombstoneRatio() {
      return slots == 0 ? 0 : (double) tombstones / slots;
    }

    /**
     * Bytes that {@link #trim()} would give back now: peak-sized arrays, tombstones and overflow
     * buckets, {@code estimatedBytes - trimmedBytes}.
     */
    public long reclaimableBytes() {
      return Math.max(0, estimatedBytes - trimmedBytes);
    }
  }

  /** A snapshot of the map's storage; see {@link Stats}. Allocates only the record. */
  public Stats stats() {
    int mainBuckets = tophash == null ? 0 : 1 << B;
    long slotCount = (long) BUCKET_SLOTS * (mainBuckets + overflowBuckets);
    long bytes = MAP_OBJECT_BYTES + arrayBytes(tophash, slots, overflow);
    int overflowTotal = overflowBuckets;
    Generation o = old;
    if (o != null) {
      slotCount += (long) BUCKET_SLOTS * (o.bucketCount() + o.overflowBuckets);
      bytes += GENERATION_OBJECT_BYTES + arrayBytes(o.tophash, o.slots, o.overflow);
      overflowTotal += o.overflowBuckets;
    }
    return new Stats(
        count,
        B,
        mainBuckets,
        overflowTotal,
        tombstones,
        o != null,
        o == null ? 0 : o.evacuated,
        grows,
        sameSizeGrows,
        slotCount,
        bytes,
        trimmedBytes(count));
  }

  /**
   * The {@code estimatedBytes} of a map of {@code size} entries just rebuilt by {@link #trim()}.
   */
  private static long trimmedBytes(int size) {
    if (size == 0) {
      return MAP_OBJECT_BYTES;
    }
    int buckets = allocatedBuckets(smallestB(size));
    return MAP_OBJECT_BYTES + arrayBytes(buckets, buckets * 2L * BUCKET_SLOTS, buckets);
  }

  private static long arrayBytes(long[] th, Object[] sl, int[] ovf) {
    return th == null ? 0 : arrayBytes(th.length, sl.length, ovf.length);
  }

  /** Bytes of one generation's three arrays, given their lengths. */
  private static long arrayBytes(long tophashWords, long slotReferences, long overflowLinks) {
    return 3L * ARRAY_HEADER_BYTES
        + 8L * tophashWords
        + align(REFERENCE_BYTES * slotReferences)
        + align(4L * overflowLinks);
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** Counts {@code emptyOne} slots by scanning: the slow truth {@link Stats#tombstones} tracks. */
  int scanTombstones() {
    int n = 0;
    if (tophash != null) {
      n += countState(tophash, EMPTY_ONE);
    }
    if (old != null) {
      n += countState(old.tophash, EMPTY_ONE);
    }
    return n;
  }

  /** Buckets in the chain of bucket {@code b} in the current generation (for tests). */
  int chainLength(int b) {
    return tophash == null ? 0 : chainBuckets(overflow, b, lastInChain(b));
  }

  private int lastInChain(int b) {
    while (overflow[b] != 0) {
      b = overflow[b];
    }
    return b;
  }

  /** Whether String keys are hashed by their chars now (for tests). */
  boolean hashesStringContents() {
    return hashStringContents;
  }

  /** The tophash byte of every slot of bucket {@code b} in the current generation (for tests). */
  byte[] slotStates(int b) {
    byte[] states = new byte[BUCKET_SLOTS];
    for (int i = 0; i < BUCKET_SLOTS; i++) {
      states[i] = topAt(tophash, (b << 3) + i);
    }
    return states;
  }

  /** The next bucket in {@code b}'s chain in the current generation, or 0 (for tests). */
  int overflowOf(int b) {
    return overflow[b];
  }

  /** Go's {@code noverflow} (for tests). */
  int noverflow() {
    return noverflow;
  }

  private static int countState(long[] th, byte state) {
    int n = 0;
    for (int s = 0; s < th.length << 3; s++) {
      if (topAt(th, s) == state) {
        n++;
      }
    }
    return n;
  }

  /** The old buckets of a grow in progress (Go's {@code oldbuckets} and old overflow chains). */
  private static final class Generation {
    final long[] tophash;
    final Object[] slots;
    final int[] overflow;
    final int bucketCount;
    int overflowBuckets;
    int evacuated;

    Generation(int b, long[] tophash, Object[] slots, int[] overflow, int overflowBuckets) {
      this.bucketCount = 1 << b;
      this.tophash = tophash;
      this.slots = slots;
      this.overflow = overflow;
      this.overflowBuckets = overflowBuckets;
    }

    int bucketCount() {
      return bucketCount;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Views and iteration: mapiterinit/mapiternext.

  @Override
  public Set<K> keySet() {
    Set<K> ks = keySet;
    if (ks == null) {
      ks =
          new AbstractSet<>() {
            @Override
            public Iterator<K> iterator() {
              return new KeyIterator();
            }

            @Override
            public int size() {
              return count;
            }

            @Override
            public boolean contains(Object o) {
              return containsKey(o);
            }

            @Override
            public boolean remove(Object o) {
              int before = count;
              BucketHashMap.this.remove(o);
              return count != before;
            }

            @Override
            public void clear() {
              BucketHashMap.this.clear();
            }
          };
      keySet = ks;
    }
    return ks;
  }

  @Override
  public Collection<V> values() {
    Collection<V> vs = values;
    if (vs == null) {
      vs =
          new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
              return new ValueIterator();
            }

            @Override
            public int size() {
              return count;
            }

            @Override
            public boolean contains(Object o) {
              return containsValue(o);
            }

            @Override
            public void clear() {
              BucketHashMap.this.clear();
            }
          };
      values = vs;
    }
    return vs;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    Set<Map.Entry<K, V>> es = entrySet;
    if (es == null) {
      es =
          new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
              return new EntryIterator();
            }

            @Override
            public int size() {
              return count;
            }

            @Override
            public boolean contains(Object o) {
              if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
              }
              Object v = find(e.getKey(), MISSING);
              return v != MISSING && Objects.equals(v, e.getValue());
            }

            @Override
            public boolean remove(Object o) {
              if (!(o instanceof Map.Entry<?, ?> e)) {
                return false;
              }
              return BucketHashMap.this.remove(e.getKey(), e.getValue());
            }

            @Override
            public void clear() {
              BucketHashMap.this.clear();
            }
          };
      entrySet = es;
    }
    return es;
  }

  /**
   * Walks the current generation bucket by bucket from bucket 0, as {@code mapiternext} does. While
   * a grow is in progress, a bucket whose old bucket is not evacuated yet is read from the old
   * bucket instead, keeping only the entries that belong to this new bucket.
   *
   * <p>{@link #remove()} deletes in place without evacuating (unlike a delete through the map), so
   * the walk stays valid; every other write may move entries and makes the iterator fail.
   */
  private abstract class BucketIterator<T> implements Iterator<T> {
    private int expectedModCount = modCount;
    private final int mainBuckets = tophash == null ? 0 : 1 << B;
    private int nextMainBucket;
    // The chain being walked: its arrays (either generation), its first bucket, the current
    // bucket (-1 before the first chain) and the live slots of that bucket not visited yet, as
    // the high bit of each one's tophash byte.
    private long[] th;
    private Object[] sl;
    private int[] ovf;
    private int chainStart;
    private int bucket = -1;
    private long pending;
    private int filterBucket = -1;
    private int found = -1;
    // Where the last returned entry lives, for remove() and Entry.setValue().
    int lastSlot = -1;
    private int lastChainStart;
    private long[] lastTh;
    private Object[] lastSl;
    private int[] lastOvf;
    private int lastProbe;
    private int chainPosition;
    private int foundProbe;

    @Override
    public boolean hasNext() {
      if (found >= 0) {
        return true;
      }
      found = advance();
      return found >= 0;
    }

    private int advance() {
      for (; ; ) {
        while (pending != 0) {
          int i = Long.numberOfTrailingZeros(pending) >>> 3;
          pending &= pending - 1;
          int s = (bucket << 3) + i;
          if (filterBucket < 0 || ((int) hash(sl[s << 1]) & (mainBuckets - 1)) == filterBucket) {
            foundProbe = chainPosition * BUCKET_SLOTS + i + 1;
            return s;
          }
        }
        int next = bucket < 0 ? 0 : ovf[bucket];
        if (next != 0) {
          bucket = next;
          chainPosition++;
        } else if (nextMainBucket < mainBuckets) {
          startChain(nextMainBucket++);
        } else {
          return -1;
        }
        pending = liveSlots(th[bucket]);
      }
    }

    private void startChain(int newBucket) {
      Generation o = old;
      if (o != null) {
        int ob = newBucket & oldMask();
        if (!evacuated(o.tophash, ob)) {
          th = o.tophash;
          sl = o.slots;
          ovf = o.overflow;
          chainStart = ob;
          filterBucket = sameSizeGrow ? -1 : newBucket;
          bucket = ob;
          chainPosition = 0;
          return;
        }
      }
      th = tophash;
      sl = slots;
      ovf = overflow;
      chainStart = newBucket;
      filterBucket = -1;
      bucket = newBucket;
      chainPosition = 0;
    }

    final int nextSlot() {
      checkForComodification();
      // A loop that asks hasNext() first never takes this branch, so the JIT can leave the walk
      // out of next() and inline it into the loop (and then drop the entry object it returns).
      if (found < 0 && (found = advance()) < 0) {
        throw new NoSuchElementException();
      }
      lastSlot = found;
      found = -1;
      lastChainStart = chainStart;
      lastTh = th;
      lastSl = sl;
      lastOvf = ovf;
      lastProbe = foundProbe;
      return lastSlot;
    }

    final K keyAt(int s) {
      return unmaskNull(lastSl[s << 1]);
    }

    @SuppressWarnings("unchecked")
    final V valueAt(int s) {
      return (V) lastSl[(s << 1) + 1];
    }

    final Object[] lastSlots() {
      return lastSl;
    }

    @Override
    public void remove() {
      if (lastSlot < 0) {
        throw new IllegalStateException();
      }
      checkForComodification();
      if (writing) {
        throw concurrentWrites();
      }
      long start = observeDeleteStart();
      writing = true;
      try {
        int collapsed =
            clearSlot(lastTh, lastSl, lastOvf, lastChainStart, lastSlot >> 3, lastSlot & 7);
        // A trim now would invalidate this iteration: a requested one waits for the next write.
        observeDelete(start, lastProbe, true, collapsed);
      } finally {
        endWrite();
      }
      lastSlot = -1;
      expectedModCount = modCount;
      // The collapse may have turned the slot after the removed one into emptyRest; nothing
      // after the cursor moves, so the walk continues where it was.
    }

    private void checkForComodification() {
      if (modCount != expectedModCount) {
        throw new ConcurrentModificationException();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <K> K unmaskNull(Object k) {
    return k == NULL_KEY ? null : (K) k;
  }

  private final class KeyIterator extends BucketIterator<K> {
    @Override
    public K next() {
      return keyAt(nextSlot());
    }
  }

  private final class ValueIterator extends BucketIterator<V> {
    @Override
    public V next() {
      return valueAt(nextSlot());
    }
  }

  private final class EntryIterator extends BucketIterator<Map.Entry<K, V>> {
    @Override
    public Map.Entry<K, V> next() {
      int s = nextSlot();
      return new IteratorEntry(lastSlots(), s, keyAt(s), valueAt(s));
    }
  }

  /**
   * An entry returned by iteration; {@link #setValue} writes through to the map: in place while
   * nothing has moved since the entry was returned, else by key if the key is still there.
   */
  private final class IteratorEntry extends SimpleEntry<K, V> {
    private static final long serialVersionUID = 1L;
    private final transient Object[] slots;
    private final int slot;
    private final int entryModCount;

    IteratorEntry(Object[] slots, int slot, K key, V value) {
      super(key, value);
      this.slots = slots;
      this.slot = slot;
      this.entryModCount = modCount;
    }

    @Override
    public V setValue(V value) {
      V previous = super.setValue(value);
      if (entryModCount == modCount) {
        slots[(slot << 1) + 1] = value;
      } else if (containsKey(getKey())) {
        assign(getKey(), value);
      }
      return previous;
    }
  }
}
