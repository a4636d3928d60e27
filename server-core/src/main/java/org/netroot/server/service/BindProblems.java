package org.netroot.server.service;

import java.net.BindException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;

/**
 * A failed bind in words with the fix: the port held by another program (which one, and how to see
 * it), a port that needs privileges (the words of {@link PrivilegeCheck}), or an address that left
 * the machine. The one place every service's bind failure goes through.
 */
public final class BindProblems {
    private BindProblems() {
    }

    /**
     * @param transport "udp" or "tcp"
     * @param suspects  who usually holds the port, e.g. "dnsmasq, tftpd-hpa"
     * @param option    the serve option that chooses the port, e.g. "--tftp-port"
     * @param address   the address the bind was for (null when unknown)
     */
    public static IllegalStateException explain(String service, String transport, int port, InetAddress address,
                                                Throwable cause, String suspects, String option) {
        if (NettyTransport.addressNotHere(cause)) {
            return new IllegalStateException(NettyTransport.addressNotHereMessage(service, address, port), cause);
        }
        if (denied(cause)) return new IllegalStateException(service + ": " + needsPrivilege(port, transport, service), cause);
        if (inUse(cause)) return new IllegalStateException(service + ": " + inUse(port, transport, suspects, option), cause);
        String where = address == null ? "" : " on " + address.getHostAddress();
        return new IllegalStateException(service + ": cannot listen on port " + port + "/" + transport + where + ": "
                + cause.getMessage(), cause);
    }

    /** "port 69/udp is in use by another program (dnsmasq? `sudo ss -lunp 'sport = :69'`): stop it or ..." */
    public static String inUse(int port, String transport, String suspects, String option) {
        String ss = "sudo ss -l" + (transport.equals("udp") ? "u" : "t") + "np 'sport = :" + port + "'";
        return "port " + port + "/" + transport + " is in use by another program (" + suspects + "? `" + ss
                + "` shows which): stop it or choose another port (" + option + ")";
    }

    /** "port 69/udp (TFTP) needs privileges. Either run as root ..., or let this Java bind them ... `sudo setcap ...`" */
    public static String needsPrivilege(int port, String transport, String service) {
        String label = port + "/" + transport + " (" + service + ")";
        // asked as if unprivileged: the kernel refused, whatever /proc says about us
        return PrivilegeCheck.problem(Map.of(label, port), false, Math.max(port + 1, PrivilegeCheck.unprivilegedPortStart()))
                .orElseThrow();
    }

    static boolean denied(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("permission denied") || m.contains("eacces") || m.contains("operation not permitted")
                    || m.contains("access denied")) {
                return true;
            }
        }
        return false;
    }

    static boolean inUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof BindException && !m.contains("ermission") || m.contains("in use") || m.contains("EADDRINUSE")) {
                return true;
            }
        }
        return false;
    }
}
