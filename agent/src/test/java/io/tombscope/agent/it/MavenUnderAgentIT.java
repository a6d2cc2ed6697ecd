package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Maven, a program we did not write, under the packaged agent: its output and exit status
 * are those of a run without the agent, and the recording holds real JDK map deletes and resizes.
 */
class MavenUnderAgentIT {
  @TempDir Path tmp;

  @Test
  void mavenRunsUnchangedAndItsMapsAreRecorded() throws Exception {
    Path mvn = findOnPath("mvn");
    assumeTrue(mvn != null, "mvn is not on the PATH");
    Path project = Path.of(System.getProperty("user.dir"), "..", "map", "pom.xml").normalize();
    List<String> command =
        List.of(
            mvn.toString(),
            "-o",
            "-B",
            "-Dspotless.apply.skip=true",
            "-f",
            project.toString(),
            "compile");
    Run plain = run(command, null);
    Path rec = tmp.resolve("rec");
    Run agent =
        run(
            command,
            "-javaagent:" + ForkedJvm.agentJar() + "=out=" + rec + ",interval=200ms,jdksample=8");

    assertEquals(plain.exitCode, agent.exitCode, agent.output);
    assertEquals(comparable(plain.output), comparable(agent.output));

    long hashMapDeletes = 0;
    long resizes = 0;
    List<JsonNode> sites = AgentRecordingIT.readLines(rec.resolve("sites.jsonl"));
    Map<Integer, JsonNode> last = new HashMap<>();
    // Which maps jdksample tracks is random; tracked sites plus the untracked totals are every
    // HashMap delete and resize, whichever maps it picked.
    JsonNode untracked = null;
    for (JsonNode e : RecordingLines.events(rec)) {
      if (e.get("type").asText().equals("counters")) {
        last.put(e.get("site").asInt(), e);
      } else if (e.get("type").asText().equals("untracked")
          && e.get("family").asText().equals("hashmap")) {
        untracked = e;
      }
    }
    if (untracked != null) {
      hashMapDeletes += untracked.get("deletes").asLong();
      resizes += untracked.get("resizes").asLong();
    }
    for (JsonNode site : sites) {
      JsonNode c = last.get(site.get("site").asInt());
      if (c != null && "hashmap".equals(site.path("family").asText())) {
        hashMapDeletes += c.get("deleteHits").asLong();
        resizes += c.get("growsLoad").asLong();
      }
    }
    assertTrue(hashMapDeletes > 0, "HashMap deletes recorded in Maven");
    assertTrue(resizes > 0, "HashMap resizes recorded in Maven");
  }

  /**
   * Maven's output without the lines that differ from run to run (times, the JVM's CDS note) and
   * the agent's start line.
   */
  private static String comparable(String output) {
    return output
        .lines()
        .filter(l -> !l.contains("Total time") && !l.contains("Finished at"))
        .filter(l -> !l.contains("Sharing is only supported"))
        .filter(l -> !ForkedJvm.START_LINE.matcher(l).matches())
        .reduce("", (a, b) -> a + b + "\n");
  }

  private record Run(int exitCode, String output) {}

  private Run run(List<String> command, String mavenOpts) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    pb.environment().remove("MAVEN_OPTS");
    if (mavenOpts != null) {
      pb.environment().put("MAVEN_OPTS", mavenOpts);
    }
    Path out = Files.createTempFile(tmp, "mvn", ".out");
    Process p = pb.redirectOutput(out.toFile()).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Maven did not finish: " + command);
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static Path findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
