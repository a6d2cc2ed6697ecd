package io.tombscope.agent.it;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Iterator;

/**
 * Uses two copies of fastutil side by side: the class path's own, and one loaded by a class loader
 * of its own in which the name {@code maxFill} (the maps' field, and {@code HashCommon}'s method
 * that computes it) is {@code maxFell} in every class, so the copy works. The agent must skip the
 * renamed copy's map and its iterator, saying why, and still record the other; the printed results
 * must be the same with and without the agent.
 */
public final class MisshapedFastutilProgram {
  public static void main(String[] args) throws Exception {
    URL jar = Int2ObjectOpenHashMap.class.getProtectionDomain().getCodeSource().getLocation();
    try (MisshapedTroveProgram.RenamingLoader loader =
        new MisshapedTroveProgram.RenamingLoader(
            jar, "it.unimi.dsi.fastutil.", "maxFill", "maxFell")) {
      Class<?> type = loader.loadClass("it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap");
      if (type.getClassLoader() != loader) {
        throw new IllegalStateException("the renamed copy did not load: " + type);
      }
      Object renamed = type.getConstructor().newInstance();
      Method put = type.getMethod("put", int.class, Object.class);
      Method remove = type.getMethod("remove", int.class);
      Method size = type.getMethod("size");
      Method values = type.getMethod("values");
      Int2ObjectOpenHashMap<String> plain = new Int2ObjectOpenHashMap<>();
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
      // The copy's iterator removes too: it is skipped with its map class.
      for (Iterator<?> it = ((Iterable<?>) values.invoke(renamed)).iterator(); it.hasNext(); ) {
        if (it.next().hashCode() % 5 == 0) {
          it.remove();
          checksum += 3;
        }
      }
      System.out.println("RESULT " + size.invoke(renamed) + " " + plain.size() + " " + checksum);
    }
  }
}
