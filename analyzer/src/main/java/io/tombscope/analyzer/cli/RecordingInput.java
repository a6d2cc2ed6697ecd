package io.tombscope.analyzer.cli;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.merge.FleetMerge;
import io.tombscope.analyzer.read.ReadListener;
import io.tombscope.analyzer.read.RecordingException;
import io.tombscope.analyzer.read.RecordingReader;
import io.tombscope.analyzer.read.TimeRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Reads and analyses a recording, with warnings and (on a terminal) a progress bar on stderr. */
final class RecordingInput {
  private RecordingInput() {}

  static Analysis analyze(Path dir, PrintWriter err) throws RecordingException {
    return analyze(dir, err, TimeRange.ALL);
  }

  /** Reads and analyses the part of the recording in {@code dir} that {@code range} names. */
  static Analysis analyze(Path dir, PrintWriter err, TimeRange range) throws RecordingException {
    ProgressBar bar = new ProgressBar(err, "reading " + dir, System.console() != null);
    try {
      return Analyzer.analyze(RecordingReader.read(dir, listener(bar, err), range));
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

  /**
   * Reads and analyses {@code paths}: one recording as it is; several recordings, or a directory of
   * them, merged first into a temporary directory ({@link FleetMerge}) that is deleted after.
   */
  static Analysis analyze(List<Path> paths, PrintWriter err)
      throws RecordingException, IOException, InterruptedException {
    return analyze(paths, err, TimeRange.ALL);
  }

  /** As {@link #analyze(List, PrintWriter)}, reading only {@code range} of the recording. */
  static Analysis analyze(List<Path> paths, PrintWriter err, TimeRange range)
      throws RecordingException, IOException, InterruptedException {
    List<Path> recordings = recordings(paths);
    if (recordings.size() == 1) {
      return analyze(recordings.get(0), err, range);
    }
    Path temp = Files.createTempDirectory("tombscope-merge-");
    Path merged = temp.resolve("fleet");
    ProgressBar bar =
        new ProgressBar(
            err, "merging " + recordings.size() + " recordings", System.console() != null);
    try {
      try {
        FleetMerge.merge(recordings, merged, listener(bar, err));
      } finally {
        bar.clear();
      }
      return analyze(merged, err, range);
    } finally {
      // The report reads the merge's fleet.jsonl after the analysis: gone when the command ends.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(temp)));
    }
  }

  /**
   * The recordings {@code paths} name: each one that holds a {@code meta.json}, or else the
   * subdirectories of it that do, in name order.
   */
  static List<Path> recordings(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.isDirectory(p) || Files.exists(p.resolve("meta.json"))) {
        out.add(p);
        continue;
      }
      List<Path> inside;
      try (Stream<Path> s = Files.list(p)) {
        inside =
            s.filter(d -> Files.isRegularFile(d.resolve("meta.json")))
                .sorted(Comparator.comparing(Path::toString))
                .toList();
      }
      // A directory with no recordings in it is read as one, whose reader names what is missing.
      out.addAll(inside.isEmpty() ? List.of(p) : inside);
    }
    return out;
  }

  static ReadListener listener(ProgressBar bar, PrintWriter err) {
    return new ReadListener() {
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
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory: the system cleans it eventually.
    }
  }
}
