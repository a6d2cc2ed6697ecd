package io.tombscope.agent.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/**
 * JCTools' map classes on the test class path (4.0.x; the ITs run 3.x as well) have the layout the
 * advice needs, and once advised as they would be when they load: {@code putIfMatch0} swaps values
 * only through the hook, and the methods every put and remove runs stay small enough for C2 to
 * inline ({@code FreqInlineSize}, 325 bytes, for hot calls; {@code MaxInlineSize}, 35, for the
 * hook, so that it inlines at any call count).
 */
class JctoolsInstrumentationTest {
  private static final ClassFileLocator LOCATOR =
      ClassFileLocator.ForClassLoader.of(JctoolsInstrumentationTest.class.getClassLoader());
  private static final TypePool POOL = TypePool.Default.of(LOCATOR);
  private static final int FREQ_INLINE_SIZE = 325;
  private static final int MAX_INLINE_SIZE = 35;

  @Test
  void everyMapAndItsTableHaveTheLayoutTheAdviceNeeds() {
    for (String name :
        new String[] {
          JctoolsInstrumentation.NBHM, JctoolsInstrumentation.NBHML, JctoolsInstrumentation.NBIHM
        }) {
      TypeDescription map = POOL.describe(name).resolve();
      TypeDescription chm = POOL.describe(name + "$CHM").resolve();
      boolean isLong = name.equals(JctoolsInstrumentation.NBHML);
      assertNull(JctoolsInstrumentation.layoutProblem(map, chm, isLong), name);
      assertEquals(!isLong, JctoolsInstrumentation.swapHookFits(map), name);
    }
  }

  @Test
  void putIfMatch0SwapsValuesThroughTheHookAndTheHotMethodsStayInlinable() throws Exception {
    for (String name : new String[] {JctoolsInstrumentation.NBHM, JctoolsInstrumentation.NBIHM}) {
      byte[] original = LOCATOR.locate(name).resolve();
      byte[] advised = advised(name);
      Map<String, Integer> before = calls(original, "putIfMatch0");
      Map<String, Integer> after = calls(advised, "putIfMatch0");
      assertEquals(1, before.getOrDefault("CAS_val", 0), name);
      assertEquals(0, after.getOrDefault("CAS_val", 0), name);
      assertEquals(1, after.getOrDefault("$tombscope$casVal", 0), name);

      Map<String, Integer> lengths = codeLengths(advised);
      int hook = lengthOf(lengths, "$tombscope$casVal");
      assertTrue(hook > 0 && hook <= MAX_INLINE_SIZE, name + " $tombscope$casVal: " + hook);
      for (String hot :
          new String[] {"putIfMatch", "put", "remove", "get", "$tombscope$deadKeys"}) {
        int length = lengthOf(lengths, hot);
        assertTrue(length > 0 && length <= FREQ_INLINE_SIZE, name + " " + hot + ": " + length);
      }
      // One instruction more than JCTools' own (the map, pushed for the hook).
      assertEquals(
          lengthOf(codeLengths(original), "putIfMatch0") + 1,
          lengthOf(lengths, "putIfMatch0"),
          name);
    }
  }

  @Test
  void theLongMapsTableSwapsValuesThroughTheHookThatTellsTheMap() throws Exception {
    String chm = JctoolsInstrumentation.NBHML + "$CHM";
    assertTrue(JctoolsInstrumentation.longSwapHookFits(POOL.describe(chm).resolve()));
    byte[] original = LOCATOR.locate(chm).resolve();
    byte[] advised = advised(chm);
    assertEquals(1, calls(original, "putIfMatch").getOrDefault("CAS_val", 0));
    assertEquals(0, calls(advised, "putIfMatch").getOrDefault("CAS_val", 0));
    assertEquals(1, calls(advised, "putIfMatch").getOrDefault("$tombscope$casVal", 0));
    assertEquals(
        lengthOf(codeLengths(original), "putIfMatch"),
        lengthOf(codeLengths(advised), "putIfMatch"));
    int hook = lengthOf(codeLengths(advised), "$tombscope$casVal");
    assertTrue(hook > 0 && hook <= MAX_INLINE_SIZE, "$tombscope$casVal: " + hook);

    byte[] map = advised(JctoolsInstrumentation.NBHML);
    ClassReader r = new ClassReader(map);
    assertTrue(
        Arrays.asList(r.getInterfaces())
            .contains("io/tombscope/agent/bootstrap/JctoolsProbes$ValueSwaps"));
    int swapped = lengthOf(codeLengths(map), "$tombscope$valueSwapped");
    assertTrue(swapped > 0 && swapped <= MAX_INLINE_SIZE, "$tombscope$valueSwapped: " + swapped);
  }

  /** The class as the agent advises it when it loads. */
  private static byte[] advised(String name) {
    TypeDescription type = POOL.describe(name).resolve();
    Transformation t =
        JctoolsInstrumentation.transformations().stream()
            .filter(x -> x.className().equals(name))
            .findFirst()
            .orElseThrow();
    return t.advice().apply(new ByteBuddy().redefine(type, LOCATOR), type, true).make().getBytes();
  }

  /** The methods that {@code method} calls, by name, and how many times. */
  private static Map<String, Integer> calls(byte[] classFile, String method) {
    CallCounter counter = new CallCounter(method);
    new ClassReader(classFile).accept(counter, 0);
    return counter.calls;
  }

  /** Counts the calls made by the methods of one name. */
  private static final class CallCounter extends ClassVisitor {
    final String method;
    final Map<String, Integer> calls = new HashMap<>();

    CallCounter(String method) {
      super(Opcodes.ASM9);
      this.method = method;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      return !name.equals(method)
          ? null
          : new MethodVisitor(Opcodes.ASM9) {
            @Override
            public void visitMethodInsn(
                int opcode, String owner, String called, String desc, boolean isInterface) {
              calls.merge(called, 1, Integer::sum);
            }
          };
    }
  }

  /** The largest code length among the methods named {@code name}, or 0 if there is none. */
  private static int lengthOf(Map<String, Integer> lengths, String name) {
    int longest = 0;
    for (Map.Entry<String, Integer> e : lengths.entrySet()) {
      if (e.getKey().startsWith(name + "(")) {
        longest = Math.max(longest, e.getValue());
      }
    }
    return longest;
  }

  /** Each method's bytecode length (name + descriptor), read from its {@code Code} attribute. */
  private static Map<String, Integer> codeLengths(byte[] classFile) {
    ClassReader r = new ClassReader(classFile);
    char[] buffer = new char[r.getMaxStringLength()];
    int offset = r.header + 6;
    offset += 2 + 2 * r.readUnsignedShort(offset);
    int fields = r.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < fields; i++) {
      offset = skipAttributes(r, offset + 6);
    }
    Map<String, Integer> lengths = new HashMap<>();
    int methods = r.readUnsignedShort(offset);
    offset += 2;
    for (int i = 0; i < methods; i++) {
      String key = r.readUTF8(offset + 2, buffer) + r.readUTF8(offset + 4, buffer);
      int attributes = r.readUnsignedShort(offset + 6);
      offset += 8;
      for (int a = 0; a < attributes; a++) {
        if (r.readUTF8(offset, buffer).equals("Code")) {
          lengths.put(key, r.readInt(offset + 10));
        }
        offset += 6 + r.readInt(offset + 2);
      }
    }
    return lengths;
  }

  private static int skipAttributes(ClassReader r, int offset) {
    int attributes = r.readUnsignedShort(offset);
    offset += 2;
    for (int a = 0; a < attributes; a++) {
      offset += 6 + r.readInt(offset + 2);
    }
    return offset;
  }
}
