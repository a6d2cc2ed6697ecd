package io.tombscope.analyzer.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reader worked around: the first {@link #MAX_WARNINGS} warnings (each reported to the
 * listener as it comes), a count of the others, and the lines it did not use.
 */
class Problems {
  static final int MAX_WARNINGS = 20;

  private final ReadListener listener;
  private final List<String> warnings = new ArrayList<>();
  private long leftOut;
  private long skippedLines;

  Problems(ReadListener listener) {
    this.listener = listener;
  }

  /** One line; control characters replaced, since it may quote the recording. */
  void warn(String message) {
    if (warnings.size() >= MAX_WARNINGS) {
      leftOut++;
      return;
    }
    String w = Printable.clean(message);
    warnings.add(w);
    listener.warning(w);
  }

  /** A line not used because of {@code why}. */
  void skip(Path file, long line, String why) {
    skippedLines++;
    warn(file + ":" + line + ": " + why + "; line skipped");
  }

  /** {@code lines} lines not used, already explained in one warning. */
  void skipped(long lines) {
    skippedLines += lines;
  }

  void truncated(Path file, long line) {
    warn(file + ":" + line + ": truncated last line ignored; everything before it is used");
  }

  long skippedLines() {
    return skippedLines;
  }

  /**
   * Hands what this one found to {@code other}, as if {@code other} had found it: the warnings, the
   * count of those left out, and the lines not used.
   */
  void replayInto(Problems other) {
    for (String w : warnings) {
      other.warn(w);
    }
    other.leftOut += leftOut;
    other.skippedLines += skippedLines;
  }

  /** The warnings, and one line that counts those left out. */
  List<String> finish() {
    if (leftOut > 0) {
      String w = leftOut + " more warning(s) left out";
      warnings.add(w);
      listener.warning(w);
      leftOut = 0;
    }
    return List.copyOf(warnings);
  }
}
