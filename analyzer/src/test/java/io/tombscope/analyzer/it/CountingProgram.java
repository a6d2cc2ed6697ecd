package io.tombscope.analyzer.it;

import io.tombscope.map.BucketHashMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Deletes from one {@code BucketHashMap} in batches forever, and after each batch appends to the
 * file {@code args[0]} a line {@code <epoch ms> <deletes so far>}: its own count, to hold a
 * recording cut by {@code kill -9} to. With {@code args[1]}, it stops after that many deletes and
 * waits to be killed.
 */
public final class CountingProgram {
  static final int BATCH = 10_000;

  public static void main(String[] args) throws Exception {
    Path log = Path.of(args[0]);
    long stopAt = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
    BucketHashMap<Integer, Integer> map = new BucketHashMap<>();
    long deletes = 0;
    while (deletes < stopAt) {
      for (int i = 0; i < BATCH; i++) {
        map.put(i, i);
      }
      for (int i = 0; i < BATCH; i++) {
        map.remove(i);
      }
      deletes += BATCH;
      Files.writeString(
          log,
          System.currentTimeMillis() + " " + deletes + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
