package io.tombscope.map;

/**
 * A seeded 64-bit hash of a {@code String}'s chars, for maps whose keys collide under {@link
 * String#hashCode()}: Go hashes a string key's bytes with the map's {@code hash0} (aeshash, or
 * memhash without AES), where Java's {@code hashCode()} is unseeded and easy to collide ("Aa" and
 * "BB" share one, so do all 2<sup>n</sup> strings of n such blocks).
 *
 * <p>The rounds are wyhash's: each folds a 128-bit product of two 64-bit words (8 chars) into the
 * state. The words are xored with the seed and the state before multiplying, so an input that
 * zeroes a product, or two inputs that collide whatever the seed, cannot be chosen without knowing
 * the seed. Equal strings hash alike for one seed; the length is hashed too, so trailing {@code
 * '\0'} chars count.
 */
final class StringHash {
  // wyhash's default secret (wyhash.h, _wyp).
  private static final long P0 = 0xa0761d6478bd642fL;
  private static final long P1 = 0xe7037ed1a0b428dbL;
  private static final long P2 = 0x8ebc6af09c88c6e3L;
  private static final long P3 = 0x589965cc75374cc3L;

  private StringHash() {}

  static long hash(String s, long seed) {
    int n = s.length();
    long key = seed ^ P1;
    long h = seed ^ P0;
    int i = 0;
    for (; n - i >= 8; i += 8) {
      h = mum(chars4(s, i) ^ key, chars4(s, i + 4) ^ h);
    }
    // The last 0 to 7 chars, zero-padded; a string without them still takes this round.
    long a = 0;
    long b = 0;
    for (int shift = 0; i < n; i++, shift += 16) {
      if (shift < 64) {
        a |= (long) s.charAt(i) << shift;
      } else {
        b |= (long) s.charAt(i) << (shift - 64);
      }
    }
    h = mum(a ^ key, b ^ h);
    return mum(h ^ P2, n ^ P3);
  }

  /** Chars {@code i..i+3} as one word, the first in the low 16 bits. */
  private static long chars4(String s, int i) {
    return s.charAt(i)
        | (long) s.charAt(i + 1) << 16
        | (long) s.charAt(i + 2) << 32
        | (long) s.charAt(i + 3) << 48;
  }

  /** wyhash's {@code _wymix}: the two halves of the 128-bit product {@code a × b}, xored. */
  private static long mum(long a, long b) {
    // Signed high half (Math.unsignedMultiplyHigh is Java 18): a different function of a and b,
    // mixing as well.
    return a * b ^ Math.multiplyHigh(a, b);
  }
}
