package io.tombscope.analyzer.read;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;

/**
 * Decodes one histogram of an interval log, after checking the header that HdrHistogram would
 * otherwise trust: its lowest and highest trackable values and precision size the counts array, and
 * its payload length sizes a buffer, so a crafted header could ask for gigabytes. The agent writes
 * a lowest trackable value of 1 and 2 significant digits.
 */
final class HistogramDecoder {
  /** V2 and V1 compressed encodings (HdrHistogram's cookie bases; the low nibble is masked). */
  static final int COMPRESSED_V2 = 0x1c849304;

  private static final int COMPRESSED_V1 = 0x1c849302;
  private static final int HEADER_BYTES = 40;
  static final long MAX_LOWEST_TRACKABLE = 1000;
  static final int MAX_SIGNIFICANT_DIGITS = 3;
  static final long MAX_HIGHEST_TRACKABLE = 1L << 62;

  /** Nine bytes per count at most (LEB128), for at most 65 buckets of 1,024 sub-buckets. */
  static final int MAX_PAYLOAD_BYTES = 9 * 65 * 1024;

  private HistogramDecoder() {}

  /** Why a histogram is not used: the message names what is wrong with it. */
  static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    /** True when the histogram decodes but its header or counts are out of range. */
    final boolean insane;

    Bad(String message, boolean insane) {
      super(message, null, false, false);
      this.insane = insane;
    }
  }

  static byte[] bytes(String base64) throws Bad {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new Bad("histogram is not base64", false);
    }
    if (bytes.length < 8) {
      throw new Bad("histogram does not decode (" + bytes.length + " bytes)", false);
    }
    return bytes;
  }

  static Histogram decode(String base64) throws Bad {
    byte[] bytes = bytes(base64);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int cookie = buffer.getInt(0) & ~0xf0;
    if (cookie != COMPRESSED_V2 && cookie != COMPRESSED_V1) {
      throw new Bad("histogram does not decode (not a compressed HdrHistogram)", false);
    }
    int compressedLength = buffer.getInt(4);
    if (compressedLength < 0 || compressedLength > bytes.length - 8) {
      throw new Bad("histogram does not decode (cut short)", false);
    }
    checkHeader(bytes, compressedLength);
    Histogram h;
    try {
      h = Histogram.decodeFromCompressedByteBuffer(buffer, 0);
    } catch (RuntimeException | DataFormatException e) {
      throw new Bad("histogram does not decode", false);
    }
    long total = h.getTotalCount();
    if (total < 0 || total > NumberRules.MAX) {
      throw new Bad("histogram counts " + total + " values, not 0 to 2^48", true);
    }
    return h;
  }

  private static void checkHeader(byte[] bytes, int compressedLength) throws Bad {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes, 8, compressedLength);
      checkHeader(header(inflater));
    } catch (DataFormatException e) {
      throw new Bad("histogram does not decode (not deflate data)", false);
    } finally {
      inflater.end();
    }
  }

  /** The first bytes that {@code inflater} inflates: the encoding's header. */
  private static ByteBuffer header(Inflater inflater) throws DataFormatException, Bad {
    byte[] header = new byte[HEADER_BYTES];
    if (inflater.inflate(header) < HEADER_BYTES) {
      throw new Bad("histogram does not decode (header cut short)", false);
    }
    return ByteBuffer.wrap(header);
  }

  static void checkHeader(ByteBuffer h) throws Bad {
    int payloadBytes = h.getInt(4);
    int digits = h.getInt(12);
    long lowest = h.getLong(16);
    long highest = h.getLong(24);
    if (lowest < 1 || lowest > MAX_LOWEST_TRACKABLE) {
      throw insane("lowest trackable value is %d, not 1 to %,d", lowest, MAX_LOWEST_TRACKABLE);
    }
    if (highest < 2 * lowest || highest > MAX_HIGHEST_TRACKABLE) {
      throw insane("highest trackable value is %d, not 2 to 2^62", highest);
    }
    if (digits < 0 || digits > MAX_SIGNIFICANT_DIGITS) {
      throw insane(
          "precision is %d significant digits, not 0 to %d", digits, MAX_SIGNIFICANT_DIGITS);
    }
    if (payloadBytes < 0 || payloadBytes > MAX_PAYLOAD_BYTES) {
      throw insane("payload is %d bytes, not 0 to %,d", payloadBytes, MAX_PAYLOAD_BYTES);
    }
  }

  /**
   * Decodes one histogram of an interval log to its non-zero counts only, with the same checks as
   * {@link #decode}: a few hundred bytes where a whole {@link Histogram} of the agent's range is 37
   * KiB, so that many can wait in a queue. The V2 encoding is read directly; anything else goes
   * through HdrHistogram.
   */
  static SparseHistogram decodeSparse(String base64) throws Bad {
    Inflater inflater = new Inflater();
    try {
      return decodeSparse(base64, inflater);
    } finally {
      inflater.end();
    }
  }

  /**
   * As {@link #decodeSparse(String)}, inflating with {@code inflater} (reset first), so that a
   * reader of many histograms makes no inflater per histogram.
   */
  static SparseHistogram decodeSparse(String base64, Inflater inflater) throws Bad {
    byte[] bytes = bytes(base64);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int cookie = buffer.getInt(0) & ~0xf0;
    if (cookie != COMPRESSED_V2) {
      return SparseHistogram.of(decode(base64));
    }
    int compressedLength = buffer.getInt(4);
    if (compressedLength < 0 || compressedLength > bytes.length - 8) {
      throw new Bad("histogram does not decode (cut short)", false);
    }
    inflater.reset();
    try {
      inflater.setInput(bytes, 8, compressedLength);
      ByteBuffer h = header(inflater);
      checkHeader(h);
      if (h.getInt(8) != 0 || (h.getInt(0) & ~0xf0) != V2_ENCODING) {
        return SparseHistogram.of(decode(base64));
      }
      byte[] encoded = new byte[h.getInt(4)];
      inflateFully(inflater, encoded);
      return SparseHistogram.fromCounts(h.getLong(16), h.getInt(12), h.getLong(24), encoded);
    } catch (DataFormatException e) {
      throw new Bad("histogram does not decode (not deflate data)", false);
    }
  }

  /** The uncompressed V2 encoding's cookie, low nibble masked. */
  static final int V2_ENCODING = 0x1c849303;

  private static void inflateFully(Inflater inflater, byte[] into) throws DataFormatException, Bad {
    int done = 0;
    while (done < into.length) {
      int n = inflater.inflate(into, done, into.length - done);
      if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
        throw new Bad("histogram does not decode (cut short)", false);
      }
      done += n;
    }
  }

  static Bad insane(String format, Object... args) {
    return new Bad("histogram's " + String.format(Locale.ROOT, format, args), true);
  }
}
