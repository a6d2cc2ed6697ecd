package io.tombscope.agent.it;

import io.tombscope.map.BucketHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A map whose keys' hashCode() starts to throw while a release asks it to compact: the compaction
 * fails inside the map's own thread, which must see nothing of it. The program only ever looks up a
 * key that never throws. Prints {@code RELEASE {json}}, then {@code MAP unchanged=.. lost=..
 * errors=..}, where {@code errors} counts exceptions the program's own calls saw.
 */
public final class FailingCompactionProgram {
  /** Keys 0 and up throw from hashCode() while {@link #FAIL} is set; key -1 never does. */
  static final AtomicBoolean FAIL = new AtomicBoolean();

  record Key(int id) {
    @Override
    public int hashCode() {
      if (id >= 0 && FAIL.get()) {
        throw new IllegalStateException("hashCode of key " + id + " failed");
      }
      return Integer.hashCode(id);
    }
  }

  private FailingCompactionProgram() {}

  public static void main(String[] args) throws Exception {
    int loaded = Integer.parseInt(args[0]);
    CountDownLatch drained = new CountDownLatch(1);
    AtomicBoolean released = new AtomicBoolean();
    long[] result = new long[3];
    Thread owner =
        new Thread(
            () -> {
              BucketHashMap<Key, Integer> map = new BucketHashMap<>();
              for (int i = 0; i < loaded; i++) {
                map.put(new Key(i), i);
              }
              for (int i = 0; i < loaded; i++) {
                if (i % 10 != 0) {
                  map.remove(new Key(i));
                }
              }
              BucketHashMap.Stats before = map.stats();
              drained.countDown();
              long errors = 0;
              while (!released.get()) {
                try {
                  map.remove(new Key(-1)); // a write: it answers the request, which fails
                } catch (RuntimeException e) {
                  errors++;
                }
                Thread.onSpinWait();
              }
              FAIL.set(false);
              long lost = 0;
              for (int i = 0; i < loaded; i++) {
                if (map.containsKey(new Key(i)) != (i % 10 == 0)) {
                  lost++;
                }
              }
              result[0] = before.equals(map.stats()) ? 1 : 0;
              result[1] = lost;
              result[2] = errors;
            });
    owner.start();
    drained.await();
    FAIL.set(true);
    String event = JmxRelease.releaseAsJson("api");
    released.set(true);
    owner.join();
    System.out.println("RELEASE " + event);
    System.out.println(
        "MAP unchanged=" + (result[0] == 1) + " lost=" + result[1] + " errors=" + result[2]);
  }
}
