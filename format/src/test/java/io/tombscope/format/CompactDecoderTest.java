package io.tombscope.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CompactDecoderTest {
  private static final Pattern COLUMNS =
      Pattern.compile("\\{\"type\":\"columns\",\"id\":(\\d+),\"keys\":\\[(.*)]}");

  @Test
  void bothWaysInDecodeWhatCompactLinesWrote() {
    SplittableRandom random = new SplittableRandom(7);
    CompactLines writer = new CompactLines();
    CompactDecoder fromText = new CompactDecoder(100);
    CompactDecoder fromBytes = new CompactDecoder(100);
    List<String> keysA = List.of("deleteHits", "deleteMisses", "tombstones");
    List<String> keysB = List.of("size", "slots");
    int lines = 0;
    for (int step = 0; step < 5_000; step++) {
      String type = List.of("counters", "gauge", "deleteSite").get(random.nextInt(3));
      int site = random.nextInt(40);
      List<String> keys = random.nextInt(10) == 0 ? keysB : keysA;
      NumberLine line = new NumberLine(type, site);
      long[] values = new long[keys.size()];
      for (int i = 0; i < values.length; i++) {
        // Any number the format allows: -2^48 to 2^48.
        values[i] = random.nextInt(3) == 0 ? 0 : random.nextLong(-(1L << 48), (1L << 48) + 1);
        line.put(keys.get(i), values[i]);
      }
      for (String text : writer.encode(line).split("\n")) {
        if (text.isEmpty()) {
          continue;
        }
        Matcher m = COLUMNS.matcher(text);
        if (m.matches()) {
          List<String> declared = new ArrayList<>();
          for (String k : m.group(2).split(",")) {
            declared.add(k.substring(1, k.length() - 1));
          }
          fromText.columns(Long.parseLong(m.group(1)), declared);
          fromBytes.columns(Long.parseLong(m.group(1)), declared);
          continue;
        }
        CompactDecoder.Line decoded = fromText.decode(text);
        byte[] bytes = ("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII);
        CompactDecoder.Decoded view = fromBytes.decode(bytes, 2, bytes.length - 2);
        assertEquals(type, decoded.type());
        assertEquals(site, decoded.site());
        assertEquals(keys, decoded.keys());
        assertArrayEquals(values, decoded.values(), text);
        assertEquals(type, view.type());
        assertEquals(site, view.site());
        assertEquals(keys, view.keys());
        long[] viewed = new long[view.size()];
        for (int i = 0; i < viewed.length; i++) {
          viewed[i] = view.value(i);
        }
        assertArrayEquals(values, viewed, text);
        lines++;
      }
    }
    assertEquals(true, lines > 1_000, "lines decoded: " + lines);
  }

  @Test
  void aLineThatDoesNotParseLeavesTheDecoderAsItWas() {
    CompactDecoder d = new CompactDecoder(10);
    d.columns(0, List.of("a", "b"));
    d.decode("c 1 0 5,7");
    assertThrows(IllegalArgumentException.class, () -> d.decode("c 1 0 1,x"));
    assertThrows(IllegalArgumentException.class, () -> d.decode("c 1 0 1,2,3"));
    assertArrayEquals(new long[] {6, 8}, d.decode("c 1 0 1,1").values());
  }

  @Test
  void numbersParseAsLongParseLongDoesAndSumsSaturate() {
    CompactDecoder d = new CompactDecoder(10);
    d.columns(3, List.of("v"));
    assertArrayEquals(new long[] {Long.MIN_VALUE}, d.decode("g 2 3 -9223372036854775808").values());
    assertArrayEquals(new long[] {Long.MIN_VALUE}, d.decode("g 2 3 -1").values());
    assertArrayEquals(new long[] {Long.MAX_VALUE}, d.decode("g 4 3 +9223372036854775807").values());
    assertArrayEquals(new long[] {Long.MAX_VALUE}, d.decode("g 4 3 5").values());
    for (String bad : List.of("g 5 3 9223372036854775808", "g 5 3 -", "g 5 3 1-2", "g 5 3 ٣")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> d.decode(bad), bad);
      assertEquals("\"v\" is not a number", e.getMessage());
    }
    assertEquals(
        "columns 9 were not declared in this segment",
        assertThrows(IllegalArgumentException.class, () -> d.decode("c 1 9 1")).getMessage());
    assertEquals(Arrays.toString(new long[] {0}), Arrays.toString(d.decode("d 70000 3 ").values()));
  }

  @Test
  void sitesPastTheLimitAreAnError() {
    CompactDecoder d = new CompactDecoder(2);
    d.columns(0, List.of("v"));
    for (int site = 0; site < 6; site++) {
      d.decode("c " + site + " 0 1");
    }
    assertThrows(IllegalArgumentException.class, () -> d.decode("c 99999 0 1"));
  }
}
