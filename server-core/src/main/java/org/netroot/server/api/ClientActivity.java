package org.netroot.server.api;

import java.time.Instant;

/**
 * What a client is doing now, as the server sees it from its boot events and iSCSI sessions: the
 * app's client card shows it. {@code firmware} is "BIOS", "UEFI" or "iPXE" (the last DHCP request's
 * kind), null before the first request; {@code ip} the address it was last seen at, null when
 * unknown. {@code bootStarted} is the first DHCP request of the latest boot, {@code bootFinished} when
 * that boot reached the OS (first read of its volume, or the hand-over), null while it runs. {@code lastError} is the
 * latest failed step in words, null when the latest boot has none.
 */
public record ClientActivity(String clientName, String mac, State state, String firmware, String ip,
                             Instant bootStarted, Instant bootFinished, String lastError, Instant at) {
    public enum State {
        /** No boot seen since the server started, or its iSCSI session ended. */
        OFFLINE,
        /** DHCP, boot file, script or login under way. */
        BOOTING,
        /** Logged in and reading its volume. */
        ONLINE,
        /**
         * Its boot left the server (RAM disk, local disk, a kernel whose root is elsewhere): it started
         * and needs nothing more from the server, which so cannot tell whether it still runs.
         */
        BOOTED,
        /** The latest boot failed a step (see lastError). */
        FAILED
    }

    public ClientActivity {
        if (mac != null) mac = Client.normalizeMac(mac);
        if (state == null) state = State.OFFLINE;
    }
}
