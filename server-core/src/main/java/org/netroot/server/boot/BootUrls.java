package org.netroot.server.boot;

import java.util.Optional;

/**
 * The boot HTTP URL scheme, the one place it is written: DHCP hands these URLs out, scripts name
 * them, HTTP serves them. {@code /boot/<mac>.ipxe} is a client's iPXE script ({@code /boot/<mac>/retry.ipxe}
 * the same after a failure, {@code /boot/<mac>/installer.ipxe} an install's installer again), {@code /ipxe/<name>}
 * an iPXE binary (UEFI HTTP boot), {@code /assets/<name>} an asset of the library (by name, never a
 * path), {@code /files/<path>} a file of the boot-files folder.
 */
public final class BootUrls {
    public static final String SCRIPTS = "/boot/";
    public static final String SCRIPT_SUFFIX = ".ipxe";
    public static final String IPXE_BINARIES = "/ipxe/";
    public static final String FILES = "/files/";
    public static final String ASSETS = "/assets/";
    static final String INSTALLER_SUFFIX = "/installer.ipxe";
    static final String RETRY_SUFFIX = "/retry.ipxe";

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

    /**
     * What an install script fetches when booting the volume failed: the installer again,
     * {@code http://SERVER[:port]/boot/<mac>/installer.ipxe}.
     */
    public static String installer(String httpBase, String mac) {
        return httpBase + SCRIPTS + mac + INSTALLER_SUFFIX;
    }

    /** The MAC text of an installer path ({@code /boot/<mac>/installer.ipxe}), or empty for any other path. */
    public static Optional<String> installerMac(String path) {
        return macBefore(path, INSTALLER_SUFFIX);
    }

    /**
     * Where a script that failed tries again, {@code http://SERVER[:port]/boot/<mac>/retry.ipxe}: the
     * same plan as the script, but a request of its own, so a retry is never taken for a new boot (an
     * install counts its client's script requests).
     */
    public static String retry(String httpBase, String mac) {
        return httpBase + SCRIPTS + mac + RETRY_SUFFIX;
    }

    /** The MAC text of a retry path ({@code /boot/<mac>/retry.ipxe}), or empty for any other path. */
    public static Optional<String> retryMac(String path) {
        return macBefore(path, RETRY_SUFFIX);
    }

    private static Optional<String> macBefore(String path, String suffix) {
        if (!path.startsWith(SCRIPTS) || !path.endsWith(suffix)) return Optional.empty();
        if (path.length() <= SCRIPTS.length() + suffix.length()) return Optional.empty();
        return Optional.of(path.substring(SCRIPTS.length(), path.length() - suffix.length()));
    }

    /** An asset of the library: {@code http://SERVER[:port]/assets/<name>} (names need no encoding). */
    public static String asset(String httpBase, String name) {
        return httpBase + ASSETS + name;
    }

    /** The asset name of an asset path ({@code /assets/<name>}, decoded), or empty for any other path. */
    public static Optional<String> assetName(String path) {
        if (!path.startsWith(ASSETS)) return Optional.empty();
        return Optional.of(path.substring(ASSETS.length()));
    }

    /** The MAC text of a script path ({@code /boot/<mac>.ipxe}, decoded), or empty for any other path. */
    public static Optional<String> scriptMac(String path) {
        if (!path.startsWith(SCRIPTS) || !path.endsWith(SCRIPT_SUFFIX)) return Optional.empty();
        if (path.length() < SCRIPTS.length() + SCRIPT_SUFFIX.length()) return Optional.empty();
        return Optional.of(path.substring(SCRIPTS.length(), path.length() - SCRIPT_SUFFIX.length()));
    }
}
