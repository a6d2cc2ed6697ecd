package io.tombscope.analyzer.findings;

import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.Analyzer;
import io.tombscope.analyzer.fixture.RecordingFixture;
import io.tombscope.analyzer.read.RecordingReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A recording of one site over one 10 s interval, analyzed: the fixture of family rule tests. */
final class SingleSite {
  private SingleSite() {}

  /**
   * {@code gauge} = {maps, size, slots, tombstones, estimatedBytes, trimmedBytes}; {@code grows} =
   * cause, count, nanos each; {@code counters} = alternating key, value.
   */
  static Analysis analyze(
      Path dir, String siteLine, long[] gauge, List<Object[]> grows, Object... counters)
      throws Exception {
    RecordingFixture f = new RecordingFixture(dir).siteLine(siteLine).count(1, "mapsCreated", 1);
    for (int i = 0; i < counters.length; i += 2) {
      f.count(1, (String) counters[i], ((Number) counters[i + 1]).longValue());
    }
    for (Object[] g : grows) {
      for (int i = 0; i < (Integer) g[1]; i++) {
        f.grow(1, (String) g[0], (Long) g[2]);
      }
    }
    f.interval(10_000, Map.of(1, gauge));
    return Analyzer.analyze(RecordingReader.read(f.end().write()));
  }

  /** The findings of one kind. */
  static List<Finding> kind(Analysis a, String kind) {
    return a.findings().stream().filter(f -> f.kind().equals(kind)).toList();
  }
}
