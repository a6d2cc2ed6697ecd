package io.tombscope.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scenario did to its maps, counted exactly by the scenario itself, printed as one line
 * {@code GROUND-TRUTH {json}} so a test can hold the recording to it.
 */
public final class GroundTruth {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public GroundTruth(String scenario, String mapClass, String allocationMethod) {
    fields.put("scenario", scenario);
    fields.put("mapClass", mapClass);
    fields.put("allocationSite", allocationMethod);
  }

  public GroundTruth put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  public Object get(String key) {
    return fields.get(key);
  }

  public String line() {
    StringBuilder out = new StringBuilder("GROUND-TRUTH {");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number || v instanceof Boolean) {
        out.append(v);
      } else {
        out.append('"')
            .append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
    }
    return out.append('}').toString();
  }
}
