package org.netroot.server.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.ServerStartup;
import org.netroot.server.runtime.LocalControl;

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

    /** How long a command waits for a server that is starting (opening its database, binding its ports). */
    static final Duration STARTING_WAIT = Duration.ofSeconds(30);

    static NetrootControl open(Path dataDir) {
        ServerStartup.awaitStartingServer(dataDir, STARTING_WAIT, System.err::println);
        return RemoteControl.connect(dataDir).map(r -> (NetrootControl) r).orElseGet(() -> offline(dataDir));
    }

    private static NetrootControl offline(Path dataDir) {
        try {
            return LocalControl.openOffline(dataDir);
        } catch (RuntimeException e) {
            // a server started between our look and our open and holds the database now: use it
            ServerStartup.awaitStartingServer(dataDir, STARTING_WAIT, System.err::println);
            return RemoteControl.connect(dataDir).map(r -> (NetrootControl) r).orElseThrow(() -> e);
        }
    }
}
