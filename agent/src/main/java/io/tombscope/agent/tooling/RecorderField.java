package io.tombscope.agent.tooling;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.tombscope.agent.bootstrap.RecorderFields;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The third-party families' {@link RecorderFields field}, on the tooling side: a class that loads
 * after the agent started gains it, and its advice reads it through a parameter annotated {@link
 * Value}; a class retransformed after it loaded (a late attach) cannot gain a field, and there the
 * parameter is null, which sends the probes to their lookup.
 */
final class RecorderField {
  private static final int MODIFIERS =
      Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC;

  private RecorderField() {}

  /** An advice parameter ({@code Object}) bound to the class's field, or to null without it. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface Value {}

  /**
   * Adds the field to {@code type} if it may gain one ({@code own}) and has none yet: a class
   * retransformed after it gained one may be described with it (and keeps it).
   */
  static DynamicType.Builder<?> define(
      DynamicType.Builder<?> builder, TypeDescription type, boolean own) {
    return own && type.getDeclaredFields().filter(named(RecorderFields.NAME)).isEmpty()
        ? builder.defineField(RecorderFields.NAME, Object.class, MODIFIERS)
        : builder;
  }

  /** Advice whose {@link Value} parameters read the field of {@code type}, or are null. */
  static Advice.WithCustomMapping advice(TypeDescription type, boolean own) {
    Advice.WithCustomMapping mapping = Advice.withCustomMapping();
    if (!own) {
      return mapping.bind(Value.class, (Object) null);
    }
    FieldDescription field =
        new FieldDescription.Latent(
            type, RecorderFields.NAME, MODIFIERS, TypeDescription.Generic.OBJECT, List.of());
    return mapping.bind(
        new Advice.OffsetMapping.ForField.Resolved.Factory<>(
            Value.class, field, true, Assigner.Typing.STATIC));
  }
}
