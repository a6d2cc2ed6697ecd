package io.tombscope.agent.release;

import io.tombscope.agent.recording.Json;
import java.util.Locale;

/**
 * One memory release: memory before and after, what went down, and how the compaction went.
 *
 * @param trigger what asked for it: {@code exit}, {@code period}, {@code jmx}, {@code attach} or
 *     {@code api}
 * @param mapsCompacted maps rebuilt by {@code trim()} during the release window
 * @param mapsPending maps asked to compact that no thread touched within the window; each compacts
 *     at its next write
 * @param pendingBytes bytes those pending maps could still give back (estimated)
 * @param gcCount full collections run
 * @param durationMs wall time of the whole release
 */
public record ReleaseResult(
    String trigger,
    MemorySnapshot before,
    MemorySnapshot after,
    int mapsCompacted,
    int mapsPending,
    long pendingBytes,
    int gcCount,
    long durationMs) {

  public MemorySnapshot released() {
    return before.minus(after);
  }

  /** The event line of the recording (see docs/recording-format.md). */
  public Json toEvent(long t) {
    return Json.object()
        .put("type", "release")
        .put("t", t)
        .put("trigger", trigger)
        .put("before", before.toJson())
        .put("after", after.toJson())
        .put("released", released().toJson())
        .put("mapsCompacted", mapsCompacted)
        .put("mapsPending", mapsPending)
        .put("pendingBytes", pendingBytes)
        .put("gcCount", gcCount)
        .put("durationMs", durationMs);
  }

  /** A before/after table for people: JMX, {@code tombscope release PID}, the API. */
  public String table() {
    MemorySnapshot r = released();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(Locale.ROOT, "%-16s %14s %14s %14s%n", "", "before", "after", "released"));
    row(out, "heap used", before.heapUsedBytes(), after.heapUsedBytes(), r.heapUsedBytes(), true);
    row(
        out,
        "heap committed",
        before.heapCommittedBytes(),
        after.heapCommittedBytes(),
        r.heapCommittedBytes(),
        true);
    row(out, "process RSS", before.rssBytes(), after.rssBytes(), r.rssBytes(), true);
    row(out, "map bytes", before.mapBytes(), after.mapBytes(), r.mapBytes(), true);
    row(out, "tombstones", before.tombstones(), after.tombstones(), r.tombstones(), false);
    out.append(
        String.format(
            Locale.ROOT,
            "%d maps compacted, %d pending (%s still reclaimable at their next write), %d GCs,"
                + " %d ms (trigger: %s)%n",
            mapsCompacted,
            mapsPending,
            bytes(pendingBytes),
            gcCount,
            durationMs,
            trigger));
    return out.toString();
  }

  private static void row(
      StringBuilder out, String label, long b, long a, long r, boolean isBytes) {
    out.append(
        String.format(
            Locale.ROOT,
            "%-16s %14s %14s %14s%n",
            label,
            isBytes ? bytes(b) : Long.toString(b),
            isBytes ? bytes(a) : Long.toString(a),
            isBytes ? bytes(r) : Long.toString(r)));
  }

  static String bytes(long n) {
    if (n == -1) {
      return "n/a";
    }
    long abs = Math.abs(n);
    if (abs < 1024) {
      return n + " B";
    }
    if (abs < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
    }
    if (abs < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0);
    }
    return String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
  }
}
