package io.tombscope.reports;

/** One group member of a bar chart: one value per category, in the categories' order. */
public record BarSeries(String name, double[] values) {}
