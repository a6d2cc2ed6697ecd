package io.tombscope.analyzer.analysis;

/**
 * How a site's maps are used, from its counters and size over time. The rules, checked in this
 * order, are documented in {@code docs/findings.md}.
 */
public enum DeletePattern {
  NO_DELETES("insert-only", "entries are added (and maybe updated) but never deleted"),
  MISS_STORM(
      "delete-miss storm", "most deletes target keys that are not there: each one still probes"),
  CLEAR_AND_REFILL(
      "clear-and-refill", "the map is emptied with clear() and filled again, repeatedly"),
  BULK_LOAD_THEN_DRAIN(
      "bulk load then drain", "the map was filled, then most of its entries were deleted"),
  STEADY_CHURN(
      "steady churn at constant size",
      "deletes and inserts balance: the size stays flat while keys turn over"),
  MIXED("mixed", "inserts and deletes with no single dominant pattern");

  public final String label;
  public final String meaning;

  DeletePattern(String label, String meaning) {
    this.label = label;
    this.meaning = meaning;
  }

  static final double MISS_STORM_RATIO = 0.5;
  static final long MISS_STORM_MIN_DELETES = 1000;
  static final long CLEAR_AND_REFILL_MIN_CLEARS = 3;
  static final double DRAIN_FINAL_TO_PEAK = 0.25;
  static final double DRAIN_DELETED_TO_PEAK = 0.5;
  static final double CHURN_FINAL_TO_PEAK = 0.5;
  static final double CHURN_TURNOVER = 2.0;

  /** Classifies one site; see {@code docs/findings.md}. */
  static DeletePattern classify(
      long deleteHits, long deleteMisses, long clears, long maps, long peakSize, long finalSize) {
    long deletes = deleteHits + deleteMisses;
    if (deletes == 0) {
      return NO_DELETES;
    }
    if (deletes >= MISS_STORM_MIN_DELETES && deleteMisses >= MISS_STORM_RATIO * deletes) {
      return MISS_STORM;
    }
    if (clears >= CLEAR_AND_REFILL_MIN_CLEARS * Math.max(1, maps)) {
      return CLEAR_AND_REFILL;
    }
    if (peakSize > 0
        && finalSize <= DRAIN_FINAL_TO_PEAK * peakSize
        && deleteHits >= DRAIN_DELETED_TO_PEAK * peakSize) {
      return BULK_LOAD_THEN_DRAIN;
    }
    if (peakSize > 0
        && finalSize >= CHURN_FINAL_TO_PEAK * peakSize
        && deleteHits >= CHURN_TURNOVER * peakSize) {
      return STEADY_CHURN;
    }
    return MIXED;
  }
}
