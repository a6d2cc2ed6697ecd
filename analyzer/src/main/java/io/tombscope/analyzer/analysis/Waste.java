package io.tombscope.analyzer.analysis;

/**
 * What a site's waste cost over the whole run, not only at its last gauge: the most it held at
 * once, and how long. Waste is the family's own kind (see {@code docs/findings.md}): dead slots
 * beyond each map's default table for the families that keep their peak capacity, stale entries for
 * weak and thread-local maps, tombstones for {@code BucketHashMap}.
 *
 * @param peakBytes the most waste the site's maps held at one gauge, in bytes
 * @param byteSeconds waste bytes integrated over the run (each gauge's waste × its interval)
 * @param peakSeconds when the peak was seen, seconds since the start
 * @param heldSeconds how long the site held any waste
 * @param peakUnits the waste at the peak in the family's unit (dead slots, stale entries,
 *     tombstones)
 * @param slotsAtPeak the site's table slots at the peak
 * @param sizeAtPeak the site's entries at the peak
 * @param mapsAtPeak the site's live maps at the peak
 * @param died the site's maps had all died by the end of the recording (0 maps at its last gauge)
 * @param exact the agent followed the waste that deletes caused map by map ({@code drained*} gauge
 *     keys), so the peak includes moments between gauges and needs no test of its cause
 */
public record Waste(
    long peakBytes,
    long byteSeconds,
    double peakSeconds,
    double heldSeconds,
    long peakUnits,
    long slotsAtPeak,
    long sizeAtPeak,
    long mapsAtPeak,
    boolean died,
    boolean exact) {
  public static final Waste NONE = new Waste(0, 0, 0, 0, 0, 0, 0, 0, false, false);
}
