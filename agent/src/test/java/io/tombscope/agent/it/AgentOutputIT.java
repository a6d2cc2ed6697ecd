package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent says on stderr, and what its options cost. */
class AgentOutputIT {
  @TempDir Path tmp;

  @Test
  void theAgentSaysWhereItRecordsInOneLine() throws Exception {
    ForkedJvm run = ForkedJvm.run("out=" + tmp.resolve("rec-%pid"), RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    List<String> lines = withoutSharingNotice(run.stderr());
    assertEquals(1, lines.size(), run.stderr());
    Matcher m =
        Pattern.compile("tombscope: recording to (" + Pattern.quote(tmp.toString()) + "/rec-\\d+)")
            .matcher(lines.get(0));
    assertTrue(m.matches(), lines.get(0));
    assertTrue(Files.isRegularFile(Path.of(m.group(1)).resolve("meta.json")), m.group(1));
  }

  @Test
  void quietLeavesStderrEmpty() throws Exception {
    ForkedJvm run =
        ForkedJvm.run("out=" + tmp.resolve("rec") + ",quiet=true", RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(List.of(), withoutSharingNotice(run.stderr()));
    assertTrue(Files.isRegularFile(RecordingLines.firstEventsFile(tmp.resolve("rec"))));
  }

  @Test
  void callSitesOffWalksNoStackWhereTheDefaultDoes() throws Exception {
    // Counted, not timed: a stack walk is what made every delete 20 times slower.
    long off = walks("out=" + tmp.resolve("off") + ",jdksample=1,callsites=off");
    long byDefault = walks("out=" + tmp.resolve("default") + ",jdksample=1");
    assertEquals(0, off);
    // Each of the three maps walks at least its first 8 deletes, then at powers of two.
    assertTrue(byDefault >= 3 * 8, "walks by default: " + byDefault);
    assertTrue(
        RecordingLines.texts(tmp.resolve("off")).stream()
            .noneMatch(l -> l.contains("\"deleteSite\"")));
  }

  private static long walks(String options) throws Exception {
    ForkedJvm run = ForkedJvm.run(options, DeletingProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.agentStderr());
    String out = run.stdout().strip();
    assertTrue(out.startsWith("walks "), out);
    return Long.parseLong(out.substring("walks ".length()));
  }

  private static List<String> withoutSharingNotice(String stderr) {
    return stderr.lines().filter(l -> !l.contains("Sharing is only supported")).toList();
  }
}
