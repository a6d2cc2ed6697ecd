package io.tombscope.analyzer.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.tombscope.analyzer.read.IntervalReader;
import io.tombscope.analyzer.read.Meta;
import io.tombscope.analyzer.read.RecordingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One JVM's recording, read on its own thread into a small queue of intervals already turned into
 * numbers ({@link KeyTable}) and placed in the merge's windows: the parsing and decoding of all
 * inputs runs in parallel, and the merge itself only adds.
 */
final class FleetInput {
  /**
   * Intervals handed over at once, and batches read ahead per input: what bounds the memory of the
   * reading threads. A batch wakes a reading thread once per few windows, not once per window.
   */
  private static final int BATCH = 4;

  private static final int QUEUE = 2;

  /** The most sets of columns whose indexes are kept: a few per segment are in use. */
  private static final int MAX_COLUMN_SETS = 4096;

  /** A compact line's columns: their keys' indexes, and which columns they keep. */
  private record Columns(int[] indexes, boolean[] kept) {}

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
      StepLines lines,
      List<JsonNode> grows,
      List<JsonNode> releases,
      List<IntervalReader.TaggedHistogram> histograms) {}

  private static final Step END =
      new Step(null, Long.MAX_VALUE, 0, false, null, 0, null, null, null, null);

  final int index;
  final IntervalReader reader;
  final Meta meta;
  private final long offsetMs;
  private final long windowMs;
  private final KeyTable keys;

  /** Batches of steps ({@code List<Step>}), then {@link #END} or the failure that ended them. */
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE + 2);

  final AtomicLong bytesRead = new AtomicLong();
  private Thread thread;
  private Object head;
  private List<Step> batch = List.of();
  private int next;

  /** Each segment's sets of columns are one list each: their indexes, found by identity. */
  private final Map<List<String>, Columns> columnIndexes = new IdentityHashMap<>();

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
    List<Step> steps = new ArrayList<>(BATCH);
    try {
      try {
        for (IntervalReader.Interval i; (i = reader.next()) != null; ) {
          steps.add(step(i));
          if (steps.size() == BATCH) {
            queue.put(steps);
            steps = new ArrayList<>(BATCH);
            bytesRead.set(reader.bytesRead());
          }
        }
        bytesRead.set(reader.bytesRead());
        queue.put(steps);
        queue.put(END);
      } catch (RecordingException | RuntimeException e) {
        queue.put(steps);
        queue.put(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The window an interval that ended at {@code endMs} (since the origin) falls in. */
  static long window(long endMs, long windowMs) {
    return endMs <= 0 ? 0 : (endMs + windowMs - 1) / windowMs;
  }

  private Step step(IntervalReader.Interval i) {
    long end = i.t() + offsetMs;
    StepLines lines = new StepLines(i.lines().size() + i.compact().size());
    List<JsonNode> grows = new ArrayList<>();
    for (IntervalReader.Line l : i.lines()) {
      JsonNode n = l.node();
      String type = n.path("type").asText();
      byte kind =
          switch (type) {
            case "counters" -> StepLines.COUNTERS;
            case "gauge" -> StepLines.GAUGE;
            case "deleteSite" -> StepLines.DELETE_SITE;
            case "untracked" -> StepLines.UNTRACKED;
            default -> -1;
          };
      if (kind < 0) {
        grows.add(n);
        continue;
      }
      KeyTable.Numbers numbers = keys.numbers(n);
      lines.add(
          kind,
          n.path("site").asInt(-1),
          l.number(),
          numbers.keys(),
          numbers.values(),
          null,
          kind == StepLines.DELETE_SITE ? IntervalReader.stackKey(n) : null,
          n);
    }
    for (IntervalReader.Compact c : i.compact()) {
      IntervalReader.Stack stack = c.stack();
      Columns columns = columns(c.keys());
      lines.add(
          switch (c.type()) {
            case "counters" -> StepLines.COUNTERS;
            case "gauge" -> StepLines.GAUGE;
            default -> StepLines.DELETE_SITE;
          },
          c.site(),
          c.number(),
          columns.indexes(),
          c.values(),
          columns.kept(),
          stack == null ? null : stack.key(),
          stack == null ? null : stack.declaration());
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
        lines,
        grows,
        releases,
        i.histograms());
  }

  /** A compact line's columns, their keys' indexes looked up once per set of columns. */
  private Columns columns(List<String> names) {
    Columns c = columnIndexes.get(names);
    if (c == null) {
      if (columnIndexes.size() >= MAX_COLUMN_SETS) {
        columnIndexes.clear();
      }
      int[] indexes = keys.indexes(names);
      boolean[] kept = null;
      if (indexes.length < names.size()) {
        kept = new boolean[names.size()];
        for (int i = 0; i < kept.length; i++) {
          kept[i] = !KeyTable.NOT_SUMMED.contains(names.get(i));
        }
      }
      c = new Columns(indexes, kept);
      columnIndexes.put(names, c);
    }
    return c;
  }

  /** The next step without taking it: null at the end. Rethrows the reading thread's failure. */
  @SuppressWarnings("unchecked")
  Step peek() throws RecordingException, InterruptedException {
    while (head == null) {
      if (next < batch.size()) {
        head = batch.get(next);
        break;
      }
      Object o = queue.take();
      if (o instanceof List<?> steps) {
        batch = (List<Step>) steps;
        next = 0;
      } else {
        head = o;
      }
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
    if (head instanceof Step && head != END) {
      next++;
    }
    head = null;
  }

  long offsetMs() {
    return offsetMs;
  }
}
