package io.tombscope.agent.it;

import java.lang.reflect.Method;
import java.net.URL;
import org.jctools.maps.NonBlockingHashMap;

/**
 * Uses two copies of JCTools side by side: the class path's own, and one loaded by a class loader
 * of its own in which {@code NonBlockingHashMap$CHM}'s field {@code _newkvs} is renamed {@code
 * _newkvz} (in every class of that copy, so the copy works). The agent must skip the renamed copy's
 * map and {@code CHM}, saying why, and still record the other; the printed results must be the same
 * with and without the agent.
 */
public final class MisshapedJctoolsProgram {
  public static void main(String[] args) throws Exception {
    URL jar = NonBlockingHashMap.class.getProtectionDomain().getCodeSource().getLocation();
    try (MisshapedTroveProgram.RenamingLoader loader =
        new MisshapedTroveProgram.RenamingLoader(jar, "org.jctools.", "_newkvs", "_newkvz")) {
      Class<?> type = loader.loadClass("org.jctools.maps.NonBlockingHashMap");
      if (type.getClassLoader() != loader) {
        throw new IllegalStateException("the renamed copy did not load: " + type);
      }
      Object renamed = type.getConstructor().newInstance();
      Method put = type.getMethod("put", Object.class, Object.class);
      Method remove = type.getMethod("remove", Object.class);
      Method size = type.getMethod("size");
      NonBlockingHashMap<Integer, String> plain = new NonBlockingHashMap<>();
      long checksum = 0;
      for (int i = 0; i < 5_000; i++) {
        put.invoke(renamed, i, "v" + i);
        plain.put(i, "v" + i);
      }
      for (int i = 0; i < 5_000; i += 2) {
        checksum += remove.invoke(renamed, i) == null ? 1 : 7;
        checksum += plain.remove(i) == null ? 1 : 7;
        checksum += remove.invoke(renamed, -i - 1) == null ? 1 : 7;
      }
      System.out.println("RESULT " + size.invoke(renamed) + " " + plain.size() + " " + checksum);
    }
  }
}
