package io.tombscope.analyzer.analysis;

/**
 * Bytes that a freshly built {@code BucketHashMap} of a given size holds in its own arrays,
 * following the map's own rules ({@code makemap}'s smallest B, 2^(B-4) spare overflow buckets from
 * B = 4, 4-byte references) and its {@code estimatedBytes} accounting, so that "estimated bytes now
 * minus fresh bytes" is what {@code trim()} would give back.
 */
public final class MapFootprint {
  private static final long MAP_OBJECT = 120;
  private static final long ARRAY_HEADERS = 3 * 16;

  private MapFootprint() {}

  public static long freshBytes(long size) {
    if (size <= 0) {
      return MAP_OBJECT;
    }
    int b = 0;
    while (size > 8 && size > 13L * ((1L << b) / 2) && b < 26) {
      b++;
    }
    long buckets = (1L << b) + (b >= 4 ? 1L << (b - 4) : 0);
    // One tophash word per bucket, a key and a value reference per slot, one overflow link.
    return MAP_OBJECT + ARRAY_HEADERS + 8 * buckets + align(4 * 16 * buckets) + align(4 * buckets);
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }
}
