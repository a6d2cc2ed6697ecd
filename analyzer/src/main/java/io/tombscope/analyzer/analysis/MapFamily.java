package io.tombscope.analyzer.analysis;

import java.util.Locale;

/**
 * The kind of map a site holds ({@code family} in {@code sites.jsonl}), and what its waste looks
 * like: tombstones ({@code BucketHashMap}), a table kept at its peak length, or stale entries whose
 * keys were collected. A family this analyzer does not know is {@link #OTHER}: it gets the rules
 * every family gets, none of the specific ones.
 */
public enum MapFamily {
  BUCKET(
      "bucket",
      "BucketHashMap",
      "BucketHashMap (Go's map): every delete leaves a tombstone; only a grow or trim() drops"
          + " them, and the map never shrinks on its own."),
  HASHMAP(
      "hashmap",
      "HashMap",
      "HashMap and LinkedHashMap unlink a deleted entry at once, but keep their table at its peak"
          + " length: only a copy shrinks it."),
  CONCURRENT(
      "concurrent",
      "ConcurrentHashMap",
      "ConcurrentHashMap unlinks deleted entries but never shrinks its table; threads that write"
          + " during a resize help move its bins."),
  WEAK(
      "weak",
      "WeakHashMap",
      "WeakHashMap keeps entries whose keys were collected (stale entries), and their values, until"
          + " its next use expunges them; its table never shrinks."),
  THREADLOCAL(
      "threadlocal",
      "ThreadLocal map",
      "A thread's ThreadLocal map keeps the entries of collected ThreadLocals (stale entries), and"
          + " their values, until a later set, get or remove in that thread happens to expunge"
          + " them."),
  IDENTITY(
      "identity",
      "IdentityHashMap",
      "IdentityHashMap closes the gap on delete (no tombstones); only its peak capacity is kept."),
  TROVE(
      "trove",
      "Trove map",
      "Trove 3's THash maps and sets mark a removed slot REMOVED (a tombstone) until a rehash:"
          + " auto-compaction after size × autoCompactionFactor removes, a same-capacity rehash"
          + " when no free slot is left, or compact()."),
  ECLIPSE(
      "eclipse",
      "Eclipse Collections map",
      "Eclipse Collections' primitive maps and sets (LongObjectHashMap, ObjectLongHashMap,"
          + " IntIntHashMap, LongHashSet …) write REMOVED_KEY into a removed slot (a sentinel) until a rehash: once data and"
          + " sentinels pass half the capacity the table is rebuilt, halved, kept or doubled, and"
          + " trimToSize() rebuilds it on request; it never shrinks otherwise. The maps with"
          + " boolean values (IntBooleanHashMap …) do the same, their values in a BitSet."
          + " UnifiedMap and UnifiedSet chain colliding entries inside the table: no sentinels,"
          + " but only trimToSize() ever makes the table smaller (slack)."),
  JCTOOLS(
      "jctools",
      "JCTools map",
      "JCTools' NonBlockingHashMap, NonBlockingHashMapLong and NonBlockingIdentityHashMap keep a"
          + " removed key in its slot,"
          + " strongly referenced, with a TOMBSTONE value (a dead key) until a resize copies the"
          + " live entries; the table never shrinks. The map is concurrent: its dead keys and size"
          + " are estimates read from its striped counters."),
  FASTUTIL(
      "fastutil",
      "fastutil map",
      "fastutil's open hash maps and sets delete by shifting the entries that follow back (no tombstones),"
          + " but halve their table when removes leave it under a quarter of its fill limit, down"
          + " to the size they were constructed with, and double it again on the puts that"
          + " follow; clear() keeps the table, and only trim() shrinks it on request."),
  OTHER("other", "map", "A map family this version of Tombscope does not know.");

  /** The {@code family} value in {@code sites.jsonl}. */
  public final String key;

  /** The class people know the family by, for titles. */
  public final String className;

  /** One line on how the family keeps memory after deletes, for the report. */
  public final String explanation;

  MapFamily(String key, String className, String explanation) {
    this.key = key;
    this.className = className;
    this.explanation = explanation;
  }

  /** The family of a {@code family} value; {@link #OTHER} for one this analyzer does not know. */
  public static MapFamily of(String key) {
    for (MapFamily f : values()) {
      if (f != OTHER && f.key.equals(key.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return OTHER;
  }

  /** The table stays at its peak length after deletes, and {@code deadSlots} measures it. */
  public boolean keepsPeakCapacity() {
    return this == HASHMAP || this == CONCURRENT || this == IDENTITY;
  }

  /**
   * Deletes leave tombstones that the gauge counts ({@code tombstones}), and {@code trimmedBytes}
   * says what compacting would leave: {@code BucketHashMap} and the third-party maps that mark
   * deleted slots.
   */
  public boolean hasTombstones() {
    return this == BUCKET || this == TROVE || this == ECLIPSE || this == JCTOOLS;
  }

  /**
   * The gauge's {@code trimmedBytes} says what the library's own cleanup would leave ({@code
   * trim()}, {@code compact()}), so the difference from {@code estimatedBytes} is reclaimable.
   */
  public boolean reportsTrimmedBytes() {
    return hasTombstones() || this == FASTUTIL;
  }

  /** The gauge's {@code tombstones} are stale entries (collected keys), not tombstones. */
  public boolean hasStaleEntries() {
    return this == WEAK || this == THREADLOCAL;
  }

  /**
   * Slots of the table a map of this family gets by default ({@code new HashMap<>()} at its first
   * put, {@code new IdentityHashMap<>()}'s 32 pairs): a map whose table never grew past it keeps no
   * capacity a copy would give back worth naming.
   */
  public long defaultSlots() {
    return switch (this) {
      case HASHMAP, CONCURRENT, WEAK -> 16;
      case IDENTITY -> 32;
      default -> 0;
    };
  }

  /**
   * References one table slot holds: {@code IdentityHashMap} keeps key and value side by side in
   * its array, the others one reference to a node (4 bytes each with compressed references).
   */
  public int referencesPerSlot() {
    return this == IDENTITY ? 2 : 1;
  }
}
