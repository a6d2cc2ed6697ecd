package io.tombscope.benchmarks.analyzer;

import io.tombscope.benchmarks.Arguments;
import io.tombscope.benchmarks.jvm.BuiltJar;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;

/**
 * How fast the analyzer reads a recording's histogram log, against HdrHistogram's own {@code
 * HistogramLogProcessor} on the same file, in one JVM and one run (target: the analyzer at least as
 * fast, ratio at most 1).
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar io.tombscope.benchmarks.analyzer.LogReadSpeed \
 *     [SITES [INTERVALS [ROUNDS]]]</pre>
 *
 * <p>The recording ({@link SyntheticRecording}, default 200 sites × 300 one-second intervals) has
 * its events only at the end, so the histogram log is nearly all there is to read. Three readers
 * take turns, one warm-up round then {@code ROUNDS} (default 5) measured rounds, and the median
 * time of each is reported:
 *
 * <ol>
 *   <li>the analyzer: {@code io.tombscope.analyzer.read.RecordingReader.read(Path)} of the shipped
 *       {@code analyzer/target/tombscope.jar} (or {@code -Dtombscope.analyzer.jar}), loaded in a
 *       class loader of its own so that its dependencies are exactly the ones it ships with;
 *   <li>{@code HistogramLogProcessor -i histograms.hlog -o FILE -tag deleteLatency/1}: it decodes
 *       every histogram line and keeps the ones of its tag (its {@code -alltags} mode fails with a
 *       {@code NullPointerException} in HdrHistogram 2.2.2 on a log whose every line is tagged);
 *   <li>a bare {@code HistogramLogReader} loop that decodes every line and does nothing else: the
 *       floor for any reader built on HdrHistogram.
 * </ol>
 */
public final class LogReadSpeed {
  static final String READER_CLASS = "io.tombscope.analyzer.read.RecordingReader";
  static final String TAG = "deleteLatency/1";

  private LogReadSpeed() {}

  /** One way of reading the recording, timed as a whole. */
  interface Reader {
    void read() throws Throwable;
  }

  public static void main(String[] args) throws Throwable {
    int sites;
    int intervals;
    int rounds;
    Path jar;
    try {
      if (args.length > 3) {
        throw new IllegalArgumentException("usage: LogReadSpeed [SITES [INTERVALS [ROUNDS]]]");
      }
      sites = args.length > 0 ? Arguments.positiveInt(args[0], "SITES") : 200;
      intervals = args.length > 1 ? Arguments.positiveInt(args[1], "INTERVALS") : 300;
      rounds = args.length > 2 ? Arguments.positiveInt(args[2], "ROUNDS") : 5;
      jar = BuiltJar.analyzer();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("LogReadSpeed: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path dir = Files.createTempDirectory("tombscope-read-");
    Path recording = dir.resolve("recording");
    SyntheticRecording.Totals totals =
        new SyntheticRecording(sites, intervals, 1_000, false, 1).writeTo(recording);
    Path hlog = recording.resolve("histograms.hlog");
    System.out.printf(
        Locale.ROOT,
        "histograms.hlog: %,d histogram lines, %.1f MiB (%,d sites x %,d intervals)%n",
        totals.histogramLines(),
        Files.size(hlog) / (1024.0 * 1024.0),
        sites,
        intervals);

    MethodHandle analyzerRead = analyzerReader(jar);
    Path processorOut = dir.resolve("processor-out");
    Map<String, Reader> readers = new LinkedHashMap<>();
    readers.put("analyzer RecordingReader.read", () -> analyzerRead.invoke(recording));
    readers.put(
        "HistogramLogProcessor -tag " + TAG,
        () ->
            new HistogramLogProcessor(
                    new String[] {
                      "-i", hlog.toString(), "-o", processorOut.toString(), "-tag", TAG
                    })
                .run());
    readers.put("HistogramLogReader, decode only", () -> decodeAll(hlog, totals.histogramLines()));

    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    readers.keySet().forEach(k -> seconds.put(k, new ArrayList<>()));
    for (int round = 0; round <= rounds; round++) {
      for (Map.Entry<String, Reader> r : readers.entrySet()) {
        System.gc();
        long start = System.nanoTime();
        r.getValue().read();
        double s = (System.nanoTime() - start) / 1e9;
        if (round > 0) {
          seconds.get(r.getKey()).add(s);
        }
      }
    }

    double analyzer = median(seconds.get("analyzer RecordingReader.read"));
    double processor = median(seconds.get("HistogramLogProcessor -tag " + TAG));
    System.out.printf(
        Locale.ROOT, "%-44s %10s %16s %22s%n", "reader", "median s", "lines per s", "rounds (s)");
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      double m = median(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "%-44s %10.3f %,16.0f %22s%n",
          e.getKey(),
          m,
          totals.histogramLines() / m,
          e.getValue().stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList());
    }
    SyntheticRecording.delete(recording);
    Files.deleteIfExists(processorOut);
    Files.deleteIfExists(Path.of(processorOut + ".hgrm"));
    Files.deleteIfExists(dir);
    double ratio = analyzer / processor;
    System.out.printf(
        Locale.ROOT,
        "ratio analyzer / HistogramLogProcessor = %.2f (target <= 1.00: %s)%n",
        ratio,
        ratio <= 1.0 ? "met" : "MISSED");
  }

  /**
   * {@code RecordingReader.read(Path)} of the analyzer jar, in a class loader whose parent is the
   * platform loader, so that none of this module's classes stand in for the analyzer's.
   */
  static MethodHandle analyzerReader(Path jar) throws ReflectiveOperationException, IOException {
    URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    Class<?> type;
    try {
      type = Class.forName(READER_CLASS, true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(jar + " has no " + READER_CLASS, e);
    }
    var method = type.getMethod("read", Path.class);
    MethodHandle handle;
    if (Modifier.isStatic(method.getModifiers())) {
      handle = MethodHandles.publicLookup().unreflect(method);
    } else {
      Object instance = type.getConstructor().newInstance();
      handle = MethodHandles.publicLookup().unreflect(method).bindTo(instance);
    }
    return handle.asType(MethodType.methodType(Object.class, Path.class));
  }

  /** Decodes every histogram of {@code hlog}; fails if it holds other than {@code lines}. */
  static void decodeAll(Path hlog, long lines) throws IOException {
    long count = 0;
    HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
    try {
      for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
        count++;
      }
    } finally {
      reader.close();
    }
    if (count != lines) {
      throw new IllegalStateException(hlog + " held " + count + " histograms, expected " + lines);
    }
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
