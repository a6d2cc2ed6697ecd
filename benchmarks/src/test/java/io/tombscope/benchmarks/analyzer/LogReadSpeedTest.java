package io.tombscope.benchmarks.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Ownership;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.implementation.FixedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReadSpeedTest {
  @TempDir Path dir;

  private Path jarWithReader(String className, boolean isStatic) throws IOException {
    Path jar = dir.resolve("analyzer-" + isStatic + ".jar");
    new ByteBuddy()
        .subclass(Object.class)
        .name(className)
        .defineMethod(
            "read", String.class, Visibility.PUBLIC, isStatic ? Ownership.STATIC : Ownership.MEMBER)
        .withParameters(Path.class)
        .intercept(FixedValue.value(isStatic ? "static read" : "instance read"))
        .make()
        .toJar(jar.toFile());
    return jar;
  }

  @Test
  void callsTheStaticReaderOfTheJar() throws Throwable {
    MethodHandle read = LogReadSpeed.analyzerReader(jarWithReader(LogReadSpeed.READER_CLASS, true));
    assertEquals("static read", read.invoke(dir));
  }

  @Test
  void callsAnInstanceReaderOfTheJar() throws Throwable {
    MethodHandle read =
        LogReadSpeed.analyzerReader(jarWithReader(LogReadSpeed.READER_CLASS, false));
    assertEquals("instance read", read.invoke(dir));
  }

  @Test
  void jarWithoutTheReaderIsNamed() throws IOException {
    Path jar = jarWithReader("io.tombscope.elsewhere.Reader", true);
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LogReadSpeed.analyzerReader(jar));
    assertTrue(e.getMessage().contains(LogReadSpeed.READER_CLASS), e.getMessage());
  }

  @Test
  void decodeAllChecksTheLineCount() throws IOException {
    Path recording = dir.resolve("rec");
    SyntheticRecording.Totals totals =
        new SyntheticRecording(3, 5, 1_000, false, 1).writeTo(recording);
    Path hlog = recording.resolve("histograms.hlog");
    LogReadSpeed.decodeAll(hlog, totals.histogramLines());
    assertThrows(
        IllegalStateException.class,
        () -> LogReadSpeed.decodeAll(hlog, totals.histogramLines() + 1));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, LogReadSpeed.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, LogReadSpeed.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }
}
