package org.netroot.server.events;

import org.netroot.server.api.BootEvent;

/**
 * Where protocol code reports boot steps. Implementations must return at once:
 * DHCP answers must never wait behind disk I/O (iPXE waits only ~2 s for a proxy offer).
 */
@FunctionalInterface
public interface BootEventSink {
    void record(BootEvent event);

    BootEventSink NONE = event -> { };
}
