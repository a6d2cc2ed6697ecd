package io.tombscope.agent.it;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A release asked for by the main thread over three maps of three owners: the main thread's own, a
 * writer's that keeps writing until the release is over, and an idle thread's that nobody touches
 * during it.
 */
final class OwnedMapsRelease {
  private OwnedMapsRelease() {}

  /** The release event as JSON, and the three maps. */
  record Outcome<M>(String event, M own, M writer, M idle) {}

  /**
   * Builds each map in its owner's thread with {@code build}; the writer calls {@code write} on its
   * map every {@code pauseMillis} until the release has returned.
   */
  static <M> Outcome<M> run(Supplier<M> build, Consumer<M> write, long pauseMillis)
      throws Exception {
    M own = build.get();
    AtomicReference<M> writerMap = new AtomicReference<>();
    AtomicReference<M> idleMap = new AtomicReference<>();
    CountDownLatch built = new CountDownLatch(2);
    CountDownLatch released = new CountDownLatch(1);
    Thread writer =
        new Thread(
            () -> {
              writerMap.set(build.get());
              built.countDown();
              try {
                while (!released.await(pauseMillis, TimeUnit.MILLISECONDS)) {
                  write.accept(writerMap.get());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Thread idle =
        new Thread(
            () -> {
              idleMap.set(build.get());
              built.countDown();
              try {
                released.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    writer.start();
    idle.start();
    built.await();
    String event = JmxRelease.releaseAsJson("api");
    released.countDown();
    writer.join();
    idle.join();
    return new Outcome<>(event, own, writerMap.get(), idleMap.get());
  }
}
