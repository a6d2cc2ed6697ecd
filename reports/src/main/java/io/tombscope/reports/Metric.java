package io.tombscope.reports;

/**
 * One big number in an overview: {@code value} already formatted, {@code hint} a short line under
 * it (may be null).
 */
public record Metric(String label, String value, String hint) {}
