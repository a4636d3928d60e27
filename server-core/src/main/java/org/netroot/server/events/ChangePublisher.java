package org.netroot.server.events;

import org.netroot.server.api.ChangeType;

/**
 * Where code below the wiring (services, DHCP leases, the control) reports a change for the live
 * stream. Implementations return at once: callers may sit on an event loop.
 */
@FunctionalInterface
public interface ChangePublisher {
    void publish(ChangeType type, String subject, Object payload);

    ChangePublisher NONE = (type, subject, payload) -> { };
}
