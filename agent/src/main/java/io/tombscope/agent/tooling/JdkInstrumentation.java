package io.tombscope.agent.tooling;

import io.tombscope.agent.bootstrap.AppCode;
import io.tombscope.agent.bootstrap.JdkGauges;
import io.tombscope.agent.bootstrap.JdkProbes;
import io.tombscope.agent.tooling.JdkWeaver.Arg;
import io.tombscope.agent.tooling.JdkWeaver.Call;
import io.tombscope.agent.tooling.JdkWeaver.Field;
import io.tombscope.agent.tooling.JdkWeaver.Hook;
import io.tombscope.agent.tooling.JdkWeaver.Own;
import io.tombscope.agent.tooling.JdkWeaver.Saved;
import io.tombscope.agent.tooling.JdkWeaver.Value;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JDK's map classes, already loaded by the time the agent starts and so retransformed: the
 * methods {@link JdkWeaver} weaves into them ({@link #hooks}) and what the probes need first
 * ({@link #prepare}).
 */
final class JdkInstrumentation {
  // Map itself, for the default remove(key, value) that some of the maps below inherit.
  static final String MAP = "java.util.Map";
  static final String HASH_MAP = "java.util.HashMap";
  static final String LINKED_HASH_MAP = "java.util.LinkedHashMap";
  static final String CONCURRENT_HASH_MAP = "java.util.concurrent.ConcurrentHashMap";
  static final String WEAK_HASH_MAP = "java.util.WeakHashMap";
  static final String IDENTITY_HASH_MAP = "java.util.IdentityHashMap";
  static final String IDENTITY_ITERATOR = "java.util.IdentityHashMap$IdentityHashMapIterator";
  static final String THREAD_LOCAL_MAP = "java.lang.ThreadLocal$ThreadLocalMap";

  private static final String REMOVE_KEY = "(Ljava/lang/Object;)Ljava/lang/Object;";
  private static final String REMOVE_KEY_VALUE = "(Ljava/lang/Object;Ljava/lang/Object;)Z";
  private static final String AFTER_NODE_REMOVAL = "(Ljava/util/HashMap$Node;)V";

  // Values a hook call passes.
  private static final Value THIS = Own.THIS;
  private static final Value RETURNED = Own.RETURNED;
  private static final Value SIZE = new Field("size");
  private static final Value TABLE = new Field("table");
  private static final Value MOD_COUNT = new Field("modCount");
  private static final Value SAVED_0 = new Saved(0);
  private static final Value SAVED_1 = new Saved(1);

  // What every hook first uses (the lookup of tracked maps, the untracked totals) and what
  // tracking a map first uses (JdkProbes.track and the hooks after it), in the boot loader.
  private static final String BOOTSTRAP_PACKAGE = "io.tombscope.agent.bootstrap.";
  private static final List<String> PROBE_CLASSES =
      List.of(
          "TrackedMaps",
          "Untracked",
          "Site",
          "CallSites",
          "LogHistogram",
          "ProbeLengths",
          "MapRecorder",
          "ThreadLanes");

  private JdkInstrumentation() {}

  /**
   * Opens what the probes need and readies them; false (with a warning) if it cannot, and then the
   * JDK's maps are left alone.
   */
  static boolean prepare(
      Instrumentation inst, int trackedOneIn, int growSlots, String app, Consumer<String> warn) {
    try {
      // The woven JDK classes call the probes in the boot loader's unnamed module, which
      // java.base does not read by default; the gauges read private fields of java.util and
      // java.lang. Both are granted to that module only, never to the application's class path.
      Module probes = JdkProbes.class.getModule();
      Module base = Object.class.getModule();
      inst.redefineModule(
          base,
          Set.of(probes),
          Map.of(),
          Map.of(
              "java.util", Set.of(probes),
              "java.util.concurrent", Set.of(probes),
              "java.lang", Set.of(probes)),
          Set.of(),
          Map.of());
      JdkGauges.init();
      JdkProbes.configure(trackedOneIn, growSlots);
      AppCode.configure(app, System.getProperty("sun.java.command"));
      // Loaded and initialized now, not from inside a map operation of the class being woven: the
      // first untracked delete, or the first map tracked, would otherwise initialize them, and
      // making their VarHandles runs the JDK's own woven maps, whose hooks would find them
      // half-initialized.
      for (String probe : PROBE_CLASSES) {
        Class.forName(BOOTSTRAP_PACKAGE + probe, true, null);
      }
      // Loaded now, so that it is retransformed with the others rather than transformed while it
      // loads from inside an IdentityHashMap operation.
      Class.forName(IDENTITY_ITERATOR);
      return true;
    } catch (Throwable t) {
      warn.accept("JDK maps are not recorded: " + t);
      return false;
    }
  }

  /**
   * Every woven method and the {@code JdkHooks} it calls, class by class. Only methods that stay
   * small once woven, or that are too big to be inlined anyway, are hooked; the hot lookup paths
   * ({@code get}, {@code put}) are never touched.
   */
  static List<Hook> hooks() {
    return List.of(
        // Map's default remove(key, value), which some of the maps below inherit.
        atExit(MAP, "remove", REMOVE_KEY_VALUE, call("removeKeyValueReturned", RETURNED, THIS)),
        created(HASH_MAP),
        atEntry(HASH_MAP, "afterNodeRemoval", AFTER_NODE_REMOVAL, call("nodeRemoved", THIS)),
        timedRemove(
            HASH_MAP, SIZE, call("removeKeyReturned", RETURNED, THIS, SAVED_0, SAVED_1, SIZE)),
        atExit(
            HASH_MAP, "remove", REMOVE_KEY_VALUE, call("removeKeyValueReturned", RETURNED, THIS)),
        resize(HASH_MAP, "()[Ljava/util/HashMap$Node;", RETURNED),
        atEntry(HASH_MAP, "clear", "()V", call("clearing", THIS, SIZE)),
        // LinkedHashMap overrides afterNodeRemoval without calling HashMap's.
        atEntry(LINKED_HASH_MAP, "afterNodeRemoval", AFTER_NODE_REMOVAL, call("nodeRemoved", THIS)),
        created(CONCURRENT_HASH_MAP),
        atEntry(CONCURRENT_HASH_MAP, "addCount", "(JI)V", call("addCount", THIS, new Arg(0))),
        new Hook(
            CONCURRENT_HASH_MAP,
            "remove",
            REMOVE_KEY,
            List.of(call("removeStart", THIS)),
            call("concurrentRemoveKeyReturned", RETURNED, THIS, SAVED_0)),
        atExit(
            CONCURRENT_HASH_MAP,
            "remove",
            REMOVE_KEY_VALUE,
            call("concurrentRemoveKeyValueReturned", RETURNED, THIS)),
        new Hook(
            CONCURRENT_HASH_MAP,
            "transfer",
            "([Ljava/util/concurrent/ConcurrentHashMap$Node;"
                + "[Ljava/util/concurrent/ConcurrentHashMap$Node;)V",
            List.of(call("transferStart", THIS, new Arg(0), new Arg(1))),
            call("transferEnded", THIS, SAVED_0, new Field("nextTable"), TABLE)),
        created(WEAK_HASH_MAP),
        // Its size also drops by the stale entries it expunges first: modCount tells a hit.
        timedRemove(
            WEAK_HASH_MAP,
            MOD_COUNT,
            call("weakRemoveReturned", RETURNED, THIS, SAVED_0, SAVED_1, MOD_COUNT)),
        expunge(WEAK_HASH_MAP, "expungeStaleEntries", "()V"),
        resize(WEAK_HASH_MAP, "(I)V", TABLE),
        atEntry(WEAK_HASH_MAP, "clear", "()V", call("clearing", THIS, SIZE)),
        created(IDENTITY_HASH_MAP),
        timedRemove(
            IDENTITY_HASH_MAP, SIZE, call("sizeRemoveReturned", THIS, SAVED_0, SAVED_1, SIZE)),
        atExit(
            IDENTITY_HASH_MAP,
            "removeMapping",
            REMOVE_KEY_VALUE,
            call("removeReturned", RETURNED, THIS)),
        resize(IDENTITY_HASH_MAP, "(I)Z", TABLE),
        atEntry(IDENTITY_HASH_MAP, "clear", "()V", call("clearing", THIS, SIZE)),
        // Over the live table it unlinks the entry without calling remove(key).
        new Hook(
            IDENTITY_ITERATOR,
            "remove",
            "()V",
            List.of(
                call(
                    "identityIteratorRemoveStart",
                    new Field("this$0"),
                    new Field("traversalTable"))),
            call("identityIteratorRemoveEnded", new Field("this$0"), SAVED_0)),
        created(THREAD_LOCAL_MAP),
        new Hook(
            THREAD_LOCAL_MAP,
            "remove",
            "(Ljava/lang/ThreadLocal;)V",
            List.of(call("threadLocalRemoveStart", THIS)),
            call("threadLocalRemoveEnded", THIS)),
        expunge(THREAD_LOCAL_MAP, "expungeStaleEntry", "(I)I"),
        resize(THREAD_LOCAL_MAP, "()V", TABLE));
  }

  private static Call call(String hook, Value... args) {
    return new Call(hook, List.of(args));
  }

  private static Hook atEntry(String className, String method, String descriptor, Call entry) {
    return new Hook(className, method, descriptor, List.of(entry), null);
  }

  private static Hook atExit(String className, String method, String descriptor, Call exit) {
    return new Hook(className, method, descriptor, List.of(), exit);
  }

  /** The end of every constructor. */
  private static Hook created(String className) {
    return new Hook(className, "<init>", null, List.of(), call("created", THIS));
  }

  /**
   * {@code remove(key)}: at entry, the {@code counter} field that tells a hit from a miss (saved 0)
   * and the start time if this remove is the one timed (saved 1).
   */
  private static Hook timedRemove(String className, Value counter, Call exit) {
    return new Hook(
        className, "remove", REMOVE_KEY, List.of(counter, call("removeStart", THIS)), exit);
  }

  /**
   * A resize: at entry the table's capacity (saved 0) and the start time (saved 1); at exit the new
   * table, which {@code table} reads (the value returned, or the field).
   */
  private static Hook resize(String className, String descriptor, Value table) {
    return new Hook(
        className,
        "resize",
        descriptor,
        List.of(call("capacity", TABLE), call("resizeStart", THIS, SAVED_0)),
        call("resized", table, THIS, SAVED_1, SAVED_0, SIZE));
  }

  /** An expunge of stale entries: the size drop is what it removed. */
  private static Hook expunge(String className, String method, String descriptor) {
    return new Hook(
        className, method, descriptor, List.of(SIZE), call("expungeEnded", THIS, SAVED_0, SIZE));
  }
}
