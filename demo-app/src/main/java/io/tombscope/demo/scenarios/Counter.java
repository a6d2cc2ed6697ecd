package io.tombscope.demo.scenarios;

/** Exact counts of what one scenario did to one kind of map. */
final class Counter {
  long maps;
  long inserts;
  long deleteHits;
  long deleteMisses;

  void delete(boolean hit) {
    if (hit) {
      deleteHits++;
    } else {
      deleteMisses++;
    }
  }

  void add(Counter other) {
    maps += other.maps;
    inserts += other.inserts;
    deleteHits += other.deleteHits;
    deleteMisses += other.deleteMisses;
  }
}
