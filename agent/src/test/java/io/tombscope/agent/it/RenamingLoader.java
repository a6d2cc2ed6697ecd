package io.tombscope.agent.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * Loads a library's classes under {@code prefix} itself, child first, from its jar, with one name
 * renamed in every class file (a field, so that the copy still works but has another layout). The
 * agent reads the same renamed class files through {@link #getResourceAsStream}.
 */
final class RenamingLoader extends URLClassLoader {
  private final String prefix;
  private final byte[] from;
  private final byte[] to;

  /**
   * {@code from} and {@code to}: names of one length, as a class file's CONSTANT_Utf8 holds them.
   */
  RenamingLoader(URL jar, String prefix, String from, String to, ClassLoader parent) {
    super(new URL[] {jar}, parent);
    if (from.length() != to.length() || from.length() > 255) {
      throw new IllegalArgumentException(from + " and " + to + " must be as long");
    }
    this.prefix = prefix;
    this.from = utf8(from);
    this.to = utf8(to);
  }

  private static byte[] utf8(String name) {
    byte[] bytes = new byte[name.length() + 3];
    bytes[0] = 1; // CONSTANT_Utf8
    bytes[2] = (byte) name.length();
    for (int i = 0; i < name.length(); i++) {
      bytes[i + 3] = (byte) name.charAt(i);
    }
    return bytes;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(prefix)) {
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
    if (name.startsWith(prefix.replace('.', '/')) && name.endsWith(".class")) {
      byte[] bytes = renamed(name);
      return bytes == null ? null : new ByteArrayInputStream(bytes);
    }
    return super.getResourceAsStream(name);
  }

  private byte[] renamed(String resource) {
    URL url = findResource(resource);
    if (url == null) {
      return null;
    }
    try (InputStream in = url.openStream()) {
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
