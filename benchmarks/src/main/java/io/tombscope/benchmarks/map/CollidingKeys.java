package io.tombscope.benchmarks.map;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.map.BucketHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Keys whose {@code hashCode()} collide, as a hash-flooding attacker sends them, inserted into and
 * then looked up in {@code BucketHashMap} and {@code HashMap} side by side: the two maps alternate
 * within every round, so the machine's drift hits both alike. Prints the median time of each and
 * the ratio {@code BucketHashMap / HashMap} (target: at most {@value #TARGET_RATIO} for the
 * colliding keys).
 *
 * <p>Ordinary strings are printed beside them without a target, twice: in a new map, which hashes
 * strings by their cached {@code hashCode()}, and in a map that hashes them by their chars (what
 * hashing every string that way would cost). Each round builds its keys anew, so a string's hash
 * code is computed once per map, as for keys that arrive from outside; "lookup" uses fresh equal
 * copies of the keys, "again" the same copies once more.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.map.CollidingKeys</pre>
 *
 * <p>Arguments, optional: {@code [KEYS [ROUNDS]]}, default 100,000 keys and 9 rounds, after 2 that
 * are not counted.
 */
public final class CollidingKeys {
  static final double TARGET_RATIO = 5.0;
  private static final String[] OPS = {"insert", "lookup", "again"};
  private static final int WARMUP_ROUNDS = 2;

  private CollidingKeys() {}

  /**
   * A set of keys: how to make key {@code i} anew, whether the target applies, and the {@code
   * BucketHashMap} to fill.
   */
  record KeySet(
      String name, IntFunction<Object> key, boolean colliding, Supplier<Map<Object, Object>> map) {}

  public static void main(String[] args) {
    int keys;
    int rounds;
    try {
      keys = args.length > 0 ? Arguments.positiveInt(args[0], "key count") : 100_000;
      rounds = args.length > 1 ? Arguments.positiveInt(args[1], "round count") : 9;
    } catch (IllegalArgumentException e) {
      System.err.println("CollidingKeys: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Enough "Aa"/"BB" blocks for that many distinct strings.
    int blocks = Math.max(1, 32 - Integer.numberOfLeadingZeros(keys - 1));
    List<KeySet> sets =
        List.of(
            new KeySet(
                "String, one hashCode",
                i -> Keys.collidingString(i, blocks),
                true,
                BucketHashMap::new),
            new KeySet("Long, hashCode 0", Keys::collidingLong, true, BucketHashMap::new),
            new KeySet("String, ordinary", Keys::ordinaryString, false, BucketHashMap::new),
            new KeySet(
                "String, ordinary (c)", Keys::ordinaryString, false, CollidingKeys::hashingChars));
    System.out.printf(
        Locale.ROOT,
        "%d keys, median of %d rounds (BucketHashMap and HashMap alternated in each)%n",
        keys,
        rounds);
    System.out.printf(
        Locale.ROOT,
        "%-22s %-7s %18s %12s %8s %s%n",
        "keys",
        "op",
        "BucketHashMap ms",
        "HashMap ms",
        "ratio",
        "target");
    boolean missed = false;
    for (KeySet set : sets) {
      double[][] bucket = new double[OPS.length][rounds];
      double[][] hash = new double[OPS.length][rounds];
      IntFunction<Object> key = set.key();
      for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
        // Alternate which map goes first, so neither always runs on a warmer machine.
        boolean bucketFirst = (r & 1) == 0;
        double[] first = run(bucketFirst ? set.map().get() : new HashMap<>(), key, keys);
        double[] second = run(bucketFirst ? new HashMap<>() : set.map().get(), key, keys);
        if (r >= 0) {
          double[] b = bucketFirst ? first : second;
          double[] h = bucketFirst ? second : first;
          for (int op = 0; op < OPS.length; op++) {
            bucket[op][r] = b[op];
            hash[op][r] = h[op];
          }
        }
      }
      for (int op = 0; op < OPS.length; op++) {
        double b = median(bucket[op]);
        double h = median(hash[op]);
        double ratio = b / h;
        String verdict = "-";
        if (set.colliding()) {
          boolean met = ratio <= TARGET_RATIO;
          missed |= !met;
          verdict = String.format(Locale.ROOT, "<= %.2f: %s", TARGET_RATIO, met ? "met" : "MISSED");
        }
        System.out.printf(
            Locale.ROOT,
            "%-22s %-7s %18.1f %12.1f %8.2f %s%n",
            set.name(),
            OPS[op],
            b,
            h,
            ratio,
            verdict);
      }
    }
    System.out.println(
        "(c): the map was flooded once before the round, so it hashes every string by its chars,"
            + " as it would if it always did");
    if (missed) {
      System.out.println("target MISSED");
    }
  }

  /**
   * Inserts {@code n} keys made by {@code key} into {@code map}, then looks up an equal copy of
   * each, then those copies again (their hash codes now cached). Returns the milliseconds of each.
   */
  static double[] run(Map<Object, Object> map, IntFunction<Object> key, int n) {
    Object[] inserts = new Object[n];
    Object[] lookups = new Object[n];
    for (int i = 0; i < n; i++) {
      inserts[i] = key.apply(i);
      lookups[(int) ((i * 0x9E3779B1L) % n)] = key.apply(i);
    }
    if (Arrays.asList(lookups).contains(null)) {
      throw new IllegalStateException("the lookup order is not a permutation of " + n);
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      map.put(inserts[i], inserts[i]);
    }
    long inserted = System.nanoTime();
    int found = 0;
    for (Object k : lookups) {
      if (map.get(k) != null) {
        found++;
      }
    }
    long looked = System.nanoTime();
    for (Object k : lookups) {
      if (map.get(k) != null) {
        found++;
      }
    }
    long lookedAgain = System.nanoTime();
    if (found != 2 * n || map.size() != n) {
      throw new IllegalStateException(
          map.getClass().getSimpleName() + ": found " + found + " of " + 2 * n + " keys");
    }
    return new double[] {
      (inserted - start) / 1e6, (looked - inserted) / 1e6, (lookedAgain - looked) / 1e6
    };
  }

  /**
   * An empty {@code BucketHashMap} that hashes strings by their chars: strings with one hash code
   * made it switch, and {@code clear()} keeps the switch.
   */
  static Map<Object, Object> hashingChars() {
    Map<Object, Object> map = new BucketHashMap<>();
    for (int i = 0; i < 256; i++) {
      map.put(Keys.collidingString(i, 8), i);
    }
    map.clear();
    return map;
  }

  private static double median(double[] values) {
    List<Double> sorted = new ArrayList<>();
    for (double v : values) {
      sorted.add(v);
    }
    sorted.sort(null);
    int m = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
  }
}
