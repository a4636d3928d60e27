package org.netroot.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data}: the folder holding the database, volumes and the control API token. */
final class DataDirOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder (database, volumes). Default: $NETROOT_DATA, else /var/lib/netroot (the service's, when installed or as root),"
                    + " else ~/.local/share/netroot")
    Path dataDir;

    Path resolve() {
        if (dataDir != null) return dataDir.toAbsolutePath();
        return org.netroot.server.api.DataFolder.defaultPath();
    }
}
