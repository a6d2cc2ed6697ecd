package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.read.ReadListener;
import io.tombscope.analyzer.read.RecordingException;
import io.tombscope.analyzer.read.RecordingReader;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Reads and analyses a recording, with warnings and (on a terminal) a progress bar on stderr. */
final class RecordingInput {
  private RecordingInput() {}

  static Analysis analyze(Path dir, PrintWriter err) throws RecordingException {
    ProgressBar bar = new ProgressBar(err, "reading " + dir, System.console() != null);
    ReadListener listener =
        new ReadListener() {
          @Override
          public void progress(long bytesRead, long totalBytes) {
            bar.update(bytesRead, totalBytes);
          }

          @Override
          public void warning(String message) {
            bar.clear();
            err.println("tombscope: warning: " + message);
            err.flush();
          }
        };
    try {
      return Analyzer.analyze(RecordingReader.read(dir, listener));
    } catch (OutOfMemoryError e) {
      // The reader's limits keep memory to sites and report points; this is the last guard.
      throw new RecordingException(
          dir,
          0,
          "does not fit in this analyzer's heap ("
              + Runtime.getRuntime().maxMemory() / (1 << 20)
              + " MiB): give it more (JAVA_TOOL_OPTIONS=-Xmx...) or narrow the input to the lines"
              + " of fewer sites");
    } finally {
      bar.clear();
    }
  }
}
