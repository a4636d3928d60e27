package org.netroot.server.api;

import java.util.Locale;

/**
 * What a {@link ChangeEvent} on the live stream says happened. The SSE {@code event:} field is
 * {@link #wireName()}. RESET and OVERFLOW are the stream's own notices: RESET means the server
 * no longer holds what you missed (reload your lists); OVERFLOW means you read too slowly and
 * are being disconnected (reconnect with the last id you saw).
 */
public enum ChangeType {
    BOOT,
    CLIENT_ADDED, CLIENT_UPDATED, CLIENT_REMOVED,
    VOLUME_CREATED, VOLUME_REMOVED, VOLUME_CHANGED,
    /** payload {@link Asset} (none when removed), subject the asset's name */
    ASSET_ADDED, ASSET_REMOVED,
    SERVICE_STARTED, SERVICE_STOPPED, SERVICE_FAILED,
    LEASE_GRANTED, LEASE_RELEASED,
    DISCOVERED_SEEN, DISCOVERED_FORGOTTEN,
    JOB_PROGRESS, JOB_FINISHED,
    /** payload {@link ClientActivity}, subject the client's name */
    CLIENT_ACTIVITY,
    /** payload {@link VolumeActivity}, subject the volume's name */
    VOLUME_ACTIVITY,
    /**
     * payload {@link ServerStatus.ServiceState}, subject the service's name: its requests or dropped
     * input moved (at most one per service per second, none while idle)
     */
    SERVICE_COUNTERS,
    RESET, OVERFLOW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ChangeType ofWireName(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
