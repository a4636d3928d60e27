package org.netroot.server.iscsi;

import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;

/** What every connection of the iSCSI service shares. */
public record TargetServices(TargetCatalog catalog, ActiveSessions sessions, BootEventSink events, PeerDirectory peers) {
}
