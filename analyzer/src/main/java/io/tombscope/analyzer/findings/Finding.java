package io.tombscope.analyzer.findings;

/**
 * A problem worth fixing at one site (or in the recording as a whole, {@code site} 0).
 *
 * @param kind the rule that found it ({@code peakCapacity}, {@code missStorm} ...), as listed in
 *     {@code docs/findings.md}
 * @param severity {@code high}, {@code medium} or {@code low}
 * @param title one line: what to do and where
 * @param detail the evidence, one or two sentences
 * @param bytesAtStake memory the fix would give back at the waste's peak (estimated; 0 when the
 *     cost is time)
 * @param byteSeconds what the waste cost over the run: its bytes times how long they were held (0
 *     when the cost is time)
 * @param line the code line the finding asks to change: the line that deletes for delete rules, the
 *     program's line that builds the map for waste rules; the site's first frame when nothing
 *     better was recorded, empty for findings about the whole recording
 */
public record Finding(
    String kind,
    String severity,
    int site,
    String siteLabel,
    String title,
    String detail,
    long bytesAtStake,
    long byteSeconds,
    String line) {

  /** The same finding with {@code suffix} added to its title and {@code more} to its detail. */
  Finding amended(String suffix, String more) {
    return new Finding(
        kind,
        severity,
        site,
        siteLabel,
        title + suffix,
        detail + more,
        bytesAtStake,
        byteSeconds,
        line);
  }
}
