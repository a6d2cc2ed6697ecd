package io.tombscope.analyzer.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The histogram log's byte path reads every line as the string path ({@code Entry.parse}) does. */
class HistogramLineTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void plainDecimalsReadExactlyAsParseDouble() {
    SplittableRandom random = new SplittableRandom(19);
    for (int i = 0; i < 100_000; i++) {
      String text =
          switch (i % 4) {
            case 0 -> String.format(Locale.ROOT, "%.3f", random.nextDouble() * 100_000);
            case 1 -> Long.toString(random.nextLong(1_000_000_000_000_000L));
            case 2 -> "0." + random.nextInt(1_000_000);
            default -> random.nextInt(100_000) + "." + random.nextLong(1_000_000_000L);
          };
      byte[] b = ascii(text);
      assertEquals(Double.parseDouble(text), HistogramLog.Fields.decimal(b, 0, b.length), text);
    }
  }

  @Test
  void anythingButPlainDecimalsIsLeftToParseDouble() {
    for (String text :
        new String[] {
          "", ".", "-1.5", "1e3", " 1.5", "1.5 ", "NaN", "1.2.3", "1234567890123456", "1.5d"
        }) {
      byte[] b = ascii(text);
      assertTrue(Double.isNaN(HistogramLog.Fields.decimal(b, 0, b.length)), text);
    }
  }

  @Test
  void splitsAsEntryParseDoes() throws Exception {
    Histogram h = new Histogram(2);
    h.recordValueWithCount(3, 40);
    h.recordValue(1_000);
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buffer);
    String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n));
    String line = "Tag=deleteProbe.hit/7,59.999,60.001,1000.000," + encoded;
    HistogramLog.Entry entry = HistogramLog.Entry.parse(line, true);
    HistogramLog.Fields f = new HistogramLog.Fields();
    byte[] b = ascii("  " + line);
    assertTrue(f.split(b, 2, b.length));
    assertEquals(entry.tag(), new HistogramLog.Tags().tag(b, f.tagFrom, f.tagTo));
    assertEquals(entry.startSeconds(), f.startSeconds);
    assertEquals(entry.lengthSeconds(), f.lengthSeconds);
    assertEquals(entry.encoded(), new String(b, f.encodedFrom, b.length - f.encodedFrom));

    byte[] untagged = ascii("1.0,2.0,3.0," + encoded);
    assertTrue(f.split(untagged, 0, untagged.length));
    assertNull(new HistogramLog.Tags().tag(untagged, f.tagFrom, f.tagTo));
    assertFalse(f.split(ascii("Tag=x"), 0, 5));
    assertFalse(f.split(ascii("1.0,2.0,3.0"), 0, 11));
    byte[] utf8 = "Tag=\u00e9,1.0,2.0,3.0,AAAA".getBytes(StandardCharsets.UTF_8);
    assertFalse(f.split(utf8, 0, utf8.length));

    assertTrue(f.split(b, 2, b.length));
    HistogramCounts.Decoder fromBytes = new HistogramCounts.Decoder();
    HistogramCounts.Decoder fromString = new HistogramCounts.Decoder();
    fromBytes.decode(b, f.encodedFrom, b.length);
    fromString.decode(entry.encoded());
    assertEquals(fromString.totalCount, fromBytes.totalCount);
    assertEquals(41, fromBytes.totalCount);
    assertEquals(fromString.size, fromBytes.size);
  }

  @Test
  void base64OfTheBytePathAgreesWithTheJdksDecoder() {
    SplittableRandom random = new SplittableRandom(7);
    HistogramCounts.Decoder d = new HistogramCounts.Decoder();
    for (int i = 0; i < 2_000; i++) {
      byte[] data = new byte[random.nextInt(8, 64)];
      random.nextBytes(data);
      String encoded = Base64.getEncoder().encodeToString(data);
      // One in three ends in a character outside base64: both must fail alike.
      String text = i % 3 == 0 ? encoded.substring(0, encoded.length() - 1) + "*" : encoded;
      String viaString = outcome(() -> d.decode(Base64Probe.text(text)));
      byte[] b = ascii(text);
      String viaBytes = outcome(() -> d.decode(b, 0, b.length));
      assertEquals(viaString, viaBytes, text);
    }
  }

  private interface Decoding {
    void run() throws HistogramDecoder.Bad;
  }

  private static String outcome(Decoding d) {
    try {
      d.run();
      return "decoded";
    } catch (HistogramDecoder.Bad e) {
      return e.getMessage();
    }
  }

  /** A copy of the text, so that the string path cannot share the byte path's array. */
  private static final class Base64Probe {
    static String text(String s) {
      return new String(s.toCharArray());
    }
  }
}
