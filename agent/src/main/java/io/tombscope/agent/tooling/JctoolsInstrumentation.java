package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tombscope.agent.bootstrap.JctoolsProbes;
import io.tombscope.agent.bootstrap.RecorderFields;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.ByteCodeAppender;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * JCTools' {@code NonBlockingHashMap}, {@code NonBlockingHashMapLong} and {@code
 * NonBlockingIdentityHashMap} ({@code org.jctools:jctools-core} 3.x and 4.0.x), matched by name in
 * any class loader, never linked at compile time: each map class, where removes, resize starts and
 * clears pass, and its nested {@code CHM}, where resizes end.
 *
 * <p>A map class and its {@code CHM} are checked together before either is advised: if one lacks a
 * field or method the advice or the gauges use (another version, or a patched copy), both are left
 * as they are, and the recording names each class skipped and why.
 *
 * <p>A map class that loads after the agent started gains, besides the {@link RecorderField}, a
 * method {@code $tombscope$deadKeys()} returning its current table's {@code _slots − _size}, which
 * the delete advice calls where the peak of dead keys needs them. A {@code NonBlockingHashMap} or
 * {@code NonBlockingIdentityHashMap} class also gains {@code $tombscope$casVal}, which its {@code
 * putIfMatch0} calls instead of {@code CAS_val}: there a dead key is revived, which no return value
 * tells, and each one revived spares the next delete hit a read of the dead keys. A {@code
 * NonBlockingHashMapLong$CHM}'s {@code putIfMatch} calls a {@code $tombscope$casVal} of its own,
 * which passes the swap to its map through {@link JctoolsProbes.ValueSwaps}, an interface that the
 * map class gains as it loads: the {@code CHM} cannot reach the map's private recorder field or
 * {@code TOMBSTONE}, and a map class that loaded before the agent, without the interface, is told
 * nothing.
 */
final class JctoolsInstrumentation {
  static final String NBHM = "org.jctools.maps.NonBlockingHashMap";
  static final String NBHML = "org.jctools.maps.NonBlockingHashMapLong";
  // Its own copy of NonBlockingHashMap's code, comparing keys by identity: the same layout.
  static final String NBIHM = "org.jctools.maps.NonBlockingIdentityHashMap";

  // Package-private, so that the advice calls it with invokevirtual in class files of any version.
  private static final String DEAD_KEYS = "$tombscope$deadKeys";
  private static final int DEAD_KEYS_MODIFIERS = Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;

  // What putIfMatch0 of a NonBlockingHashMap (or NonBlockingIdentityHashMap) calls instead of
  // CAS_val: the same compare-and-set, then JctoolsProbes.valueSwapped with the map.
  private static final String CAS_VAL = "CAS_val";
  private static final String CAS_VAL_DESCRIPTOR =
      "([Ljava/lang/Object;ILjava/lang/Object;Ljava/lang/Object;)Z";
  private static final String SWAP_HOOK = "$tombscope$casVal";
  private static final int SWAP_HOOK_MODIFIERS =
      Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;

  private JctoolsInstrumentation() {}

  static List<Transformation> transformations() {
    return List.of(
        new Transformation(NBHM, new Checked(false, false)),
        new Transformation(NBHM + "$CHM", new Checked(false, true)),
        new Transformation(NBHML, new Checked(true, false)),
        new Transformation(NBHML + "$CHM", new Checked(true, true)),
        new Transformation(NBIHM, new Checked(false, false)),
        new Transformation(NBIHM + "$CHM", new Checked(false, true)));
  }

  /** What the map class {@code map} and its {@code CHM} lack for the advice, or null if nothing. */
  static String layoutProblem(TypeDescription map, TypeDescription chm, boolean isLong) {
    List<String> missing = new ArrayList<>();
    String o = "java.lang.Object";
    if (isLong) {
      field(map, "_chm", NBHML + "$CHM", false, missing);
      field(map, "_val_1", o, false, missing);
      method(map, "putIfMatch", o, missing, "long", o, o);
      method(map, "remove", "boolean", missing, "long", o);
    } else {
      field(map, "_kvs", "java.lang.Object[]", false, missing);
      method(map, "putIfMatch", o, missing, o, o, o);
      method(map, "remove", "boolean", missing, o, o);
      method(map, "rehash", "void", missing);
    }
    field(map, "TOMBSTONE", o, true, missing);
    field(map, "NO_MATCH_OLD", o, true, missing);
    method(map, "clear", "void", missing);
    String name = map.getName() + "$CHM";
    if (chm == null) {
      missing.add("class " + name);
    } else {
      List<String> inChm = new ArrayList<>();
      method(chm, "slots", "int", inChm);
      method(chm, "size", "int", inChm);
      if (isLong) {
        field(chm, "_nbhml", NBHML, false, inChm);
        field(chm, "_newchm", name, false, inChm);
        field(chm, "_keys", "long[]", false, inChm);
        method(chm, "CAS_newchm", "boolean", inChm, name);
        method(chm, "copy_check_and_promote", "void", inChm, "int");
      } else {
        field(chm, "_newkvs", "java.lang.Object[]", false, inChm);
        method(
            chm,
            "copy_check_and_promote",
            "void",
            inChm,
            map.getName(),
            "java.lang.Object[]",
            "int");
      }
      for (String m : inChm) {
        missing.add(m + " in " + name);
      }
    }
    return missing.isEmpty() ? null : "no " + String.join(", no ", missing);
  }

  private static void field(
      TypeDescription type, String name, String fieldType, boolean isStatic, List<String> missing) {
    boolean found =
        type.getDeclaredFields().filter(named(name)).stream()
            .anyMatch(
                (FieldDescription.InDefinedShape f) ->
                    f.isStatic() == isStatic
                        && f.getType().asErasure().getName().equals(binaryName(fieldType)));
    if (!found) {
      missing.add("field " + fieldType + " " + name);
    }
  }

  private static void method(
      TypeDescription type,
      String name,
      String returnType,
      List<String> missing,
      String... parameters) {
    boolean found =
        type
            .getDeclaredMethods()
            .filter(named(name).and(takesArguments(parameters.length)))
            .stream()
            .anyMatch(
                (MethodDescription.InDefinedShape m) -> {
                  if (m.isStatic()
                      || !m.getReturnType().asErasure().getName().equals(binaryName(returnType))) {
                    return false;
                  }
                  for (int i = 0; i < parameters.length; i++) {
                    String p = m.getParameters().get(i).getType().asErasure().getName();
                    if (!p.equals(binaryName(parameters[i]))) {
                      return false;
                    }
                  }
                  return true;
                });
    if (!found) {
      missing.add("method " + name + "(" + String.join(", ", parameters) + ")");
    }
  }

  /** {@code TypeDescription.getName()} of a type written as in Java source. */
  private static String binaryName(String type) {
    return switch (type) {
      case "java.lang.Object[]" -> "[Ljava.lang.Object;";
      case "long[]" -> "[J";
      default -> type;
    };
  }

  /** The nested {@code CHM} of a map class, or null if it has none. */
  private static TypeDescription chmOf(TypeDescription map) {
    for (TypeDescription nested : map.getDeclaredTypes()) {
      if (nested.getName().equals(map.getName() + "$CHM")) {
        return nested;
      }
    }
    return null;
  }

  /** The method a map class gains as it loads: the dead keys of its current table. */
  private static MethodDescription.InDefinedShape deadKeysMethod(TypeDescription map) {
    return new MethodDescription.Latent(
        map,
        new MethodDescription.Token(
            DEAD_KEYS,
            DEAD_KEYS_MODIFIERS,
            TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(int.class)));
  }

  /**
   * The body of {@link #DEAD_KEYS}: {@code _slots − _size} of the current table's {@code CHM}, as
   * {@code JctoolsGauges.deadKeys} reads them through reflection, in a direct call that the JIT can
   * inline where a delete needs it. For a NonBlockingHashMap, {@code ((CHM) _kvs[0])}; for a
   * NonBlockingHashMapLong, {@code _chm}.
   */
  private record DeadKeys(TypeDescription map, boolean isLong) implements ByteCodeAppender {
    @Override
    public Size apply(
        MethodVisitor mv, Implementation.Context context, MethodDescription instrumentedMethod) {
      String owner = map.getInternalName();
      String chm = owner + "$CHM";
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      if (isLong) {
        mv.visitFieldInsn(Opcodes.GETFIELD, owner, "_chm", "L" + chm + ";");
      } else {
        mv.visitFieldInsn(Opcodes.GETFIELD, owner, "_kvs", "[Ljava/lang/Object;");
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.AALOAD);
        mv.visitTypeInsn(Opcodes.CHECKCAST, chm);
      }
      mv.visitInsn(Opcodes.DUP);
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, chm, "slots", "()I", false);
      mv.visitInsn(Opcodes.SWAP);
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, chm, "size", "()I", false);
      mv.visitInsn(Opcodes.ISUB);
      mv.visitInsn(Opcodes.IRETURN);
      return new Size(2, 1);
    }
  }

  /**
   * Whether {@code map} has what the hook on {@code putIfMatch0}'s value swaps needs: a static
   * {@code putIfMatch0(map, Object[], Object, Object, Object)} and {@code CAS_val(Object[], int,
   * Object, Object)}, as NonBlockingHashMap and NonBlockingIdentityHashMap of 3.x and 4.0.x have.
   * Without them the class is advised all the same, and its delete hits read the dead keys as often
   * as they could have passed the peak.
   */
  static boolean swapHookFits(TypeDescription map) {
    boolean putIfMatch0 = false;
    boolean casVal = false;
    for (MethodDescription.InDefinedShape m : map.getDeclaredMethods()) {
      if (!m.isStatic()) {
        continue;
      }
      if (m.getName().equals("putIfMatch0")
          && m.getDescriptor()
              .equals(
                  "(L"
                      + map.getInternalName()
                      + ";[Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)"
                      + "Ljava/lang/Object;")) {
        putIfMatch0 = true;
      } else if (m.getName().equals(CAS_VAL) && m.getDescriptor().equals(CAS_VAL_DESCRIPTOR)) {
        casVal = true;
      }
    }
    return putIfMatch0 && casVal;
  }

  /** The descriptor of {@link #SWAP_HOOK}: {@code CAS_val}'s, with the map last. */
  private static String swapHookDescriptor(TypeDescription map) {
    return CAS_VAL_DESCRIPTOR.replace(")Z", "L" + map.getInternalName() + ";)Z");
  }

  /**
   * The body of {@link #SWAP_HOOK}{@code (kvs, idx, old, nu, map)}: {@code
   * JctoolsProbes.valueSwapped(CAS_val(kvs, idx, old, nu), map's recorder, map, old, nu,
   * TOMBSTONE)}, straight-line code small enough to inline into {@code putIfMatch0}.
   */
  private record SwapHook(TypeDescription map) implements ByteCodeAppender {
    @Override
    public Size apply(
        MethodVisitor mv, Implementation.Context context, MethodDescription instrumentedMethod) {
      String owner = map.getInternalName();
      callCasVal(mv, Opcodes.INVOKESTATIC, owner, CAS_VAL_DESCRIPTOR);
      callValueSwapped(mv, owner, 4, 2);
      mv.visitInsn(Opcodes.IRETURN);
      return new Size(6, 5);
    }
  }

  /**
   * {@code CAS_val} of {@code owner} called with the hook's first four locals, its table (or the
   * table itself), the index, and the old and new values, as the hook was called with them.
   */
  private static void callCasVal(MethodVisitor mv, int opcode, String owner, String descriptor) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitVarInsn(Opcodes.ALOAD, 2);
    mv.visitVarInsn(Opcodes.ALOAD, 3);
    mv.visitMethodInsn(opcode, owner, CAS_VAL, descriptor, false);
  }

  /**
   * With whether a value was swapped on the stack: {@code JctoolsProbes.valueSwapped(swapped, the
   * map's recorder, map, old, nu, TOMBSTONE)}, the map in local {@code map} and old and new values
   * in the two from {@code old}, its result left on the stack.
   */
  private static void callValueSwapped(MethodVisitor mv, String owner, int map, int old) {
    mv.visitVarInsn(Opcodes.ALOAD, map);
    mv.visitFieldInsn(Opcodes.GETFIELD, owner, RecorderFields.NAME, "Ljava/lang/Object;");
    mv.visitVarInsn(Opcodes.ALOAD, map);
    mv.visitVarInsn(Opcodes.ALOAD, old);
    mv.visitVarInsn(Opcodes.ALOAD, old + 1);
    mv.visitFieldInsn(Opcodes.GETSTATIC, owner, "TOMBSTONE", "Ljava/lang/Object;");
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        JctoolsProbes.class.getName().replace('.', '/'),
        "valueSwapped",
        "(ZLjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;"
            + "Ljava/lang/Object;)Z",
        false);
  }

  /**
   * In {@code putIfMatch0} (or a {@code CHM}'s {@code putIfMatch}): each call of {@code CAS_val} of
   * {@code owner}, made with {@code opcode}, becomes one of {@link #SWAP_HOOK}, with the map pushed
   * last where the hook takes it ({@code pushesMap}: the map is the method's first argument).
   */
  private record SwapCalls(
      String owner, int opcode, String casValDescriptor, String hookDescriptor, boolean pushesMap)
      implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
    @Override
    public MethodVisitor wrap(
        TypeDescription instrumentedType,
        MethodDescription instrumentedMethod,
        MethodVisitor methodVisitor,
        Implementation.Context implementationContext,
        TypePool typePool,
        int writerFlags,
        int readerFlags) {
      return new MethodVisitor(Opcodes.ASM9, methodVisitor) {
        @Override
        public void visitMethodInsn(
            int called, String calledOwner, String name, String descriptor, boolean isInterface) {
          if (called == opcode
              && calledOwner.equals(owner)
              && name.equals(CAS_VAL)
              && descriptor.equals(casValDescriptor)) {
            if (pushesMap) {
              super.visitVarInsn(Opcodes.ALOAD, 0);
            }
            super.visitMethodInsn(opcode, owner, SWAP_HOOK, hookDescriptor, false);
          } else {
            super.visitMethodInsn(called, calledOwner, name, descriptor, isInterface);
          }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
          super.visitMaxs(maxStack + (pushesMap ? 1 : 0), maxLocals);
        }
      };
    }
  }

  // NonBlockingHashMapLong: its CHM's putIfMatch calls, instead of CAS_val, a method of the CHM
  // that tells the map through JctoolsProbes.valueSwappedIn, and the map implements ValueSwaps.
  private static final String LONG_CAS_VAL_DESCRIPTOR = "(ILjava/lang/Object;Ljava/lang/Object;)Z";
  private static final int LONG_SWAP_HOOK_MODIFIERS =
      Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC;
  private static final String VALUE_SWAPPED = "$tombscope$valueSwapped";

  /**
   * Whether a {@code NonBlockingHashMapLong$CHM} has what its hook needs: {@code putIfMatch(long,
   * Object, Object)} and a private {@code CAS_val(int, Object, Object)}.
   */
  static boolean longSwapHookFits(TypeDescription chm) {
    boolean putIfMatch = false;
    boolean casVal = false;
    for (MethodDescription.InDefinedShape m : chm.getDeclaredMethods()) {
      if (m.isStatic()) {
        continue;
      }
      if (m.getName().equals("putIfMatch")
          && m.getDescriptor()
              .equals("(JLjava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;")) {
        putIfMatch = true;
      } else if (m.getName().equals(CAS_VAL)
          && m.isPrivate()
          && m.getDescriptor().equals(LONG_CAS_VAL_DESCRIPTOR)) {
        casVal = true;
      }
    }
    return putIfMatch && casVal;
  }

  /**
   * The body of a {@code NonBlockingHashMapLong$CHM}'s {@link #SWAP_HOOK}{@code (idx, old, nu)}:
   * {@code JctoolsProbes.valueSwappedIn(CAS_val(idx, old, nu), _nbhml, old, nu)}.
   */
  private record LongSwapHook(TypeDescription chm) implements ByteCodeAppender {
    @Override
    public Size apply(
        MethodVisitor mv, Implementation.Context context, MethodDescription instrumentedMethod) {
      String owner = chm.getInternalName();
      callCasVal(mv, Opcodes.INVOKESPECIAL, owner, LONG_CAS_VAL_DESCRIPTOR);
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, owner, "_nbhml", "L" + NBHML.replace('.', '/') + ";");
      mv.visitVarInsn(Opcodes.ALOAD, 2);
      mv.visitVarInsn(Opcodes.ALOAD, 3);
      mv.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          JctoolsProbes.class.getName().replace('.', '/'),
          "valueSwappedIn",
          "(ZLjava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Z",
          false);
      mv.visitInsn(Opcodes.IRETURN);
      return new Size(4, 4);
    }
  }

  /**
   * The body of a {@code NonBlockingHashMapLong}'s {@link JctoolsProbes.ValueSwaps} method: {@code
   * JctoolsProbes.valueSwapped(true, its recorder, this, old, nu, TOMBSTONE)}.
   */
  private record LongValueSwapped(TypeDescription map) implements ByteCodeAppender {
    @Override
    public Size apply(
        MethodVisitor mv, Implementation.Context context, MethodDescription instrumentedMethod) {
      String owner = map.getInternalName();
      mv.visitInsn(Opcodes.ICONST_1);
      callValueSwapped(mv, owner, 0, 1);
      mv.visitInsn(Opcodes.POP);
      mv.visitInsn(Opcodes.RETURN);
      return new Size(6, 3);
    }
  }

  /** Advises a class of the family once its layout is checked; reports and skips it if not. */
  private static final class Checked extends Transformation.Checked {
    private final boolean isLong;
    private final boolean isChm;

    Checked(boolean isLong, boolean isChm) {
      super(JctoolsProbes.FAMILY, "its layout");
      this.isLong = isLong;
      this.isChm = isChm;
    }

    @Override
    String problem(TypeDescription type) {
      TypeDescription map = isChm ? type.getDeclaringType() : type;
      TypeDescription chm = isChm ? type : map == null ? null : chmOf(map);
      return map == null ? "is not nested in its map class" : layoutProblem(map, chm, isLong);
    }

    @Override
    DynamicType.Builder<?> advise(
        DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
      if (isChm && isLong && own && longSwapHookFits(type)) {
        if (type.getDeclaredMethods().filter(named(SWAP_HOOK)).isEmpty()) {
          builder =
              builder
                  .defineMethod(SWAP_HOOK, boolean.class, LONG_SWAP_HOOK_MODIFIERS)
                  .withParameters(int.class, Object.class, Object.class)
                  .intercept(new Implementation.Simple(new LongSwapHook(type)));
        }
        builder =
            builder.visit(
                new AsmVisitorWrapper.ForDeclaredMethods()
                    .invokable(
                        named("putIfMatch").and(takesArguments(3)),
                        new SwapCalls(
                            type.getInternalName(),
                            Opcodes.INVOKESPECIAL,
                            LONG_CAS_VAL_DESCRIPTOR,
                            LONG_CAS_VAL_DESCRIPTOR,
                            false)));
      }
      if (isChm) {
        return builder.visit(
            isLong
                ? new AsmVisitorWrapper.Compound(
                    Advice.to(JctoolsAdvice.NewTableLong.class)
                        .on(named("CAS_newchm").and(takesArguments(1))),
                    Advice.to(JctoolsAdvice.PromoteLong.class)
                        .on(named("copy_check_and_promote").and(takesArguments(int.class))))
                : Advice.to(JctoolsAdvice.Promote.class)
                    .on(named("copy_check_and_promote").and(takesArguments(3))));
      }
      Advice.WithCustomMapping advice =
          own
              ? RecorderField.advice(type, true)
                  .bind(
                      JctoolsAdvice.DeadKeys.class,
                      new StackManipulation.Compound(
                          MethodVariableAccess.loadThis(),
                          MethodInvocation.invoke(deadKeysMethod(type))),
                      int.class)
              : RecorderField.advice(type, false)
                  .bind(JctoolsAdvice.DeadKeys.class, JctoolsProbes.DEAD_KEYS_UNREAD);
      if (own) {
        builder = RecorderField.define(builder, type, true);
        if (type.getDeclaredMethods().filter(named(DEAD_KEYS)).isEmpty()) {
          builder =
              builder
                  .defineMethod(DEAD_KEYS, int.class, DEAD_KEYS_MODIFIERS)
                  .intercept(new Implementation.Simple(new DeadKeys(type, isLong)));
        }
      }
      if (own && isLong && type.getDeclaredMethods().filter(named(VALUE_SWAPPED)).isEmpty()) {
        builder =
            builder
                .implement(JctoolsProbes.ValueSwaps.class)
                .defineMethod(
                    VALUE_SWAPPED,
                    void.class,
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC)
                .withParameters(Object.class, Object.class)
                .intercept(new Implementation.Simple(new LongValueSwapped(type)));
      }
      if (own && !isLong && swapHookFits(type)) {
        if (type.getDeclaredMethods().filter(named(SWAP_HOOK)).isEmpty()) {
          builder =
              builder
                  .defineMethod(SWAP_HOOK, boolean.class, SWAP_HOOK_MODIFIERS)
                  .withParameters(
                      TypeDescription.ForLoadedType.of(Object[].class),
                      TypeDescription.ForLoadedType.of(int.class),
                      TypeDescription.ForLoadedType.of(Object.class),
                      TypeDescription.ForLoadedType.of(Object.class),
                      type)
                  .intercept(new Implementation.Simple(new SwapHook(type)));
        }
        builder =
            builder.visit(
                new AsmVisitorWrapper.ForDeclaredMethods()
                    .invokable(
                        named("putIfMatch0"),
                        new SwapCalls(
                            type.getInternalName(),
                            Opcodes.INVOKESTATIC,
                            CAS_VAL_DESCRIPTOR,
                            swapHookDescriptor(type),
                            true)));
      }
      return builder.visit(
          new AsmVisitorWrapper.Compound(
              Advice.to(JctoolsAdvice.Created.class).on(isConstructor()),
              Advice.to(JctoolsAdvice.Cloned.class)
                  .on(named("clone").and(takesArguments(0)).and(not(isBridge()))),
              advice
                  .to(JctoolsAdvice.PutIfMatch.class)
                  .on(named("putIfMatch").and(takesArguments(3))),
              advice
                  .to(JctoolsAdvice.RemoveValue.class)
                  .on(
                      named("remove")
                          .and(takesArguments(2))
                          .and(
                              isLong
                                  ? net.bytebuddy.matcher.ElementMatchers.takesArgument(
                                      0, long.class)
                                  : net.bytebuddy.matcher.ElementMatchers.takesArgument(
                                      0, Object.class))),
              Advice.to(JctoolsAdvice.Rehash.class).on(named("rehash").and(takesArguments(0))),
              Advice.to(JctoolsAdvice.Clear.class).on(named("clear"))));
    }
  }
}
