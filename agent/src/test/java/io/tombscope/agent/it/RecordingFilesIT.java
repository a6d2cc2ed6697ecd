package io.tombscope.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent writes only files it created in this run, for its owner only, without secrets. */
class RecordingFilesIT {
  @TempDir Path tmp;

  @Test
  void anExistingDirectoryThatIsNotEmptyIsLeftByteForByteAndTheRecordingGoesBesideIt()
      throws Exception {
    Path rec = Files.createDirectory(tmp.resolve("rec"));
    Files.writeString(rec.resolve("events.jsonl"), "an earlier recording\n");
    Files.writeString(rec.resolve("meta.json"), "{\"theirs\":true}\n");
    Files.createDirectory(rec.resolve("notes"));
    Files.setLastModifiedTime(rec.resolve("meta.json"), FileTime.fromMillis(1_000_000));
    Map<String, String> before = snapshot(rec);

    ForkedJvm run = ForkedJvm.run("out=" + rec, RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(before, snapshot(rec));
    Path fresh = tmp.resolve("rec-1");
    assertEquals(
        List.of("tombscope: recording to " + fresh + " (" + rec + " is not empty)"),
        startLines(run));
    assertTrue(Files.size(RecordingLines.firstEventsFile(fresh)) > 0);
  }

  @Test
  void aPlantedLinkIsNeverFollowed() throws Exception {
    // A shared directory where someone else planted meta.json as a link to a file of ours.
    Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious\n");
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.createSymbolicLink(shared.resolve("meta.json"), victim);
    Files.createSymbolicLink(shared.resolve("events.jsonl"), tmp.resolve("created-by-link"));
    // And the recording directory itself as a link to a directory of ours.
    Path ours = Files.createDirectory(tmp.resolve("ours"));
    Files.createSymbolicLink(tmp.resolve("linked"), ours);

    ForkedJvm intoShared = ForkedJvm.run("out=" + shared, RecordedProgram.class);
    ForkedJvm intoLink = ForkedJvm.run("out=" + tmp.resolve("linked"), RecordedProgram.class);
    assertEquals(0, intoShared.exitCode(), intoShared.stderr());
    assertEquals(0, intoLink.exitCode(), intoLink.stderr());

    assertEquals("precious\n", Files.readString(victim));
    assertFalse(Files.exists(tmp.resolve("created-by-link"), LinkOption.NOFOLLOW_LINKS));
    try (Stream<Path> files = Files.list(ours)) {
      assertEquals(0, files.count(), "nothing written through the linked directory");
    }
    assertTrue(Files.isRegularFile(tmp.resolve("shared-1").resolve("meta.json")));
    assertEquals(
        List.of(
            "tombscope: recording to "
                + tmp.resolve("linked-1")
                + " ("
                + tmp.resolve("linked")
                + " is a symbolic link)"),
        startLines(intoLink));
  }

  @Test
  void theRecordingIsForItsOwnerOnlyAndKeepsNoSecrets() throws Exception {
    Path rec = tmp.resolve("rec");
    ForkedJvm run =
        ForkedJvm.run(
            List.of("-Ddb.password=hunter2", "-Dapi.token=abc123", "-Dplain.setting=visible"),
            "out=" + rec,
            RecordedProgram.class);
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("rwx------", permissions(rec));
    try (Stream<Path> files = Files.list(rec)) {
      for (Path f : files.toList()) {
        assertEquals("rw-------", permissions(f), f.toString());
      }
    }
    String meta = Files.readString(rec.resolve("meta.json"));
    assertFalse(meta.contains("hunter2"), meta);
    assertFalse(meta.contains("abc123"), meta);
    assertTrue(meta.contains("-Ddb.password=[REDACTED]"), meta);
    assertTrue(meta.contains("-Dapi.token=[REDACTED]"), meta);
    assertTrue(meta.contains("-Dplain.setting=visible"), meta);
  }

  /** Every path under {@code dir} with its bytes (files) and modification time. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> all = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        String bytes = Files.isRegularFile(p) ? Files.readString(p) : "(directory)";
        all.put(
            dir.relativize(p).toString(),
            bytes + " @" + Files.getLastModifiedTime(p).toMillis() + " " + permissions(p));
      }
    }
    return all;
  }

  private static String permissions(Path p) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  private static List<String> startLines(ForkedJvm run) {
    return run.stderr().lines().filter(l -> l.startsWith("tombscope: ")).toList();
  }
}
