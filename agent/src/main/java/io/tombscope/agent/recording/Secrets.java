package io.tombscope.agent.recording;

import java.util.ArrayList;
import java.util.List;

/**
 * Redacts the values of command-line arguments whose names look like secrets before they reach
 * {@code meta.json}, as JFR and most diagnostic tools do: {@code -Ddb.password=hunter2} is recorded
 * as {@code -Ddb.password=[REDACTED]}. A name looks like a secret when it contains {@code
 * password}, {@code passwd}, {@code secret}, {@code token}, {@code key} or {@code credential}, in
 * any case.
 */
public final class Secrets {
  /** What a redacted value is replaced with. */
  public static final String REDACTED = "[REDACTED]";

  // Lower case; "passwd" is not in "password". Searched by hand: java.util.regex costs the
  // flusher's first interval tens of milliseconds of CPU to load.
  private static final String[] SECRET_WORDS = {
    "password", "passwd", "secret", "token", "key", "credential"
  };

  private Secrets() {}

  /**
   * Whether {@code name} looks like the name of a secret: holds a word above, in any ASCII case.
   */
  static boolean looksSecret(String name) {
    for (String word : SECRET_WORDS) {
      for (int at = 0; at + word.length() <= name.length(); at++) {
        if (startsWithIgnoringAsciiCase(name, at, word)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean startsWithIgnoringAsciiCase(String s, int at, String lowerWord) {
    for (int i = 0; i < lowerWord.length(); i++) {
      char c = s.charAt(at + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != lowerWord.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The JVM's input arguments with secret values redacted: {@code -Dname=value}, and the {@code
   * key=value} items of an agent's options ({@code -javaagent:x.jar=licenseKey=...}).
   */
  public static List<String> jvmArguments(List<String> arguments) {
    List<String> redacted = new ArrayList<>(arguments.size());
    for (String a : arguments) {
      redacted.add(jvmArgument(a));
    }
    return redacted;
  }

  private static String jvmArgument(String a) {
    if (a.startsWith("-javaagent:") || a.startsWith("-agentlib:") || a.startsWith("-agentpath:")) {
      int eq = a.indexOf('=');
      return eq < 0 ? a : a.substring(0, eq + 1) + items(a.substring(eq + 1));
    }
    return pair(a);
  }

  /** {@code a=1,secret=2} as {@code a=1,secret=[REDACTED]}. */
  private static String items(String options) {
    String[] parts = options.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = pair(parts[i]);
    }
    return String.join(",", parts);
  }

  private static String pair(String text) {
    int eq = text.indexOf('=');
    return eq >= 0 && looksSecret(text.substring(0, eq))
        ? text.substring(0, eq + 1) + REDACTED
        : text;
  }

  /**
   * The main command ({@code sun.java.command}: the main class or jar and the program's arguments,
   * joined by spaces) with secret values redacted: {@code --password=x}, and the word after a
   * secret-looking flag without a value ({@code --token x}).
   */
  public static String mainCommand(String command) {
    String[] words = command.split(" ", -1);
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      if (w.indexOf('=') >= 0) {
        words[i] = pair(w);
      } else if (w.startsWith("-")
          && looksSecret(w)
          && i + 1 < words.length
          && !words[i + 1].startsWith("-")) {
        words[++i] = REDACTED;
      }
    }
    return String.join(" ", words);
  }
}
