package io.tombscope.reports;

/** A problem worth fixing: {@code severity} is high, medium or low; {@code detail} says the fix. */
public record Finding(String severity, String title, String detail) {}
