package org.netroot.server.events;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which MAC sits behind which IPv4 address, learned from DHCP (leases we give, addresses
 * clients request from the router in proxy mode). TFTP and iSCSI only see addresses; this
 * lets their events land on the right client's timeline.
 */
public final class PeerDirectory {
    private final ConcurrentHashMap<InetAddress, String> macByAddress = new ConcurrentHashMap<>();

    public void learn(InetAddress address, String mac) {
        if (address == null || mac == null || address.isAnyLocalAddress()) return;
        macByAddress.put(address, mac);
    }

    public Optional<String> macOf(InetAddress address) {
        return address == null ? Optional.empty() : Optional.ofNullable(macByAddress.get(address));
    }

    /** True when DHCP has seen this MAC at some address. */
    public boolean knowsMac(String mac) {
        return mac != null && macByAddress.containsValue(mac);
    }

    /** The MAC for an address, or null: the form event records take. */
    public String macOrNull(InetAddress address) {
        return macOf(address).orElse(null);
    }
}
