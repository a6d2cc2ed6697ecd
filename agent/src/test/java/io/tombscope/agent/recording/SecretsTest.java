package io.tombscope.agent.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void aNameLooksSecretWithAWordInAnyAsciiCaseAnywhere() {
    for (String name :
        new String[] {
          "db.password",
          "PASSWD",
          "app.Secret.file",
          "apiToken",
          "licenseKEY",
          "aws.credentials",
          "key",
          "x.pAsSwOrD.y"
        }) {
      assertTrue(Secrets.looksSecret(name), name);
    }
    for (String name : new String[] {"", "ke", "user.name", "monk", "k.e.y"}) {
      assertFalse(Secrets.looksSecret(name), name);
    }
    // Only ASCII letters fold, as the (?i) regular expression this replaced had it: the Kelvin
    // sign is not a K.
    assertFalse(Secrets.looksSecret("\u212Aey"));
  }
}
