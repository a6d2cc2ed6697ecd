package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void valuesOfSecretLookingJvmArgumentsAreRedacted() {
    assertEquals(
        List.of(
            "-Xmx1g",
            "-Ddb.password=[REDACTED]",
            "-Djavax.net.ssl.keyStorePassword=[REDACTED]",
            "-Dapi.TOKEN=[REDACTED]",
            "-Daws.secretAccessKey=[REDACTED]",
            "-Dcloud.credentials=[REDACTED]",
            "-Dplain=visible",
            "-javaagent:/opt/other.jar=host=example.org,licenseKey=[REDACTED]",
            "-XX:+UseG1GC"),
        Secrets.jvmArguments(
            List.of(
                "-Xmx1g",
                "-Ddb.password=hunter2",
                "-Djavax.net.ssl.keyStorePassword=changeit",
                "-Dapi.TOKEN=abc",
                "-Daws.secretAccessKey=xyz",
                "-Dcloud.credentials=c",
                "-Dplain=visible",
                "-javaagent:/opt/other.jar=host=example.org,licenseKey=123",
                "-XX:+UseG1GC")));
  }

  @Test
  void theMainCommandKeepsItsShapeWithoutTheSecrets() {
    assertEquals(
        "com.acme.Main --user bob --password [REDACTED] --api-key=[REDACTED] --token --verbose"
            + " input.txt",
        Secrets.mainCommand(
            "com.acme.Main --user bob --password hunter2 --api-key=k1 --token --verbose"
                + " input.txt"));
    assertEquals("app.jar serve", Secrets.mainCommand("app.jar serve"));
    assertEquals("", Secrets.mainCommand(""));
  }
}
