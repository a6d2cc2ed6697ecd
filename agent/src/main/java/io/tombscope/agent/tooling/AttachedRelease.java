package io.tombscope.agent.tooling;

import io.tombscope.agent.recording.RecordingFiles;
import io.tombscope.agent.recording.RecordingWriter;
import io.tombscope.agent.release.ReleaseTrigger;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The release that {@code tombscope release PID} runs through the attach mechanism alone: the
 * command loads the agent jar with the options {@code @release=FILE}, the JVM calls {@code
 * agentmain} on its attach listener thread, and the answer goes to FILE. No socket is opened and
 * none is left behind; the JVM keeps nothing of it but the agent jar on its class path.
 *
 * <p>FILE lies in a directory that the command created for it, owner-only; this creates FILE
 * exclusively ({@code CREATE_NEW}, {@code NOFOLLOW_LINKS}, {@code 0600}), so it never writes
 * through a file or link someone else put there. The answer, in UTF-8, starts with one line: {@code
 * released}, {@code no-agent} (the agent is not running in this JVM: the attach only loaded its
 * jar) or {@code failed WHY}. After {@code released} come a line with the recording directory
 * (empty if there is none) and the release's before/after table.
 */
public final class AttachedRelease {
  private AttachedRelease() {}

  /** Runs the release if the agent is running, and answers in {@code replyFile}; never throws. */
  public static void run(String replyFile) {
    String answer;
    ReleaseTrigger trigger = AgentStarter.releaseTrigger();
    if (trigger == null) {
      answer = "no-agent\n";
    } else {
      try {
        String table = trigger.release("attach").table();
        RecordingWriter recording = AgentStarter.recording();
        Path dir = recording == null ? null : recording.directory();
        answer = "released\n" + (dir == null ? "" : dir.toAbsolutePath()) + "\n" + table;
      } catch (Throwable t) {
        answer = "failed " + String.valueOf(t).replaceAll("\\s+", " ") + "\n";
      }
    }
    try (OutputStream out = RecordingFiles.createFile(Path.of(replyFile))) {
      out.write(answer.getBytes(StandardCharsets.UTF_8));
    } catch (Throwable t) {
      // The command reports a missing answer; the program runs on.
    }
  }
}
