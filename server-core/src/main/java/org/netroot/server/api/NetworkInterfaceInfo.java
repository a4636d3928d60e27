package org.netroot.server.api;

/**
 * A network interface of the server's machine: its first IPv4 address and prefix length (null and 0
 * when it has none), whether it is up, its MAC (null when it has none, as loopback).
 */
public record NetworkInterfaceInfo(String name, String ipv4, int prefixLength, boolean up, String mac,
                                   boolean loopback) {
    /** "eth0 192.168.1.20/24" or "eth0 (no IPv4 address)", plus "down" when it is. */
    public String describe() {
        return name + (ipv4 == null ? " (no IPv4 address)" : " " + ipv4 + "/" + prefixLength) + (up ? "" : " (down)");
    }

    /** Up, not loopback and with an IPv4 address: where PXE clients can be served. */
    public boolean servable() {
        return up && !loopback && ipv4 != null;
    }
}
