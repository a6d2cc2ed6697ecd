package io.tombscope.analyzer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.tombscope.analyzer.read.IntervalReader;
import io.tombscope.analyzer.read.Meta;
import io.tombscope.analyzer.read.RecordingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM's recording, read on its own thread into a small queue of intervals already turned into
 * numbers ({@link KeyTable}) and placed in the merge's windows: the parsing and decoding of all
 * inputs runs in parallel, and the merge itself only adds.
 */
final class FleetInput {
  /** Intervals read ahead per input: what bounds the memory of the reading threads. */
  private static final int QUEUE = 4;

  /**
   * A line of an interval, numbers extracted.
   *
   * @param node the JSON line; of a compact {@code deleteSite} line, its stack's declaration
   * @param stackKey of a {@code deleteSite} line, what names its stack ({@link
   *     IntervalReader#stackKey}); else null
   */
  record Entry(
      String type, long line, int site, JsonNode node, String stackKey, KeyTable.Numbers numbers) {}

  /**
   * An interval of this input, placed: {@code window} of the merge, and its end in ms since the
   * merge's origin; {@code file} holds its lines.
   */
  record Step(
      Path file,
      long window,
      long end,
      boolean complete,
      KeyTable.Numbers agent,
      int agentJvms,
      List<Entry> entries,
      List<JsonNode> releases,
      List<IntervalReader.TaggedHistogram> histograms) {}

  private static final Step END =
      new Step(null, Long.MAX_VALUE, 0, false, null, 0, null, null, null);

  final int index;
  final IntervalReader reader;
  final Meta meta;
  private final long offsetMs;
  private final long windowMs;
  private final KeyTable keys;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
  final AtomicLong bytesRead = new AtomicLong();
  private Thread thread;
  private Object head;

  /**
   * @param offsetMs this recording's start minus the merge's origin
   */
  FleetInput(int index, IntervalReader reader, long offsetMs, long windowMs, KeyTable keys) {
    this.index = index;
    this.reader = reader;
    this.meta = reader.meta();
    this.offsetMs = offsetMs;
    this.windowMs = windowMs;
    this.keys = keys;
  }

  void start() {
    thread = new Thread(this::run, "tombscope-merge-" + index);
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    try {
      for (IntervalReader.Interval i; (i = reader.next()) != null; ) {
        queue.put(step(i));
        bytesRead.set(reader.bytesRead());
      }
      bytesRead.set(reader.bytesRead());
      queue.put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RecordingException | RuntimeException e) {
      try {
        queue.put(e);
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The window an interval that ended at {@code endMs} (since the origin) falls in. */
  static long window(long endMs, long windowMs) {
    return endMs <= 0 ? 0 : (endMs + windowMs - 1) / windowMs;
  }

  private Step step(IntervalReader.Interval i) {
    long end = i.t() + offsetMs;
    List<Entry> entries = new ArrayList<>(i.lines().size() + i.compact().size());
    for (IntervalReader.Line l : i.lines()) {
      JsonNode n = l.node();
      String type = n.path("type").asText();
      int site = n.path("site").asInt(-1);
      KeyTable.Numbers numbers =
          switch (type) {
            case "counters", "gauge", "deleteSite", "untracked" -> keys.numbers(n);
            default -> null;
          };
      String stack = type.equals("deleteSite") ? IntervalReader.stackKey(n) : null;
      entries.add(new Entry(type, l.number(), site, n, stack, numbers));
    }
    for (IntervalReader.Compact c : i.compact()) {
      IntervalReader.Stack stack = c.stack();
      entries.add(
          new Entry(
              c.type(),
              c.number(),
              c.site(),
              stack == null ? null : stack.declaration(),
              stack == null ? null : stack.key(),
              keys.numbers(c.keys(), c.values())));
    }
    List<JsonNode> releases = new ArrayList<>();
    for (IntervalReader.Line r : i.releases()) {
      releases.add(r.node());
    }
    KeyTable.Numbers agent = null;
    int agentJvms = 0;
    if (i.agent() != null) {
      agent = keys.numbers(i.agent().node());
      JsonNode jvms = i.agent().node().path("jvms");
      agentJvms = jvms.canConvertToInt() && jvms.asInt() >= 0 ? jvms.asInt() : 1;
    }
    return new Step(
        i.file(),
        window(end, windowMs),
        end,
        i.agent() != null,
        agent,
        agentJvms,
        entries,
        releases,
        i.histograms());
  }

  /** The next step without taking it: null at the end. Rethrows the reading thread's failure. */
  Step peek() throws RecordingException, InterruptedException {
    if (head == null) {
      head = queue.take();
    }
    if (head instanceof RecordingException e) {
      throw e;
    }
    if (head instanceof RuntimeException e) {
      throw e;
    }
    return head == END ? null : (Step) head;
  }

  /** Takes the step {@link #peek} returned. */
  void take() {
    head = null;
  }

  long offsetMs() {
    return offsetMs;
  }
}
