package org.netroot.app.ui.services;

import org.netroot.server.api.ServerStatus;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One service as its card shows it, in words: built from the server's state, no JavaFX in it.
 *
 * @param id        lower-case name, for node ids ("tftp")
 * @param tone      the badge's colour
 * @param listening "127.0.0.1 · port 69/udp", "not listening · port 69/udp"
 * @param dhcp      "Proxy DHCP on eth0" for DHCP, else ""
 * @param failure   why it is not running, with the fix ("" when all is well)
 * @param busy      a start or stop of it is under way (its buttons wait)
 * @param managed   the server has this service (DHCP is absent when it is off): it can be started and stopped
 */
public record ServiceRow(String name, String id, boolean running, Tone tone, String badge, String listening,
                         String dhcp, String requests, String dropped, String failure, int port, boolean busy,
                         boolean managed) {
    public enum Tone { RUNNING, STOPPED, FAILED }

    public boolean canStart() {
        return managed && !running && !busy;
    }

    public boolean canStop() {
        return managed && running && !busy;
    }

    /** DHCP when the server runs without it (no interface, or --dhcp off): what that means and how to turn it on. */
    public static ServiceRow dhcpOff() {
        return new ServiceRow("DHCP", "dhcp", false, Tone.STOPPED, "Off", "not listening · ports 67, 4011/udp",
                "DHCP is off: PXE firmware gets no boot answer from Netroot. Serve on an interface to turn it on:"
                        + " `netroot serve --interface eth0` (proxy mode next to your router; --dhcp full to hand out"
                        + " addresses too), or pick the interface in the first-run wizard.",
                count(0, "request"), count(0, "dropped input"), "", -1, false, false);
    }

    /** @param actionError the failure of the last start or stop from this window, shown when the state has none */
    public static ServiceRow of(ServerStatus.ServiceState s, boolean busy, String actionError) {
        String failure = s.detail() != null ? s.detail() : !s.running() && actionError != null ? actionError : "";
        Tone tone = s.running() ? Tone.RUNNING : failure.isEmpty() ? Tone.STOPPED : Tone.FAILED;
        String badge = busy ? "Working..." : switch (tone) {
            case RUNNING -> "Running";
            case STOPPED -> "Stopped";
            case FAILED -> "Failed";
        };
        return new ServiceRow(s.name(), s.name().toLowerCase(Locale.ROOT), s.running(), tone, badge, listening(s),
                dhcp(s), count(s.requests(), "request"), count(s.droppedInput(), "dropped input") , failure,
                s.mainPort(), busy, true);
    }

    static String listening(ServerStatus.ServiceState s) {
        String where = s.addresses().isEmpty() ? "not listening"
                : s.addresses().equals(List.of("0.0.0.0")) ? "every address" : String.join(", ", s.addresses());
        return where + " · " + ports(s);
    }

    private static String ports(ServerStatus.ServiceState s) {
        String transport = s.transport() == null ? "" : "/" + s.transport();
        if (s.ports().isEmpty()) return "port unknown";
        if (s.ports().equals(List.of(0))) return "any free port, picked at start" + (s.transport() == null ? "" : " (" + s.transport() + ")");
        String list = s.ports().stream().map(String::valueOf).collect(Collectors.joining(", "));
        return (s.ports().size() == 1 ? "port " : "ports ") + list + transport;
    }

    static String dhcp(ServerStatus.ServiceState s) {
        if (s.mode() == null) return "";
        String mode = s.mode().substring(0, 1) + s.mode().substring(1).toLowerCase(Locale.ROOT);
        String on = s.interfaces().isEmpty() ? "no interface" : String.join(", ", s.interfaces());
        return mode + " DHCP on " + on + (s.mode().equals("PROXY")
                ? " (your router hands out addresses; Netroot adds the boot answers)" : " (Netroot hands out addresses)");
    }

    static String count(long n, String what) {
        String number = String.format(Locale.ROOT, "%,d", n);
        return number + " " + what + (n == 1 || what.endsWith("input") ? "" : "s");
    }
}
