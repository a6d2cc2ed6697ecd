package io.tombscope.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.agent.it.lib.TinyLibrary;
import java.io.File;
import org.junit.jupiter.api.Test;

class AppCodeTest {
  @Test
  void classesFromADirectoryAreTheProgramsAndJarsAndTheJdkAreNot() {
    assertTrue(AppCode.decide(TinyLibrary.class, null, null), "test-classes is a directory");
    assertFalse(AppCode.decide(Test.class, null, null), "JUnit comes from a jar");
    assertFalse(AppCode.decide(String.class, null, null), "the boot loader's");
    assertFalse(AppCode.decide(java.sql.Date.class, null, null), "the platform loader's");
    assertFalse(AppCode.decide(Sites.class, null, null), "the agent's own");
  }

  @Test
  void theJarThatJavaJarRanIsTheProgram() throws Exception {
    String junitJar =
        new File(Test.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getAbsolutePath();
    assertTrue(AppCode.decide(Test.class, null, junitJar));
  }

  @Test
  void theAppOptionNamesThePackages() {
    String[] app = {"org.junit."};
    assertTrue(AppCode.decide(Test.class, app, null));
    assertFalse(AppCode.decide(TinyLibrary.class, app, null));
    assertFalse(AppCode.decide(AppCodeTest.class, app, null), "the agent's own, whatever app says");
  }
}
