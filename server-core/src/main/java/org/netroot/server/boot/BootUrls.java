package org.netroot.server.boot;

import java.util.Optional;

/**
 * The boot HTTP URL scheme, the one place it is written: DHCP hands these URLs out, HTTP serves
 * them. {@code /boot/<mac>.ipxe} is a client's iPXE script, {@code /ipxe/<name>} an iPXE binary
 * (UEFI HTTP boot), {@code /files/<path>} a boot asset.
 */
public final class BootUrls {
    public static final String SCRIPTS = "/boot/";
    public static final String SCRIPT_SUFFIX = ".ipxe";
    public static final String IPXE_BINARIES = "/ipxe/";
    public static final String FILES = "/files/";

    private BootUrls() {
    }

    /** "http://host[:port]": port 80 is left out, as iPXE and browsers write it. */
    public static String httpBase(String host, int port) {
        return "http://" + host + (port == 80 ? "" : ":" + port);
    }

    /** A client's iPXE script: {@code http://SERVER[:port]/boot/<mac>.ipxe}. */
    public static String script(String httpBase, String mac) {
        return httpBase + SCRIPTS + mac + SCRIPT_SUFFIX;
    }

    /** An iPXE binary for UEFI HTTP boot: {@code http://SERVER[:port]/ipxe/<name>}. */
    public static String ipxeBinary(String httpBase, String name) {
        return httpBase + IPXE_BINARIES + name;
    }

    /** The MAC text of a script path ({@code /boot/<mac>.ipxe}, decoded), or empty for any other path. */
    public static Optional<String> scriptMac(String path) {
        if (!path.startsWith(SCRIPTS) || !path.endsWith(SCRIPT_SUFFIX)) return Optional.empty();
        if (path.length() < SCRIPTS.length() + SCRIPT_SUFFIX.length()) return Optional.empty();
        return Optional.of(path.substring(SCRIPTS.length(), path.length() - SCRIPT_SUFFIX.length()));
    }
}
