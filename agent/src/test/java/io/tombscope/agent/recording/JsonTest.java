package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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

  @Property
  void anyStringRoundTripsThroughAJsonParser(@ForAll String s) throws Exception {
    JsonNode node = JACKSON.readTree(Json.object().put("s", s).toString());
    assertEquals(s, node.get("s").asText());
  }
}
