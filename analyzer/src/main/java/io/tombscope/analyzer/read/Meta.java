package io.tombscope.analyzer.read;

import java.util.List;
import java.util.Map;

/**
 * {@code meta.json}: what was recorded, where and how. {@code pid} is 0 when the recording does not
 * say (or says something that is no pid); every string has its control characters replaced.
 */
public record Meta(
    int format,
    String agentVersion,
    long pid,
    long startEpochMs,
    long intervalMs,
    String jvmVersion,
    String jvmVendor,
    String vmName,
    String mainCommand,
    List<String> inputArguments,
    Map<String, String> options) {

  /** One line describing the JVM, for reports. */
  public String jvm() {
    return vmName + " " + jvmVersion + " (" + jvmVendor + ")";
  }
}
