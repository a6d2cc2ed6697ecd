package io.tombscope.agent;

import io.tombscope.agent.release.ReleaseTrigger;
import io.tombscope.agent.tooling.AgentStarter;

/**
 * The agent's public API for programs that run with it: trigger a memory release yourself, for
 * example right after a batch job drains its maps. With {@code -javaagent} the agent jar is on the
 * class path, so a program can call this directly (compile against the agent jar with {@code
 * provided} scope) or reflectively.
 *
 * <pre>{@code
 * if (Tombscope.isRunning()) {
 *   System.out.print(Tombscope.release()); // before/after table
 * }
 * }</pre>
 */
public final class Tombscope {
  private Tombscope() {}

  /** True when the agent was started in this JVM. */
  public static boolean isRunning() {
    return AgentStarter.releaseTrigger() != null;
  }

  /**
   * Waits up to {@code millis} until the agent has instrumented the classes that were loaded before
   * it started, the JDK's maps among them. The agent does that in the background so that the
   * program starts at once; a JDK map constructed before then is not tracked. Returns false if the
   * agent is not running or the time ran out.
   */
  public static boolean awaitInstrumented(long millis) throws InterruptedException {
    return AgentStarter.awaitInstrumented(millis);
  }

  /**
   * Runs a memory release (trigger {@code api}) and returns its before/after table. Maps
   * constructed by the calling thread are compacted at once, on this thread; others at their next
   * write, in the thread that writes them.
   *
   * <p><b>The rule:</b> call it only where no other thread can be using the maps this thread
   * constructed, for example at the end of a batch job that built and drained its own maps. {@code
   * BucketHashMap} is not thread-safe, and the compaction is a write that holds none of the
   * program's locks: a map this thread built and shared with other threads must not be read or
   * written by them during the call. A map in the middle of a write when the release reaches it
   * (its concurrent-write flag is set, as when a key's {@code equals} asks for the release) is left
   * for its next write instead. That flag cannot make sharing safe: it is a plain field, read
   * without a lock, so a write another thread starts just after the check races with the trim, and
   * one that sees the trim's flag fails with the map's {@code ConcurrentModificationException}.
   *
   * @throws IllegalStateException if the agent is not running in this JVM
   */
  public static String release() {
    ReleaseTrigger trigger = AgentStarter.releaseTrigger();
    if (trigger == null) {
      throw new IllegalStateException("the Tombscope agent is not running in this JVM");
    }
    return trigger.release("api").table();
  }
}
