package org.netroot.server.api;

import java.nio.file.Path;

/** Where Netroot keeps its database, volumes and control API token unless told otherwise. */
public final class DataFolder {
    private DataFolder() {
    }

    /** $NETROOT_DATA, else /var/lib/netroot for root, else ~/.local/share/netroot. */
    public static Path defaultPath() {
        String env = System.getenv("NETROOT_DATA");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath();
        if ("root".equals(System.getProperty("user.name"))) return Path.of("/var/lib/netroot");
        return Path.of(System.getProperty("user.home"), ".local", "share", "netroot");
    }
}
