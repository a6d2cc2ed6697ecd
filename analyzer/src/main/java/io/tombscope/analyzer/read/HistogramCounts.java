package io.tombscope.analyzer.read;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;

/**
 * Sums of histograms kept as HdrHistogram's own counts by index, for histograms of the layout the
 * agent writes (lowest trackable value 1, 2 significant digits): a histogram of that layout is
 * added index by index as its encoding is read, without a value computed or a {@link Histogram}
 * made per histogram. A histogram of another layout is added to a {@link Histogram} beside the
 * counts ({@link SparseHistogram#addTo}), so every histogram adds exactly as {@link Histogram#add}
 * would.
 *
 * <p>{@link Decoder} decodes one line's histogram into reused arrays, with {@link
 * HistogramDecoder}'s checks; {@link Sum} holds a sum. Neither is thread-safe.
 */
final class HistogramCounts {
  /** The layout of every sum: {@code new Histogram(2)}. */
  static final int SUM_DIGITS = 2;

  /** Index bits of the sum layout's half sub-bucket count (128). */
  private static final int HALF_MAGNITUDE = 7;

  private static final int HALF_COUNT = 1 << HALF_MAGNITUDE;

  private HistogramCounts() {}

  /** The lowest value that index {@code i} of the sum layout stands for. */
  static long valueAt(int i) {
    return valueAt(i, 0, HALF_MAGNITUDE);
  }

  /** The lowest value that index {@code i} stands for in a layout of these magnitudes. */
  static long valueAt(int i, int unitMagnitude, int halfMagnitude) {
    int halfCount = 1 << halfMagnitude;
    int bucket = (i >> halfMagnitude) - 1;
    int subBucket = (i & (halfCount - 1)) + halfCount;
    if (bucket < 0) {
      subBucket -= halfCount;
      bucket = 0;
    }
    return (long) subBucket << (bucket + unitMagnitude);
  }

  /** The non-zero counts of one histogram by index, in arrays that the next one reuses. */
  static class Counts {
    int size;
    int[] indices = new int[256];
    long[] counts = new long[256];
    long totalCount;

    /**
     * Reads the ZigZag LEB128 counts by index of HdrHistogram's V2 payload in {@code b[0, length)}
     * (a negative number stands for that many zeros), for a layout of {@code unitMagnitude} and
     * {@code halfMagnitude}. An index whose value is past 2^62, or a total past 2^48, is an insane
     * histogram; so is a value past twice {@code highest} when that is positive. (A histogram that
     * resized itself keeps its first highest trackable value in its header, which HdrHistogram's
     * own decoder does not hold its counts to.)
     */
    void read(byte[] b, int length, int unitMagnitude, int halfMagnitude, long highest)
        throws HistogramDecoder.Bad {
      int halfCount = 1 << halfMagnitude;
      long index = 0;
      long total = 0;
      int n = 0;
      int p = 0;
      while (p < length) {
        long raw = 0;
        int shift = 0;
        for (int i = 0; ; i++) {
          if (p >= length) {
            throw new HistogramDecoder.Bad("histogram does not decode (cut short)", false);
          }
          long x = b[p++];
          if (i == 8) {
            raw |= (x & 0xff) << shift;
            break;
          }
          raw |= (x & 0x7f) << shift;
          shift += 7;
          if ((x & 0x80) == 0) {
            break;
          }
        }
        long v = (raw >>> 1) ^ -(raw & 1);
        if (v < 0) {
          index -= v;
          continue;
        }
        if (v > 0) {
          long bucket = (index >> halfMagnitude) - 1;
          long subBucket = (index & (halfCount - 1)) + halfCount;
          if (bucket < 0) {
            subBucket -= halfCount;
            bucket = 0;
          }
          if (bucket + unitMagnitude + 64 - Long.numberOfLeadingZeros(subBucket) > 62) {
            throw HistogramDecoder.insane("count at index %d is past 2^62", index);
          }
          if (highest > 0 && subBucket << (bucket + unitMagnitude) > highest * 2) {
            throw HistogramDecoder.insane(
                "value %d is past its highest trackable", subBucket << (bucket + unitMagnitude));
          }
          total += v;
          if (total > NumberRules.MAX) {
            throw new HistogramDecoder.Bad("histogram counts more than 2^48 values", true);
          }
          if (n == indices.length) {
            indices = Arrays.copyOf(indices, n * 2);
            counts = Arrays.copyOf(counts, n * 2);
          }
          indices[n] = (int) index;
          counts[n++] = v;
        }
        index++;
      }
      size = n;
      totalCount = total;
    }
  }

  /** The non-zero counts of one histogram: by index of the sum layout, or as a sparse histogram. */
  static final class Decoder extends Counts {
    private final Inflater inflater = new Inflater();
    private final byte[] header = new byte[40];
    private byte[] payload = new byte[1024];

    /** Set instead of the arrays for a histogram of another layout or encoding. */
    SparseHistogram other;

    /**
     * Decodes {@code base64}; afterwards either {@link #other} or the arrays hold it.
     *
     * @throws HistogramDecoder.Bad as {@link HistogramDecoder#decodeSparse} does
     */
    void decode(String base64) throws HistogramDecoder.Bad {
      byte[] bytes = HistogramDecoder.bytes(base64);
      text = base64;
      decode(bytes, bytes.length);
    }

    /**
     * As {@link #decode(String)}, for the base64 text in {@code line[from, to)}, which must be
     * ASCII: the common case of one base64 block of whole quanta is decoded without making a
     * string; anything else goes through {@link #decode(String)}.
     */
    void decode(byte[] line, int from, int to) throws HistogramDecoder.Bad {
      while (from < to && line[from] <= ' ') {
        from++;
      }
      while (to > from && line[to - 1] <= ' ') {
        to--;
      }
      int length = base64(line, from, to);
      if (length < 0) {
        decode(new String(line, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
        return;
      }
      if (length < 8) {
        throw new HistogramDecoder.Bad("histogram does not decode (" + length + " bytes)", false);
      }
      text = null;
      textLine = line;
      textFrom = from;
      textTo = to;
      decode(base64Bytes, length);
    }

    /** What {@link #base64} decoded into, reused. */
    private byte[] base64Bytes = new byte[1024];

    /** Values of the base64 alphabet by character, -1 for a character outside it. */
    private static final byte[] BASE64 = new byte[128];

    static {
      java.util.Arrays.fill(BASE64, (byte) -1);
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      for (int i = 0; i < alphabet.length(); i++) {
        BASE64[alphabet.charAt(i)] = (byte) i;
      }
    }

    /**
     * Decodes the base64 of {@code line[from, to)} into {@link #base64Bytes}; returns its length,
     * or -1 unless it is whole quanta of the basic alphabet with padding only at the end (what
     * {@link java.util.Base64}'s decoder reads alike; the rest is left to it).
     */
    private int base64(byte[] line, int from, int to) {
      int chars = to - from;
      if (chars == 0 || chars % 4 != 0) {
        return -1;
      }
      int pad = line[to - 1] == '=' ? (line[to - 2] == '=' ? 2 : 1) : 0;
      int length = chars / 4 * 3 - pad;
      if (base64Bytes.length < length + 3) {
        base64Bytes = new byte[Math.max(length + 3, base64Bytes.length * 2)];
      }
      byte[] out = base64Bytes;
      int o = 0;
      int end = to - (pad > 0 ? 4 : 0);
      for (int i = from; i < end; i += 4) {
        int a = value(line[i]);
        int b = value(line[i + 1]);
        int c = value(line[i + 2]);
        int d = value(line[i + 3]);
        if ((a | b | c | d) < 0) {
          return -1;
        }
        int bits = a << 18 | b << 12 | c << 6 | d;
        out[o++] = (byte) (bits >> 16);
        out[o++] = (byte) (bits >> 8);
        out[o++] = (byte) bits;
      }
      if (pad > 0) {
        int a = value(line[end]);
        int b = value(line[end + 1]);
        int c = pad == 1 ? value(line[end + 2]) : 0;
        if ((a | b | c) < 0) {
          return -1;
        }
        int bits = a << 18 | b << 12 | c << 6;
        out[o++] = (byte) (bits >> 16);
        if (pad == 1) {
          out[o++] = (byte) (bits >> 8);
        }
      }
      return o;
    }

    private static int value(byte c) {
      return c < 0 ? -1 : BASE64[c];
    }

    /** The base64 text being decoded: a string, or else where it is in a line. */
    private String text;

    private byte[] textLine;
    private int textFrom;
    private int textTo;

    /** The base64 text being decoded, for a histogram of another layout or encoding. */
    private String text() {
      if (text == null) {
        text =
            new String(
                textLine,
                textFrom,
                textTo - textFrom,
                java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      return text;
    }

    /** Decodes the histogram in {@code bytes[0, byteCount)}. */
    private void decode(byte[] bytes, int byteCount) throws HistogramDecoder.Bad {
      other = null;
      size = 0;
      totalCount = 0;
      ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, byteCount);
      if ((buffer.getInt(0) & ~0xf0) != HistogramDecoder.COMPRESSED_V2) {
        other = HistogramDecoder.decodeSparse(text(), inflater);
        return;
      }
      int compressedLength = buffer.getInt(4);
      if (compressedLength < 0 || compressedLength > byteCount - 8) {
        throw new HistogramDecoder.Bad("histogram does not decode (cut short)", false);
      }
      inflater.reset();
      int length;
      ByteBuffer h = ByteBuffer.wrap(header);
      try {
        inflater.setInput(bytes, 8, compressedLength);
        if (inflater.inflate(header) < header.length) {
          throw new HistogramDecoder.Bad("histogram does not decode (header cut short)", false);
        }
        HistogramDecoder.checkHeader(h);
        if (h.getInt(8) != 0
            || (h.getInt(0) & ~0xf0) != HistogramDecoder.V2_ENCODING
            || h.getLong(16) != 1
            || h.getInt(12) != SUM_DIGITS) {
          other = HistogramDecoder.decodeSparse(text(), inflater);
          return;
        }
        length = h.getInt(4);
        if (payload.length < length) {
          payload = new byte[Math.max(length, payload.length * 2)];
        }
        int done = 0;
        while (done < length) {
          int n = inflater.inflate(payload, done, length - done);
          if (n == 0
              && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
            throw new HistogramDecoder.Bad("histogram does not decode (cut short)", false);
          }
          done += n;
        }
      } catch (DataFormatException e) {
        throw new HistogramDecoder.Bad("histogram does not decode (not deflate data)", false);
      }
      read(payload, length, 0, HALF_MAGNITUDE, 0);
    }

    void close() {
      inflater.end();
    }
  }

  /** A sum of histograms: counts by index of the sum layout, and a histogram for the others. */
  static final class Sum {
    private long[] counts = new long[0];
    private Histogram others;
    private long totalCount;

    long totalCount() {
      return totalCount;
    }

    /** Adds what {@code d} decoded; returns the bytes the sum grew by. */
    long add(Decoder d) {
      totalCount += d.other != null ? d.other.totalCount() : d.totalCount;
      if (d.other != null) {
        long before = others == null ? 0 : others.getEstimatedFootprintInBytes();
        if (others == null) {
          others = newSum();
        }
        d.other.addTo(others);
        return others.getEstimatedFootprintInBytes() - before;
      }
      long grew = 0;
      if (d.size > 0 && d.indices[d.size - 1] >= counts.length) {
        int n = Math.max(d.indices[d.size - 1] + 1, Math.min(2 * counts.length, 64 * HALF_COUNT));
        grew = 8L * (n - counts.length);
        counts = Arrays.copyOf(counts, n);
      }
      for (int i = 0; i < d.size; i++) {
        counts[d.indices[i]] += d.counts[i];
      }
      return grew;
    }

    /** The sum as a histogram of the sum layout. */
    Histogram histogram() {
      Histogram h = others != null ? others.copy() : newSum();
      int last = counts.length - 1;
      while (last >= 0 && counts[last] == 0) {
        last--;
      }
      if (last >= 0) {
        // The highest first: the histogram resizes once, not once per power of two.
        h.recordValueWithCount(valueAt(last), counts[last]);
      }
      for (int i = 0; i < last; i++) {
        if (counts[i] != 0) {
          h.recordValueWithCount(valueAt(i), counts[i]);
        }
      }
      return h;
    }

    private static Histogram newSum() {
      Histogram h = new Histogram(SUM_DIGITS);
      h.setAutoResize(true);
      return h;
    }
  }
}
