package io.tombscope.agent.bootstrap;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/** The JDK map families, by name (as the recording writes them) and by a small index. */
public final class Family {
  public static final int HASHMAP = 0;
  public static final int CONCURRENT = 1;
  public static final int WEAK = 2;
  public static final int THREADLOCAL = 3;
  public static final int IDENTITY = 4;

  /** Names by index, as {@code family} in the recording. */
  public static final List<String> NAMES =
      List.of(
          JdkProbes.HASHMAP,
          JdkProbes.CONCURRENT,
          JdkProbes.WEAK,
          JdkProbes.THREADLOCAL,
          JdkProbes.IDENTITY);

  private Family() {}

  /**
   * The family of a woven map: ThreadLocal's map is the one woven class that is no Map, so anything
   * else that reaches here (a Map that inherits the woven default {@code remove(key, value)}) is
   * -1.
   */
  static int of(Object map) {
    if (map instanceof java.util.HashMap) {
      return HASHMAP;
    } else if (map instanceof ConcurrentHashMap) {
      return CONCURRENT;
    } else if (map instanceof WeakHashMap) {
      return WEAK;
    } else if (map instanceof IdentityHashMap) {
      return IDENTITY;
    } else if (map instanceof java.util.Map) {
      return -1;
    }
    return THREADLOCAL;
  }

  /** The index of a family name, or -1 (BucketHashMap's null included). */
  static int indexOf(String name) {
    return name == null ? -1 : NAMES.indexOf(name);
  }
}
