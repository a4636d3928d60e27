package org.netroot.server.events;

/**
 * Where DHCP reports a network-boot request, to remember machines no client has yet.
 * Implementations return at once: DHCP calls this on its event loop.
 */
@FunctionalInterface
public interface DiscoverySink {
    /** @param architecture option 93's code, or -1 when not sent */
    void seen(String mac, int architecture, String vendorClass, String interfaceName);

    DiscoverySink NONE = (mac, architecture, vendorClass, interfaceName) -> { };
}
