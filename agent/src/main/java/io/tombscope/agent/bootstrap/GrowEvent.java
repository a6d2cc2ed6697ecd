package io.tombscope.agent.bootstrap;

/** One finished grow, queued by the map's thread for the flusher. */
public record GrowEvent(
    long endEpochNanos,
    int site,
    boolean sameSize,
    int fromB,
    int toB,
    long durationNanos,
    long evacuatedBuckets,
    long entriesMoved,
    long tombstonesReclaimed) {}
