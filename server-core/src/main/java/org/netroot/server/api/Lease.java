package org.netroot.server.api;

import java.time.Instant;

/** An address handed out by the full-mode DHCP server. */
public record Lease(String mac, String ip, Instant expiresAt, String hostname) {
    public Lease {
        mac = Client.normalizeMac(mac);
    }
}
