package io.tombscope.agent.it;

import java.lang.reflect.Method;
import java.net.URL;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

/**
 * Uses two copies of Eclipse Collections side by side: the class path's own, and one loaded by a
 * class loader of its own in which the field {@code occupiedWithSentinels} is renamed {@code
 * occupiedWithSentinelz} (in every class of that copy, so the copy works). The agent must skip the
 * renamed copy's maps, saying why, and still record the other; the printed results must be the same
 * with and without the agent.
 */
public final class MisshapedEclipseProgram {
  public static void main(String[] args) throws Exception {
    URL jar = LongObjectHashMap.class.getProtectionDomain().getCodeSource().getLocation();
    try (MisshapedTroveProgram.RenamingLoader loader =
        new MisshapedTroveProgram.RenamingLoader(
            jar,
            "org.eclipse.collections.impl.",
            "occupiedWithSentinels",
            "occupiedWithSentinelz")) {
      Class<?> type = loader.loadClass(LongObjectHashMap.class.getName());
      if (type.getClassLoader() != loader) {
        throw new IllegalStateException("the renamed copy did not load: " + type);
      }
      Object renamed = type.getConstructor().newInstance();
      Method put = type.getMethod("put", long.class, Object.class);
      Method remove = type.getMethod("removeKey", long.class);
      Method size = type.getMethod("size");
      LongObjectHashMap<String> plain = new LongObjectHashMap<>();
      long checksum = 0;
      for (int i = 2; i < 5_002; i++) {
        put.invoke(renamed, i, "v" + i);
        plain.put(i, "v" + i);
      }
      for (int i = 2; i < 5_002; i += 2) {
        checksum += remove.invoke(renamed, i) == null ? 1 : 7;
        checksum += plain.removeKey(i) == null ? 1 : 7;
        checksum += plain.removeKey(-i - 1) == null ? 1 : 7;
        checksum += remove.invoke(renamed, -i - 1) == null ? 1 : 7;
      }
      System.out.println("RESULT " + size.invoke(renamed) + " " + plain.size() + " " + checksum);
    }
  }
}
