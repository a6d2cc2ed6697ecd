package io.tombscope.analyzer.read;

/**
 * Text from a recording made safe to print: a recording is written by the program it watched, so
 * its strings (a main command's arguments, a frame, an option) may hold terminal escapes or other
 * control characters that would act on the terminal, or bidirectional overrides that would make a
 * line read differently from what it holds.
 */
public final class Printable {
  /** What a control character becomes: U+FFFD, the replacement character. */
  public static final char REPLACEMENT = '\uFFFD';

  private Printable() {}

  /** {@code s} with every control character (tab and newline included) replaced; null stays. */
  public static String clean(String s) {
    if (s == null) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        StringBuilder b = new StringBuilder(s);
        for (int j = i; j < b.length(); j++) {
          if (isControl(b.charAt(j))) {
            b.setCharAt(j, REPLACEMENT);
          }
        }
        return b.toString();
      }
    }
    return s;
  }

  /**
   * C0 and C1 controls and DEL (ESC starts a terminal escape; U+009B is a one-character CSI), and
   * the bidirectional embeddings, overrides and isolates.
   */
  static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
