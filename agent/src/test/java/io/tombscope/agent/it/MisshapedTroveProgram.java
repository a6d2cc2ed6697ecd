package io.tombscope.agent.it;

import gnu.trove.map.hash.TIntObjectHashMap;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * Uses two copies of Trove side by side: the class path's own, and one loaded by a class loader of
 * its own in which THash's field {@code _free} is renamed {@code _frei} (in every class of that
 * copy, so the copy works). The agent must skip the renamed copy, saying why, and still record the
 * other; the printed results must be the same with and without the agent.
 */
public final class MisshapedTroveProgram {
  public static void main(String[] args) throws Exception {
    URL troveJar = TIntObjectHashMap.class.getProtectionDomain().getCodeSource().getLocation();
    try (RenamingLoader loader = new RenamingLoader(troveJar, "gnu.trove.", "_free", "_frei")) {
      Class<?> type = loader.loadClass("gnu.trove.map.hash.TIntObjectHashMap");
      if (type.getClassLoader() != loader) {
        throw new IllegalStateException("the renamed copy did not load: " + type);
      }
      Object renamed = type.getConstructor().newInstance();
      Method put = type.getMethod("put", int.class, Object.class);
      Method remove = type.getMethod("remove", int.class);
      Method size = type.getMethod("size");
      TIntObjectHashMap<String> plain = new TIntObjectHashMap<>();
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

  /**
   * Loads one library's classes itself, child first, with one name (a field's, or a method's)
   * renamed in each: a copy that works, of another layout.
   */
  static final class RenamingLoader extends URLClassLoader {
    private final String packageName;
    private final String resourcePrefix;
    // CONSTANT_Utf8 entries: the name wherever a class file names it.
    private final byte[] from;
    private final byte[] to;

    RenamingLoader(URL jar, String packageName, String from, String to) {
      super(new URL[] {jar}, MisshapedTroveProgram.class.getClassLoader());
      if (from.length() != to.length()) {
        throw new IllegalArgumentException("a rename keeps the length: " + from + " " + to);
      }
      this.packageName = packageName;
      this.resourcePrefix = packageName.replace('.', '/');
      this.from = utf8(from);
      this.to = utf8(to);
    }

    private static byte[] utf8(String name) {
      byte[] bytes = new byte[3 + name.length()];
      bytes[0] = 1;
      bytes[2] = (byte) name.length();
      for (int i = 0; i < name.length(); i++) {
        bytes[3 + i] = (byte) name.charAt(i);
      }
      return bytes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(packageName)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          byte[] bytes = renamed(name.replace('.', '/') + ".class");
          if (bytes == null) {
            throw new ClassNotFoundException(name);
          }
          c = defineClass(name, bytes, 0, bytes.length);
        }
        return c;
      }
    }

    /** The class files as this copy has them, for whoever reads them (the agent does). */
    @Override
    public InputStream getResourceAsStream(String name) {
      if (name.startsWith(resourcePrefix) && name.endsWith(".class")) {
        byte[] bytes = renamed(name);
        return bytes == null ? null : new ByteArrayInputStream(bytes);
      }
      return super.getResourceAsStream(name);
    }

    private byte[] renamed(String resource) {
      try (InputStream in =
          findResource(resource) == null ? null : findResource(resource).openStream()) {
        if (in == null) {
          return null;
        }
        byte[] bytes = in.readAllBytes();
        for (int i = 0; i + from.length <= bytes.length; i++) {
          if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
            System.arraycopy(to, 0, bytes, i, to.length);
          }
        }
        return bytes;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
