package io.tombscope.map;

/** A key whose every instance hashes alike, so tests can fill one bucket chain on purpose. */
record Collider(int id) {
  @Override
  public int hashCode() {
    return 42;
  }
}
