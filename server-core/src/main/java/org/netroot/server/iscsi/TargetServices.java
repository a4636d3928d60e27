package org.netroot.server.iscsi;

import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/** What every connection of the iSCSI service shares; {@code errors} counts the input it drops. */
public record TargetServices(TargetCatalog catalog, ActiveSessions sessions, BootEventSink events, PeerDirectory peers,
                             InputErrors errors) {
    /** With a counter of its own (tests that do not look at dropped input). */
    public TargetServices(TargetCatalog catalog, ActiveSessions sessions, BootEventSink events, PeerDirectory peers) {
        this(catalog, sessions, events, peers, new InputErrors());
    }
}
