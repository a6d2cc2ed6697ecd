package io.tombscope.agent.recording;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON object writer for the recording's own, known shapes (the agent carries no JSON
 * library, to stay small and to share nothing with the app). Strings are fully escaped.
 */
public final class Json {
  private final StringBuilder out = new StringBuilder(256).append('{');
  private boolean first = true;

  public static Json object() {
    return new Json();
  }

  private Json key(String key) {
    if (!first) {
      out.append(',');
    }
    first = false;
    quote(out, key);
    out.append(':');
    return this;
  }

  public Json put(String key, long value) {
    key(key).out.append(value);
    return this;
  }

  public Json put(String key, boolean value) {
    key(key).out.append(value);
    return this;
  }

  public Json put(String key, String value) {
    key(key);
    if (value == null) {
      out.append("null");
    } else {
      quote(out, value);
    }
    return this;
  }

  public Json put(String key, Json value) {
    key(key).out.append(value.toString());
    return this;
  }

  public Json put(String key, Collection<String> values) {
    key(key).out.append('[');
    boolean firstValue = true;
    for (String v : values) {
      if (!firstValue) {
        out.append(',');
      }
      firstValue = false;
      quote(out, v);
    }
    out.append(']');
    return this;
  }

  public Json put(String key, Map<String, String> values) {
    Json inner = object();
    values.forEach(inner::put);
    return put(key, inner);
  }

  @Override
  public String toString() {
    return out + "}";
  }

  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
