package io.tombscope.demo.scenarios;

import io.tombscope.demo.GroundTruth;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

/**
 * A session table on a third-party map, Eclipse Collections' {@code LongObjectHashMap}: a fixed
 * number of live sessions, the oldest expires whenever a new one starts, and one expiry in eight
 * fires a second time for a session already gone (a miss). Every remove leaves a {@code
 * REMOVED_KEY} sentinel in the table until entries and sentinels pass half of it and the library
 * rebuilds it at the same capacity. The ground truth adds the map's own sentinel count, capacity
 * and rebuilds, read from its fields.
 */
public final class EclipseSessions extends Scenario {
  public EclipseSessions(int size, long seed, PrintStream out) {
    super(size, seed, out);
  }

  @Override
  public String name() {
    return "ec-sessions";
  }

  private static LongObjectHashMap<String> sessionTable() {
    return new LongObjectHashMap<>();
  }

  @Override
  public List<GroundTruth> run(Duration budget) {
    Counter c = new Counter();
    long start = System.nanoTime();
    LongObjectHashMap<String> sessions = sessionTable();
    c.maps++;
    Table table = new Table(sessions);
    long first = 2; // keys 0 and 1 are the library's sentinels, kept beside the table
    long next = first;
    for (; next < first + size; next++) {
      sessions.put(next, "session-" + next);
      c.inserts++;
      table.written();
    }
    long deadline = deadline(budget.toNanos());
    long steps = 0;
    while (more(steps, -1, deadline)) {
      c.delete(sessions.removeKey(next - size) != null);
      if (steps % 8 == 0) {
        c.delete(sessions.removeKey(next - size) != null); // the expiry timer fires twice
      }
      sessions.put(next, "session-" + next);
      c.inserts++;
      table.written();
      next++;
      steps++;
    }
    long nanos = System.nanoTime() - start;
    progress(
        "LongObjectHashMap: %,d sessions turned over at %,d live: %,d slots, %,d sentinels,"
            + " %,d rebuilds at the same capacity",
        c.deleteHits, size, table.capacity(), table.sentinels(), table.sameSizeRehashes);
    return List.of(
        truth(
                LongObjectHashMap.class.getName(),
                method(EclipseSessions.class, "sessionTable"),
                c,
                sessions.size(),
                null,
                nanos)
            .put("tombstones", table.sentinels())
            .put("slots", table.capacity())
            .put("grows", table.grows)
            .put("sameSizeGrows", table.sameSizeRehashes));
  }

  /** The map's own state, read from its fields: sentinels, table length, rebuilds seen. */
  private static final class Table {
    private final Object map;
    private final Field sentinels;
    private final Field keys;
    private Object lastKeys;
    long grows;
    long sameSizeRehashes;

    Table(Object map) {
      this.map = map;
      try {
        sentinels = map.getClass().getDeclaredField("occupiedWithSentinels");
        keys = map.getClass().getDeclaredField("keys");
        sentinels.setAccessible(true);
        keys.setAccessible(true);
        lastKeys = keys.get(map);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("not the LongObjectHashMap this demo knows", e);
      }
    }

    /** A put returned: a new table array is a rebuild, counted by how its length moved. */
    void written() {
      Object now = read(keys);
      if (now != lastKeys) {
        if (((long[]) now).length > ((long[]) lastKeys).length) {
          grows++;
        } else {
          sameSizeRehashes++;
        }
        lastKeys = now;
      }
    }

    long sentinels() {
      return (Integer) read(sentinels);
    }

    long capacity() {
      return ((long[]) read(keys)).length;
    }

    private Object read(Field f) {
      try {
        return f.get(map);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
