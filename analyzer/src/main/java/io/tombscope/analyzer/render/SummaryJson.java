package io.tombscope.analyzer.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tombscope.analyzer.analysis.Analysis;
import io.tombscope.analyzer.analysis.SiteAnalysis;
import io.tombscope.analyzer.findings.Finding;
import io.tombscope.analyzer.read.Meta;
import io.tombscope.analyzer.read.Release;
import java.time.Instant;
import java.util.List;

/**
 * {@code tombscope summary --json}. The keys are a public contract (DESIGN: add, never rename);
 * {@code SummaryJsonTest} lists them.
 */
public final class SummaryJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  public static String render(Analysis a) {
    return JSON.valueToTree(tree(a)).toPrettyString();
  }

  public static ObjectNode tree(Analysis a) {
    ObjectNode root = JSON.createObjectNode();
    Meta m = a.recording().meta();
    ObjectNode rec = root.putObject("recording");
    rec.put("directory", a.recording().directory().toString());
    rec.put("start", Instant.ofEpochMilli(m.startEpochMs()).toString());
    rec.put("durationMs", a.recording().durationMs());
    rec.put("jvm", m.jvm());
    ObjectNode options = rec.putObject("agentOptions");
    m.options().forEach(options::put);
    rec.put("pid", m.pid());
    rec.put("mainCommand", m.mainCommand());
    rec.put("ended", a.recording().ended());
    rec.put("intervals", a.recording().intervals());
    if (a.recording().ranged()) {
      ObjectNode range = rec.putObject("range");
      range.put("fromMs", a.recording().fromMs());
      if (a.recording().toMs() != Long.MAX_VALUE) {
        range.put("toMs", a.recording().toMs());
      }
    }
    rec.put("skippedLines", a.recording().skippedLines());
    ArrayNode warnings = rec.putArray("warnings");
    a.recording().warnings().forEach(warnings::add);

    Analysis.Totals t = a.totals();
    ObjectNode totals = root.putObject("totals");
    totals.put("deletes", t.deletes());
    totals.put("deleteHits", t.deleteHits());
    totals.put("deleteMisses", t.deleteMisses());
    totals.put("tombstonesLive", t.tombstonesLive());
    totals.put("tombstonesPeak", t.tombstonesPeak());
    totals.put("tombstonesReclaimed", t.tombstonesReclaimed());
    totals.put("grows", t.grows());
    totals.put("sameSizeGrows", t.sameSizeGrows());
    totals.put("evacuatedBuckets", t.evacuatedBuckets());
    totals.put("mapsTracked", t.mapsTracked());
    totals.put("growNanos", t.growNanos());
    totals.put("estimatedBytes", t.estimatedBytes());
    totals.put("reclaimableBytes", t.reclaimableBytes());
    totals.put("silentDeletes", t.silentDeletes());
    totals.put("deadSlots", t.deadSlots());
    totals.put("staleEntries", t.staleEntries());

    ObjectNode latency = root.putObject("latency");
    for (Analysis.Latency l : a.latency().values()) {
      ObjectNode n = latency.putObject(l.series());
      n.put("count", l.count());
      n.put("p50", l.p50());
      n.put("p90", l.p90());
      n.put("p99", l.p99());
      n.put("p999", l.p999());
      n.put("max", l.max());
    }

    ArrayNode sites = root.putArray("sites");
    for (SiteAnalysis s : a.sites()) {
      site(sites.addObject(), s);
    }

    ArrayNode deleteSites = root.putArray("deleteSites");
    for (Analysis.DeleteSite d : a.deleteSites()) {
      ObjectNode n = deleteSites.addObject();
      n.put("frame", d.frame());
      ArrayNode callers = n.putArray("callers");
      d.callers().forEach(callers::add);
      ArrayNode ids = n.putArray("sites");
      d.sites().forEach(ids::add);
      n.put("deletes", d.deletes());
      n.put("deleteMisses", d.deleteMisses());
    }

    ArrayNode releases = root.putArray("releases");
    for (Release r : a.releases()) {
      ObjectNode n = releases.addObject();
      n.put("t", r.t());
      n.put("trigger", r.trigger());
      memory(n.putObject("before"), r.before());
      memory(n.putObject("after"), r.after());
      memory(n.putObject("released"), r.released());
      n.put("mapsCompacted", r.mapsCompacted());
      n.put("mapsPending", r.mapsPending());
      n.put("pendingBytes", r.pendingBytes());
      n.put("gcCount", r.gcCount());
      n.put("durationMs", r.durationMs());
    }

    ObjectNode untracked = root.putObject("untracked");
    a.recording()
        .untracked()
        .forEach(
            (family, counts) -> {
              ObjectNode n = untracked.putObject(family);
              counts.forEach(
                  (key, value) -> {
                    if (!key.equals("t")) {
                      n.put(key, value);
                    }
                  });
            });
    root.put("notSeen", Coverage.notSeen(a));

    ArrayNode findings = root.putArray("findings");
    for (Finding f : a.findings()) {
      ObjectNode n = findings.addObject();
      n.put("severity", f.severity());
      n.put("site", f.site());
      n.put("siteLabel", f.siteLabel());
      n.put("title", f.title());
      n.put("detail", f.detail());
      n.put("bytesAtStake", f.bytesAtStake());
      n.put("kind", f.kind());
      n.put("byteSeconds", f.byteSeconds());
      n.put("line", f.line());
    }
    return root;
  }

  /** The JSON array of {@code sites}, each object as in the summary's {@code sites}. */
  public static String renderSites(List<SiteAnalysis> sites) {
    ArrayNode array = JSON.createArrayNode();
    for (SiteAnalysis s : sites) {
      site(array.addObject(), s);
    }
    return array.toPrettyString();
  }

  private static void site(ObjectNode n, SiteAnalysis s) {
    n.put("id", s.id());
    n.put("mapClass", s.record().mapClass);
    ArrayNode frames = n.putArray("allocationSite");
    s.record().allocationSite.forEach(frames::add);
    n.put("maps", s.maps());
    n.put("liveMaps", s.liveMaps());
    n.put("deletes", s.deletes());
    n.put("deleteHits", s.deleteHits());
    n.put("deleteMisses", s.deleteMisses());
    n.put("tombstonesLive", s.tombstonesLive());
    n.put("tombstonesPeak", s.tombstonesPeak());
    n.put("tombstonesReused", s.tombstonesReused());
    n.put("tombstonesReclaimed", s.tombstonesReclaimed());
    n.put("grows", s.grows());
    n.put("sameSizeGrows", s.sameSizeGrows());
    n.put("evacuatedBuckets", s.evacuatedBuckets());
    n.put("entriesMoved", s.entriesMoved());
    n.put("clears", s.clears());
    n.put("size", s.size());
    n.put("peakSize", s.peakSize());
    n.put("slots", s.slots());
    n.put("overflowBuckets", s.overflowBuckets());
    n.put("estimatedBytes", s.estimatedBytes());
    n.put("reclaimableBytes", s.reclaimableBytes());
    n.put("hitProbeMean", s.hitProbeMean());
    n.put("missProbeMean", s.missProbeMean());
    n.put("pattern", s.pattern().label);
    n.put("family", s.record().family);
    n.put("trackedOneIn", s.trackedOneIn());
    n.put("silentDeletes", s.silentDeletes());
    n.put("deadSlots", s.deadSlots());
    n.put("peakDeadSlots", s.peakDeadSlots());
    n.put("staleEntries", s.staleEntries());
    n.put("staleEntriesPeak", s.staleEntriesPeak());
    n.put("staleExpunged", s.staleExpunged());
    n.put("expunges", s.expunges());
    n.put("resizes", s.resizes());
    n.put("resizeHelpers", s.resizeHelpers());
  }

  private static void memory(ObjectNode n, Release.Memory m) {
    n.put("heapUsedBytes", m.heapUsedBytes());
    n.put("heapCommittedBytes", m.heapCommittedBytes());
    n.put("rssBytes", m.rssBytes());
    n.put("mapBytes", m.mapBytes());
    n.put("tombstones", m.tombstones());
  }
}
