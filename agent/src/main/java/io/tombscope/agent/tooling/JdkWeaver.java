package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.JdkHooks;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves calls to {@link JdkHooks} into the JDK's map classes with plain ASM (the copy that
 * byte-buddy carries, relocated with it): the JDK's maps are instrumented without loading
 * byte-buddy itself, which then loads only for the maps of the program's own libraries.
 *
 * <p>Each {@link Hook} names one method (or every constructor) of a class. At its entry, values are
 * computed in order ({@link Hook#atEntry}): a field of {@code this}, or a hook call; those that are
 * not void are kept in locals added after the method's own, for {@link Saved}. Before each of its
 * returns (not when it throws) the exit call runs. A call only loads values ({@code this}, a
 * parameter, a field of {@code this}, a saved value, the value being returned) and invokes one
 * static hook: the woven method gains no branch and no exception handler, because every decision,
 * and catching whatever a probe throws, is the hook's. So the method's own stack map frames stay
 * valid once the added locals are appended to them, and {@link ClassWriter#COMPUTE_MAXS} sizes the
 * rest; methods without hooks are copied as they are.
 *
 * <p>A class that lacks a method or a field its hooks name is not woven at all ({@link #weave}
 * throws, and the caller leaves the class as it is).
 */
final class JdkWeaver {
  private static final String HOOKS = Type.getInternalName(JdkHooks.class);
  private static final String CONSTRUCTOR = "<init>";

  /** Where a value that a hook call passes comes from. */
  interface Value {}

  /** {@code this}, and the value the method returns (only as the exit call's first argument). */
  enum Own implements Value {
    THIS,
    RETURNED
  }

  /** The method's parameter {@code index}, from 0, {@code this} not counted. */
  record Arg(int index) implements Value {}

  /** A field of {@code this}, declared in the woven class. */
  record Field(String name) implements Value {}

  /** The value computed at entry by {@code atEntry.get(index)}. */
  record Saved(int index) implements Value {}

  /** A call of the static {@code JdkHooks.hook} with {@code args}; its value is what it returns. */
  record Call(String hook, List<Value> args) implements Value {}

  /**
   * One woven method.
   *
   * @param className binary name of the class that declares it
   * @param method its name; {@code <init>} for every constructor
   * @param descriptor its descriptor; null for every constructor
   * @param atEntry what to compute at entry, in order (fields and calls; a constructor has none,
   *     since {@code this} is not yet initialized there)
   * @param atExit the call before each return, or null
   */
  record Hook(
      String className, String method, String descriptor, List<Value> atEntry, Call atExit) {}

  // Internal class name -> its hooks.
  private final Map<String, List<Hook>> hooksByClass = new HashMap<>();
  private final Map<String, String> hookDescriptors = new HashMap<>();

  /**
   * @throws IllegalArgumentException if a hook names no public static method of {@link JdkHooks} or
   *     uses a value where it cannot be
   */
  JdkWeaver(List<Hook> hooks) {
    for (Method m : JdkHooks.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())) {
        hookDescriptors.put(m.getName(), Type.getMethodDescriptor(m));
      }
    }
    for (Hook h : hooks) {
      check(h);
      String internalName = h.className().replace('.', '/');
      List<Hook> ofClass = hooksByClass.get(internalName);
      if (ofClass == null) {
        ofClass = new ArrayList<>();
        hooksByClass.put(internalName, ofClass);
      }
      ofClass.add(h);
    }
  }

  /** The internal names (a/b/C) of the classes to weave. */
  Set<String> internalNames() {
    return hooksByClass.keySet();
  }

  /**
   * The class {@code internalName} woven from {@code classfile}, or null if it has no hooks.
   *
   * @throws IllegalStateException if the class lacks a method or field its hooks name
   */
  byte[] weave(String internalName, byte[] classfile) {
    List<Hook> hooks = hooksByClass.get(internalName);
    if (hooks == null) {
      return null;
    }
    ClassReader reader = new ClassReader(classfile);
    // The added locals go after the method's own, so that its code stays as it is: a first pass
    // reads how many it has.
    Map<String, Integer> maxLocals = new HashMap<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            if (hookOf(hooks, name, descriptor) < 0) {
              return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitMaxs(int maxStack, int locals) {
                maxLocals.put(name + descriptor, locals);
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    ClassWeaving weaving = new ClassWeaving(writer, internalName, hooks, maxLocals);
    reader.accept(weaving, ClassReader.EXPAND_FRAMES);
    if (weaving.problem != null) {
      throw new IllegalStateException(weaving.problem);
    }
    return writer.toByteArray();
  }

  private void check(Hook h) {
    boolean constructor = h.method().equals(CONSTRUCTOR);
    if (constructor != (h.descriptor() == null) || (constructor && !h.atEntry().isEmpty())) {
      throw new IllegalArgumentException("a hook of every constructor runs at exit only: " + h);
    }
    for (int i = 0; i < h.atEntry().size(); i++) {
      Value v = h.atEntry().get(i);
      if (!(v instanceof Call || v instanceof Field)) {
        throw new IllegalArgumentException("only fields and calls are computed at entry: " + h);
      }
      checkArgs(h, v, i);
    }
    if (h.atExit() != null) {
      checkArgs(h, h.atExit(), h.atEntry().size());
    }
  }

  /** Checks {@code v}, computed after {@code saved} entry values, and what it passes. */
  private void checkArgs(Hook h, Value v, int saved) {
    if (v instanceof Saved s && (s.index() < 0 || s.index() >= saved)) {
      throw new IllegalArgumentException("saved value " + s.index() + " is not yet computed: " + h);
    }
    if (v instanceof Call c) {
      String descriptor = hookDescriptors.get(c.hook());
      if (descriptor == null || Type.getArgumentTypes(descriptor).length != c.args().size()) {
        throw new IllegalArgumentException("JdkHooks has no " + c.hook() + " for " + h);
      }
      for (int i = 0; i < c.args().size(); i++) {
        Value arg = c.args().get(i);
        if (arg == Own.RETURNED && (c != h.atExit() || i != 0)) {
          throw new IllegalArgumentException("the value returned is the exit's first: " + h);
        }
        checkArgs(h, arg, saved);
      }
    }
  }

  /**
   * The index in {@code hooks} of the hook of method {@code name} with {@code descriptor}, or -1.
   */
  private static int hookOf(List<Hook> hooks, String name, String descriptor) {
    for (int i = 0; i < hooks.size(); i++) {
      Hook h = hooks.get(i);
      if (h.method().equals(name)
          && (h.descriptor() == null || h.descriptor().equals(descriptor))) {
        return i;
      }
    }
    return -1;
  }

  /** Finds each hooked method of one class and checks the fields the hooks read. */
  private final class ClassWeaving extends ClassVisitor {
    private final String owner;
    private final List<Hook> hooks;
    // Method name + descriptor -> the slots of its own locals (parameters and this included).
    private final Map<String, Integer> maxLocals;
    private final boolean[] found;
    // Field name -> descriptor; a class's fields are visited before its methods.
    private final Map<String, String> fields = new HashMap<>();
    String problem;

    ClassWeaving(
        ClassVisitor next, String owner, List<Hook> hooks, Map<String, Integer> maxLocals) {
      super(Opcodes.ASM9, next);
      this.owner = owner;
      this.hooks = hooks;
      this.maxLocals = maxLocals;
      this.found = new boolean[hooks.size()];
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String descriptor, String signature, Object value) {
      if ((access & Opcodes.ACC_STATIC) == 0) {
        fields.put(name, descriptor);
      }
      return super.visitField(access, name, descriptor, signature, value);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      int index = hookOf(hooks, name, descriptor);
      if (index < 0) {
        return next;
      }
      Hook h = hooks.get(index);
      found[index] = true;
      if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0) {
        fail(name + descriptor + " is static or abstract");
        return next;
      }
      MethodWeaving weaving =
          new MethodWeaving(next, owner, descriptor, h, maxLocals.get(name + descriptor));
      return problem == null ? weaving : next;
    }

    @Override
    public void visitEnd() {
      for (int i = 0; i < hooks.size(); i++) {
        if (!found[i]) {
          Hook h = hooks.get(i);
          fail("no method " + h.method() + (h.descriptor() == null ? "" : h.descriptor()));
        }
      }
      super.visitEnd();
    }

    private void fail(String why) {
      if (problem == null) {
        problem = why;
      }
    }

    /** Weaves one method: entry code, exit calls, and the added locals in every frame. */
    private final class MethodWeaving extends MethodVisitor {
      private final String methodOwner;
      private final Hook hook;
      private final Type[] params;
      private final Type returnType;
      // The method's own locals take the slots below; the added ones follow them.
      private final int firstAdded;
      private final int[] savedSlot;
      private final Type[] savedType;
      private final boolean adds;

      MethodWeaving(
          MethodVisitor next, String methodOwner, String descriptor, Hook hook, int maxLocals) {
        super(Opcodes.ASM9, next);
        this.methodOwner = methodOwner;
        this.hook = hook;
        this.params = Type.getArgumentTypes(descriptor);
        this.returnType = Type.getReturnType(descriptor);
        this.firstAdded = maxLocals;
        int n = hook.atEntry().size();
        savedSlot = new int[n];
        savedType = new Type[n];
        int slot = firstAdded;
        for (int i = 0; i < n; i++) {
          Type t = typeOf(hook.atEntry().get(i));
          savedType[i] = t;
          savedSlot[i] = slot;
          if (t.getSort() == Type.INT || t.getSort() == Type.LONG) {
            slot += t.getSize();
          } else if (t.getSort() != Type.VOID) {
            fail("only int and long values are saved at entry: " + hook);
          }
        }
        this.adds = slot > firstAdded;
        checkFields(hook.atEntry());
        if (hook.atExit() != null) {
          checkFields(List.of(hook.atExit()));
        }
      }

      private void checkFields(List<Value> values) {
        for (Value v : values) {
          if (v instanceof Field f && !fields.containsKey(f.name())) {
            fail("no field " + f.name());
          } else if (v instanceof Call c) {
            checkFields(c.args());
          }
        }
      }

      @Override
      public void visitCode() {
        super.visitCode();
        for (int i = 0; i < hook.atEntry().size(); i++) {
          load(hook.atEntry().get(i));
          if (savedType[i].getSort() != Type.VOID) {
            super.visitVarInsn(savedType[i].getOpcode(Opcodes.ISTORE), savedSlot[i]);
          }
        }
      }

      @Override
      public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && hook.atExit() != null) {
          List<Value> args = hook.atExit().args();
          if (!args.isEmpty() && args.get(0) == Own.RETURNED) {
            super.visitInsn(returnType.getSize() == 2 ? Opcodes.DUP2 : Opcodes.DUP);
            args = args.subList(1, args.size());
          }
          for (Value v : args) {
            load(v);
          }
          invoke(hook.atExit());
        }
        super.visitInsn(opcode);
      }

      /** Pushes {@code v} (a call: its arguments, then the call). */
      private void load(Value v) {
        if (v == Own.THIS) {
          super.visitVarInsn(Opcodes.ALOAD, 0);
        } else if (v instanceof Arg a) {
          int slot = 1;
          for (int i = 0; i < a.index(); i++) {
            slot += params[i].getSize();
          }
          super.visitVarInsn(params[a.index()].getOpcode(Opcodes.ILOAD), slot);
        } else if (v instanceof Field f) {
          super.visitVarInsn(Opcodes.ALOAD, 0);
          super.visitFieldInsn(Opcodes.GETFIELD, methodOwner, f.name(), fields.get(f.name()));
        } else if (v instanceof Saved s) {
          super.visitVarInsn(savedType[s.index()].getOpcode(Opcodes.ILOAD), savedSlot[s.index()]);
        } else if (v instanceof Call c) {
          for (Value arg : c.args()) {
            load(arg);
          }
          invoke(c);
        }
      }

      private void invoke(Call c) {
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, HOOKS, c.hook(), hookDescriptors.get(c.hook()), false);
      }

      private Type typeOf(Value v) {
        if (v instanceof Call c) {
          return Type.getReturnType(hookDescriptors.get(c.hook()));
        }
        String descriptor = fields.get(((Field) v).name());
        return descriptor == null ? Type.VOID_TYPE : Type.getType(descriptor);
      }

      /**
       * Adds the saved values' locals to an expanded frame (F_NEW: every local listed, a long or
       * double as one entry for two slots), after the method's own, padded to their slot.
       */
      @Override
      public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (!adds) {
          super.visitFrame(type, numLocal, local, numStack, stack);
          return;
        }
        if (type != Opcodes.F_NEW) {
          throw new IllegalStateException("a compressed frame: the class was read unexpanded");
        }
        List<Object> locals = new ArrayList<>(firstAdded + savedType.length);
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
          locals.add(local[i]);
          slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < firstAdded; slots++) {
          locals.add(Opcodes.TOP);
        }
        for (Type t : savedType) {
          if (t.getSort() == Type.INT) {
            locals.add(Opcodes.INTEGER);
          } else if (t.getSort() == Type.LONG) {
            locals.add(Opcodes.LONG);
          }
        }
        super.visitFrame(type, locals.size(), locals.toArray(), numStack, stack);
      }
    }
  }
}
