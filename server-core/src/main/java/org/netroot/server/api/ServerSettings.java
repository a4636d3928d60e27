package org.netroot.server.api;

import java.util.List;

/**
 * The server settings the first-run wizard (or a user) saved in the data folder's settings.json:
 * used by the app's in-process server and by {@code netroot serve} when it is given no
 * {@code --interface}/{@code --dhcp} (command-line options win). Addresses are dotted IPv4 text;
 * {@code dhcpMode} is PROXY, FULL or OFF; null or empty fields mean "not set" (the command line's
 * defaults apply). {@code ipxeDir} null: /usr/lib/ipxe.
 */
public record ServerSettings(List<String> interfaces, String dhcpMode, String rangeStart, String rangeEnd,
                             String router, List<String> dns, String serverAddress, String ipxeDir) {
    public static final String PROXY = "PROXY";
    public static final String FULL = "FULL";
    public static final String OFF = "OFF";

    public ServerSettings {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        dns = dns == null ? List.of() : List.copyOf(dns);
        dhcpMode = dhcpMode == null || dhcpMode.isBlank() ? PROXY : dhcpMode.trim().toUpperCase();
    }

    /** What a data folder without settings.json has: no interface chosen (DHCP off), proxy mode once one is. */
    public static ServerSettings none() {
        return new ServerSettings(List.of(), PROXY, null, null, null, List.of(), null, null);
    }

    /** Whether an interface was chosen (the wizard ran, or someone saved settings). */
    public boolean configured() {
        return !interfaces.isEmpty();
    }

    public ServerSettings withInterfaces(List<String> names) {
        return new ServerSettings(names, dhcpMode, rangeStart, rangeEnd, router, dns, serverAddress, ipxeDir);
    }

    public ServerSettings withIpxeDir(String folder) {
        return new ServerSettings(interfaces, dhcpMode, rangeStart, rangeEnd, router, dns, serverAddress, folder);
    }

    public ServerSettings withDhcp(String mode, String start, String end) {
        return new ServerSettings(interfaces, mode, start, end, router, dns, serverAddress, ipxeDir);
    }
}
