package io.tombscope.analyzer.findings;

/**
 * A problem worth fixing at one site (or in the recording as a whole, {@code site} 0).
 *
 * @param severity {@code high}, {@code medium} or {@code low}
 * @param title one line: what to do and where
 * @param detail the evidence, one or two sentences
 * @param bytesAtStake memory the fix would give back (estimated; 0 when the cost is time)
 */
public record Finding(
    String severity, int site, String siteLabel, String title, String detail, long bytesAtStake) {}
