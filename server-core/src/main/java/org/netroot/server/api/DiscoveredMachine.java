package org.netroot.server.api;

import java.time.Instant;

/**
 * A machine that asked to network-boot (a PXE DHCP request) with a MAC no client has: the app
 * offers to add it. {@code architecture} is the client architecture code (option 93, RFC 4578),
 * or -1 when the request carried none.
 */
public record DiscoveredMachine(String mac, int architecture, String vendorClass, String interfaceName,
                                Instant firstSeen, Instant lastSeen) {
    public DiscoveredMachine {
        mac = Client.normalizeMac(mac);
    }
}
