package io.tombscope.agent.jfr;

import io.tombscope.agent.bootstrap.Site;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/** The fields that name an allocation site, shared by the agent's events about one site. */
abstract class SiteEvent extends Event {
  @Label("Site")
  @Description("The allocation site's id, as in the recording")
  int site;

  @Label("Map Class")
  String mapClass;

  @Label("Allocation Frame")
  @Description("The first frame of the site's allocation stack")
  String frame;

  /** Fills the site's fields; call only after {@code shouldCommit()}. */
  final void describe(Site s) {
    site = s.id;
    mapClass = s.mapClass;
    frame = s.frames.isEmpty() ? "" : s.frames.get(0);
  }
}
