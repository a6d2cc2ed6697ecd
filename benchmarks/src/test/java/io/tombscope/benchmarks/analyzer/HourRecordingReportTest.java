package io.tombscope.benchmarks.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HourRecordingReportTest {
  private static final SyntheticRecording.Totals TOTALS =
      new SyntheticRecording.Totals(2, 10, 900, 100, 3, 40, 70, 0, 0, 0);

  @TempDir Path dir;

  private List<String> check(String json) throws IOException {
    Path file = dir.resolve("summary.json");
    Files.writeString(file, json);
    return HourRecordingReport.checkTotals(file, TOTALS);
  }

  @Test
  void agreeingSummaryHasNoProblems() throws IOException {
    assertEquals(
        List.of(),
        check(
            "{\"totals\":{\"deletes\":1000,\"deleteHits\":900,\"deleteMisses\":100,"
                + "\"sameSizeGrows\":3,\"evacuatedBuckets\":40,\"tombstonesReclaimed\":70},"
                + "\"sites\":[{},{}]}"));
  }

  @Test
  void eachDisagreementIsNamed() throws IOException {
    List<String> problems =
        check(
            "{\"totals\":{\"deletes\":1000,\"deleteHits\":899,\"deleteMisses\":100,"
                + "\"sameSizeGrows\":\"3\",\"evacuatedBuckets\":40,\"tombstonesReclaimed\":70},"
                + "\"sites\":[{}]}");
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("totals.deleteHits is 899"), problems.get(0));
    assertTrue(problems.get(1).contains("no number at totals.sameSizeGrows"), problems.get(1));
    assertTrue(problems.get(2).contains("sites is 1"), problems.get(2));
  }

  @Test
  void summaryThatIsNotJsonIsOneProblem() throws IOException {
    List<String> problems = check("tombscope: rec/events.jsonl:3: expected ','");
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("is not JSON"), problems.get(0));
  }
}
