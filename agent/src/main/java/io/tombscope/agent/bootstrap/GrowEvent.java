package io.tombscope.agent.bootstrap;

/** One finished grow or resize, queued by the map's thread for the flusher. */
public record GrowEvent(
    long endEpochMs,
    int site,
    String cause,
    int fromB,
    int toB,
    long durationNanos,
    long evacuatedBuckets,
    long entriesMoved,
    long tombstonesReclaimed,
    int helpers) {
  /** A doubling of a BucketHashMap. */
  public static final String LOAD = "load";

  /** A same-size grow of a BucketHashMap. */
  public static final String OVERFLOW = "overflow";

  /** A resize of a JDK map's table. */
  public static final String RESIZE = "resize";
}
