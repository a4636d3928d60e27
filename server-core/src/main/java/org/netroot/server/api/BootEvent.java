package org.netroot.server.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One step of a client's boot. {@code mac} is null when the peer could not be tied to a MAC
 * (a TFTP request from an address without a lease); {@code durationMs} and {@code bytes} are
 * null when they do not apply.
 */
public record BootEvent(
        long id,
        Instant at,
        String mac,
        String clientName,
        BootEventType type,
        String detail,
        Long durationMs,
        Long bytes) {

    /** Microseconds, as the database keeps them: a live event and the same event read back are equal. */
    public BootEvent {
        if (at != null) at = at.truncatedTo(ChronoUnit.MICROS);
    }

    public static BootEvent of(String mac, BootEventType type, String detail) {
        return new BootEvent(0, Instant.now(), mac, null, type, detail, null, null);
    }

    public static BootEvent transfer(String mac, BootEventType type, String detail, long durationMs, long bytes) {
        return new BootEvent(0, Instant.now(), mac, null, type, detail, durationMs, bytes);
    }

    public BootEvent withId(long newId) {
        return new BootEvent(newId, at, mac, clientName, type, detail, durationMs, bytes);
    }

    public BootEvent withClientName(String name) {
        return new BootEvent(id, at, mac, name, type, detail, durationMs, bytes);
    }
}
