package io.tombscope.analyzer.read;

import java.nio.file.Path;

/**
 * A recording that cannot be read: the message is one line naming the file and, where there is one,
 * the line ({@code rec/events.jsonl:17: expected ',' ...}).
 */
public final class RecordingException extends Exception {
  private static final long serialVersionUID = 1L;

  public RecordingException(Path file, long line, String what) {
    super(message(file, line, what));
  }

  public RecordingException(Path file, long line, String what, Throwable cause) {
    super(message(file, line, what), cause);
  }

  /** Control characters replaced: {@code what} may quote the recording ("Unrecognized token"). */
  private static String message(Path file, long line, String what) {
    return Printable.clean(file + (line > 0 ? ":" + line : "") + ": " + what);
  }
}
