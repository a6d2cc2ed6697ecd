package io.tombscope.agent.tooling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tombscope.agent.tooling.JdkWeaver.Hook;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * {@link JdkWeaver} on this JDK's own map classes, with the agent's hooks: every hooked method gets
 * its calls, nothing else changes, and what the JIT could inline still can. That the woven classes
 * verify and record exactly is for the forked tests (JdkMapsIT, JdkTrackingIT) to show.
 */
class JdkWeaverTest {
  /** HotSpot's FreqInlineSize: a hot method of more bytecode than this is never inlined. */
  private static final int FREQ_INLINE_SIZE = 325;

  /**
   * 317 bytes, 348 woven (a saved size, a call at entry and before each of its two returns): a
   * removal through an IdentityHashMap's iterator is no path that runs hot.
   */
  private static final String NOT_HOT =
      "java/util/IdentityHashMap$IdentityHashMapIterator.remove()V";

  private final JdkWeaver weaver = new JdkWeaver(JdkInstrumentation.hooks());

  @Test
  void theEightClassesAreWoven() {
    assertEquals(
        Set.of(
            "java/util/Map",
            "java/util/HashMap",
            "java/util/LinkedHashMap",
            "java/util/concurrent/ConcurrentHashMap",
            "java/util/WeakHashMap",
            "java/util/IdentityHashMap",
            "java/util/IdentityHashMap$IdentityHashMapIterator",
            "java/lang/ThreadLocal$ThreadLocalMap"),
        weaver.internalNames());
  }

  @Test
  void onlyTheHookedMethodsChangeAndTheyStayInlinable() throws IOException {
    for (String name : weaver.internalNames()) {
      byte[] original = classFile(name);
      byte[] woven = weaver.weave(name, original);
      Map<String, Integer> before = codeLengths(original);
      Map<String, Integer> after = codeLengths(woven);
      Map<String, Integer> calls = hookCalls(woven);
      assertEquals(before.keySet(), after.keySet(), name);
      for (String method : before.keySet()) {
        if (calls.containsKey(method)) {
          assertTrue(after.get(method) > before.get(method), name + "." + method);
          assertTrue(
              before.get(method) > FREQ_INLINE_SIZE
                  || after.get(method) <= FREQ_INLINE_SIZE
                  || NOT_HOT.equals(name + "." + method),
              name
                  + "."
                  + method
                  + " grew from "
                  + before.get(method)
                  + " to "
                  + after.get(method)
                  + " bytes, past FreqInlineSize");
        } else {
          assertEquals(before.get(method), after.get(method), name + "." + method);
        }
      }
      for (Hook h : JdkInstrumentation.hooks()) {
        if (h.className().replace('.', '/').equals(name)) {
          String method = h.method() + (h.descriptor() == null ? "" : h.descriptor());
          assertTrue(
              calls.keySet().stream().anyMatch(m -> m.startsWith(method)),
              name + "." + method + " calls no hook");
        }
      }
    }
  }

  @Test
  void aHookedMethodCallsItsHooksAtEntryAndBeforeEachReturn() throws IOException {
    byte[] original = classFile("java/util/HashMap");
    Map<String, Integer> returns = returns(original);
    Map<String, Integer> calls = hookCalls(weaver.weave("java/util/HashMap", original));
    String remove = "remove(Ljava/lang/Object;)Ljava/lang/Object;";
    String resize = "resize()[Ljava/util/HashMap$Node;";
    // the timing start at entry (the size is a field, no call)
    assertEquals(1 + returns.get(remove), calls.get(remove));
    // the capacity and the start at entry
    assertEquals(2 + returns.get(resize), calls.get(resize));
    assertEquals(1, calls.get("afterNodeRemoval(Ljava/util/HashMap$Node;)V"));
  }

  @Test
  void aClassWithoutAHookedMethodOrFieldIsNotWoven() throws IOException {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> weaver.weave("java/util/HashMap", classFile("java/util/TreeMap")));
    assertNotNull(e.getMessage());
    assertTrue(e.getMessage().startsWith("no "), e.getMessage());
  }

  @Test
  void aHookThatJdkHooksLacksIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new JdkWeaver(
                List.of(
                    new Hook(
                        "java.util.HashMap",
                        "clear",
                        "()V",
                        List.of(new JdkWeaver.Call("noSuchHook", List.of(JdkWeaver.Own.THIS))),
                        null))));
  }

  @Test
  void classesWithoutHooksAreNotTouched() throws IOException {
    assertEquals(null, weaver.weave("java/util/TreeMap", classFile("java/util/TreeMap")));
  }

  private static byte[] classFile(String internalName) throws IOException {
    try (InputStream in = Object.class.getResourceAsStream("/" + internalName + ".class")) {
      assertNotNull(in, internalName);
      return in.readAllBytes();
    }
  }

  /** The return instructions of each method (name + descriptor). */
  private static Map<String, Integer> returns(byte[] classFile) {
    return count(classFile, false);
  }

  /** Calls of JdkHooks per method (name + descriptor). */
  private static Map<String, Integer> hookCalls(byte[] classFile) {
    return count(classFile, true);
  }

  private static Map<String, Integer> count(byte[] classFile, boolean hookCalls) {
    Map<String, Integer> counts = new HashMap<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String descriptor, String signature, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitInsn(int opcode) {
                    if (!hookCalls && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                      counts.merge(name + descriptor, 1, Integer::sum);
                    }
                  }

                  @Override
                  public void visitMethodInsn(
                      int opcode, String owner, String method, String desc, boolean itf) {
                    if (hookCalls && owner.equals("io/tombscope/agent/bootstrap/JdkHooks")) {
                      counts.merge(name + descriptor, 1, Integer::sum);
                    }
                  }
                };
              }
            },
            0);
    return counts;
  }

  /** Each method's bytecode length (name + descriptor), read from the class file's Code. */
  private static Map<String, Integer> codeLengths(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.skipBytes(8);
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 15 -> in.skipBytes(3);
        default -> throw new IOException("constant pool tag " + tag);
      }
    }
    in.skipBytes(6);
    in.skipBytes(2 * in.readUnsignedShort());
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.skipBytes(6);
      skipAttributes(in);
    }
    Map<String, Integer> lengths = new HashMap<>();
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      in.skipBytes(2);
      String name = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if (attribute.equals("Code")) {
          in.skipBytes(4);
          int codeLength = in.readInt();
          lengths.put(name, codeLength);
          in.skipBytes(length - 8);
        } else {
          in.skipBytes(length);
        }
      }
      lengths.putIfAbsent(name, 0);
    }
    return lengths;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }
}
