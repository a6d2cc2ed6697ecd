package io.tombscope.reports;

/** A table column; numeric columns are right-aligned and sort by value. */
public record Column(String name, boolean numeric) {}
