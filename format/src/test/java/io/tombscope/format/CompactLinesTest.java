package io.tombscope.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What {@link CompactLines} writes decodes, through {@link CompactDecoder}, to the numbers it was
 * given, whether each line is a new {@link NumberLine} or one line {@linkplain NumberLine#reset
 * reset} and filled again; and a line equal to its site's last is written as nothing.
 */
class CompactLinesTest {
  private static final List<String> COUNTERS = List.of("mapsCreated", "deleteHits", "deleteMisses");
  private static final List<String> GAUGE = List.of("maps", "size", "slots", "tombstones");
  private static final List<String> JDK_GAUGE = List.of("maps", "size", "slots", "deadSlots", "x");

  @Test
  void stacksAreDeclaredOncePerSegmentWithIdsInOrder() {
    CompactLines lines = new CompactLines();
    StringBuilder out = new StringBuilder();
    assertEquals(0, lines.stack("3\na.B.c(B.java:1)", () -> "{\"site\":3}", out));
    assertEquals(1, lines.newStack("{\"site\":4}", out));
    assertEquals(0, lines.stack("3\na.B.c(B.java:1)", () -> "{\"site\":9}", out));
    assertEquals(2, lines.stack("5\na.B.c(B.java:1)", () -> "{\"site\":5}", out));
    assertEquals(
        "{\"type\":\"stack\",\"id\":0,\"site\":3}\n"
            + "{\"type\":\"stack\",\"id\":1,\"site\":4}\n"
            + "{\"type\":\"stack\",\"id\":2,\"site\":5}\n",
        out.toString());
    lines.newSegment();
    out.setLength(0);
    assertEquals(0, lines.newStack("{\"site\":4}", out));
    assertEquals(1, lines.stack("3\na.B.c(B.java:1)", () -> "{\"site\":3}", out));
    assertEquals(2, out.toString().split("\n").length);
  }

  @Test
  void randomLinesRoundTripWithReusedAndNewLines() {
    for (boolean reuse : new boolean[] {false, true}) {
      Random random = new Random(reuse ? 7 : 11);
      CompactLines lines = new CompactLines();
      CompactDecoder decoder = new CompactDecoder(10_000);
      NumberLine scratch = new NumberLine(CompactLines.COUNTERS, 0);
      Map<Long, long[]> written = new HashMap<>();
      int segmentLines = 0;
      for (int n = 0; n < 20_000; n++) {
        if (random.nextInt(3_000) == 0) {
          lines.newSegment();
          decoder = new CompactDecoder(10_000);
          written.clear();
        }
        // Site ids spread wide enough to make the table of last lines grow and collide.
        int site = random.nextInt(400) * (random.nextBoolean() ? 1 : 65_537);
        boolean gauge = random.nextBoolean();
        String type = gauge ? CompactLines.GAUGE : CompactLines.COUNTERS;
        List<String> keys = gauge ? (site % 2 == 0 ? GAUGE : JDK_GAUGE) : COUNTERS;
        long[] values = new long[keys.size()];
        long key = ((long) site << 2) | (gauge ? 1 : 0);
        long[] before = written.get(key);
        for (int i = 0; i < values.length; i++) {
          long base = before == null ? 0 : before[i];
          values[i] = random.nextInt(4) == 0 ? base + random.nextInt(2_000) - 1_000 : base;
        }
        NumberLine line = reuse ? scratch.reset(type, site) : new NumberLine(type, site);
        for (int i = 0; i < values.length; i++) {
          line.put(keys.get(i), values[i]);
        }
        String text = lines.encode(line);
        if (before != null && java.util.Arrays.equals(before, values)) {
          assertEquals("", text, "an unchanged line is left out");
          continue;
        }
        segmentLines++;
        CompactDecoder.Line decoded = null;
        for (String one : text.split("\n")) {
          if (one.startsWith("{\"type\":\"columns\"")) {
            decoder.columns(columnsId(one), columnsKeys(one));
          } else {
            decoded = decoder.decode(one);
          }
        }
        assertEquals(type, decoded.type());
        assertEquals(site, decoded.site());
        assertEquals(keys, decoded.keys());
        assertArrayEquals(values, decoded.values());
        written.put(key, values);
      }
      assertTrue(segmentLines > 5_000, "the test wrote lines: " + segmentLines);
    }
  }

  @Test
  void unchangedLineIsEmptyAndChangedOneCarriesOnlyTheDifference() {
    CompactLines lines = new CompactLines();
    NumberLine line = new NumberLine(CompactLines.GAUGE, 300);
    String first = lines.encode(line.reset(CompactLines.GAUGE, 300).put("a", 5).put("b", 7));
    assertEquals("{\"type\":\"columns\",\"id\":0,\"keys\":[\"a\",\"b\"]}\ng 300 0 5,7\n", first);
    assertEquals("", lines.encode(line.reset(CompactLines.GAUGE, 300).put("a", 5).put("b", 7)));
    assertEquals(
        "g 300 0 ,-2\n", lines.encode(line.reset(CompactLines.GAUGE, 300).put("a", 5).put("b", 5)));
    assertEquals(
        "g 301 0 5,5\n", lines.encode(line.reset(CompactLines.GAUGE, 301).put("a", 5).put("b", 5)));
    lines.newSegment();
    assertEquals(
        "{\"type\":\"columns\",\"id\":0,\"keys\":[\"a\",\"b\"]}\ng 300 0 5,5\n",
        lines.encode(line.reset(CompactLines.GAUGE, 300).put("a", 5).put("b", 5)));
  }

  @Test
  void linesWithNoValueToCarryRoundTrip() {
    CompactLines lines = new CompactLines();
    CompactDecoder decoder = new CompactDecoder(100);
    // A site's first line of zeros and a line of no keys: the letter, the site and the columns.
    List<NumberLine> written =
        List.of(
            new NumberLine(CompactLines.COUNTERS, 4).put("a", 0).put("b", 0),
            new NumberLine(CompactLines.COUNTERS, 5));
    for (NumberLine line : written) {
      CompactDecoder.Line decoded = null;
      for (String one : lines.encode(line).split("\n")) {
        if (one.startsWith("{\"type\":\"columns\"")) {
          decoder.columns(columnsId(one), columnsKeys(one));
        } else {
          decoded = decoder.decode(one);
        }
      }
      assertEquals(line.site(), decoded.site());
      assertEquals(List.of(line.keys()), decoded.keys());
      assertArrayEquals(new long[line.size()], decoded.values());
    }
  }

  private static long columnsId(String line) {
    int from = line.indexOf("\"id\":") + 5;
    return Long.parseLong(line.substring(from, line.indexOf(',', from)));
  }

  private static List<String> columnsKeys(String line) {
    String inside = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
    List<String> keys = new ArrayList<>();
    if (inside.isEmpty()) {
      return keys;
    }
    for (String quoted : inside.split(",")) {
      keys.add(quoted.substring(1, quoted.length() - 1));
    }
    return keys;
  }
}
