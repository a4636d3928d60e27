package org.netroot.server.api;

import java.time.Instant;

/**
 * One entry of the live stream. {@code id} grows with every change; give the last one you saw to
 * {@link NetrootControl#subscribe} (or as {@code Last-Event-ID}) to get what you missed.
 * {@code subject} names what changed (client name, volume name, service, MAC, job id);
 * {@code payload} is the new state: a {@link BootEvent}, {@link Client} (secrets blanked),
 * {@link Volume}, {@link Lease}, {@link DiscoveredMachine}, {@link Job}, or null for removals.
 * Read back from JSON it is a map: use {@link #payloadAs}.
 */
public record ChangeEvent(long id, ChangeType type, Instant at, String subject, Object payload) {

    public <T> T payloadAs(Class<T> type) {
        return payload == null ? null : Json.MAPPER.convertValue(payload, type);
    }
}
