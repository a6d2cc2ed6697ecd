package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tombscope.testing.SeededCases;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void writesTheRecordingsShapes() {
    String json =
        Json.object()
            .put("type", "counters")
            .put("t", 12L)
            .put("growing", true)
            .put("frames", List.of("a.B.c(B.java:1)"))
            .put("inner", Json.object().put("x", 1))
            .toString();
    assertEquals(
        "{\"type\":\"counters\",\"t\":12,\"growing\":true,\"frames\":[\"a.B.c(B.java:1)\"],"
            + "\"inner\":{\"x\":1}}",
        json);
  }

  @Test
  void anyStringRoundTripsThroughAJsonParser() {
    SeededCases.check(
        1000,
        random -> {
          String s = anyString(random);
          JsonNode node = JACKSON.readTree(Json.object().put("s", s).toString());
          assertEquals(s, node.get("s").asText());
        });
  }

  /**
   * Up to 40 code points, each from a class picked at random: printable ASCII, the characters JSON
   * must escape (controls, quote, backslash, DEL), any other BMP character, or one beyond the BMP
   * (a surrogate pair).
   */
  private static String anyString(Random random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(41);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(4)) {
        case 0 -> s.append((char) random.nextInt(0x20, 0x7f));
        case 1 -> s.append("\u0000\u001f\"\\\u007f\n\t\u2028".charAt(random.nextInt(8)));
        case 2 -> {
          int c = random.nextInt(0x80, 0x10000);
          s.append(Character.isSurrogate((char) c) ? '\u00e9' : (char) c);
        }
        default -> s.appendCodePoint(random.nextInt(0x10000, Character.MAX_CODE_POINT + 1));
      }
    }
    return s.toString();
  }
}
