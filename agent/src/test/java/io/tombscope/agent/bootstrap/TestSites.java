package io.tombscope.agent.bootstrap;

import java.util.List;

/** Sites for tests of the flusher's consumers, without constructing maps. */
public final class TestSites {
  private TestSites() {}

  /** A site with {@code id}, of {@code family} (null for BucketHashMap), built at {@code frame}. */
  public static Site site(int id, String family, String frame) {
    return new Site(
        id, "x.Map", family, 1, family == null ? null : Site.SAMPLED, List.of(frame), null, 0L);
  }

  /** Probe lengths that counted each of {@code lengths} once, as a map's deletes would. */
  public static ProbeLengths probeLengths(int... lengths) {
    ProbeLengths p = new ProbeLengths();
    for (int length : lengths) {
      p.record(length);
    }
    return p;
  }
}
