package org.netroot.server.cli;

import java.nio.file.Path;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;

/**
 * The running server's control API when one answers, else the data folder's database directly. A
 * server that is starting is waited for: the database is never opened under it.
 */
final class Connection {
    private Connection() {
    }

    /** Runs one command against the server or the data folder; 0 is the command's exit status. */
    static int run(DataDirOption data, java.util.function.Consumer<NetrootControl> command) {
        try (NetrootControl c = open(data.resolve())) {
            command.accept(c);
        }
        return 0;
    }

    static NetrootControl open(Path dataDir) {
        return Netroot.attach(dataDir, System.err::println);
    }
}
