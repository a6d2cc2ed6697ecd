package io.tombscope.agent.release;

/**
 * What a freshly built {@code BucketHashMap} of a given size holds in its own arrays: the smallest
 * B for the size ({@code makemap}'s rule), 2^(B-4) spare overflow buckets from B = 4, 4-byte
 * references. Mirrors the map's {@code estimatedBytes}, so the two subtract cleanly.
 */
final class FreshMapBytes {
  private static final long MAP_OBJECT = 120;
  private static final long ARRAY_HEADER = 16;

  private FreshMapBytes() {}

  static long of(long size) {
    if (size == 0) {
      return MAP_OBJECT;
    }
    int b = 0;
    while (size > 8 && size > 13L * ((1L << b) / 2) && b < 26) {
      b++;
    }
    long buckets = (1L << b) + (b >= 4 ? 1L << (b - 4) : 0);
    // One tophash word per bucket, a key and a value reference per slot, one overflow link.
    return MAP_OBJECT
        + 3 * ARRAY_HEADER
        + 8 * buckets
        + align(4 * 16 * buckets)
        + align(4 * buckets);
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
