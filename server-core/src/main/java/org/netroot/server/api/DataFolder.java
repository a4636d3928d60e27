package org.netroot.server.api;

import java.nio.file.Path;

/** Where Netroot keeps its database, volumes and control API token unless told otherwise. */
public final class DataFolder {
    /** The system service's data folder (the .deb's netroot-server.service; systemd's StateDirectory). */
    public static final Path SYSTEM = Path.of("/var/lib/netroot");
    /**
     * Set by the installed package's launchers (to {@link #SYSTEM}): its commands and its app use the
     * system service's folder for every user, not a folder of their own.
     */
    public static final String INSTALLED_PROPERTY = "netroot.data";

    private DataFolder() {
    }

    /** $NETROOT_DATA, else the installed package's folder, else /var/lib/netroot for root, else ~/.local/share/netroot. */
    public static Path defaultPath() {
        String env = System.getenv("NETROOT_DATA");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        String installed = System.getProperty(INSTALLED_PROPERTY);
        if (installed != null && !installed.isBlank()) return Path.of(installed).toAbsolutePath();
        if ("root".equals(System.getProperty("user.name"))) return SYSTEM;
        return Path.of(System.getProperty("user.home"), ".local", "share", "netroot");
    }
}
