package org.netroot.server.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import java.nio.file.Path;
import java.util.ServiceLoader;

/** The app's and the CLI's way in: one data folder, whether or not its server runs. */
public final class Netroot {
    private Netroot() {
    }

    /**
     * The running server's control API when it answers at the endpoint in {@code dataDir}, else
     * an offline view over the data folder (no services; changes are made directly).
     *
     * @throws IllegalStateException when the server speaks another API version, or no offline view exists
     */
    public static NetrootControl attach(Path dataDir) {
        return attach(dataDir, message -> { });
    }

    /** How long a caller waits for a server that is starting (opening its database, binding its ports). */
    public static final Duration STARTING_WAIT = Duration.ofSeconds(30);

    /**
     * As {@link #attach(Path)}, and a server that is starting is waited for ({@link ServerStartup}):
     * the data folder is never opened under it. {@code progress} hears one line while waiting.
     */
    public static NetrootControl attach(Path dataDir, Consumer<String> progress) {
        // another user's folder (the service's): say how to get the right, not "no server runs"
        DataFolderAccess.controlProblem(dataDir).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        ServerStartup.awaitStartingServer(dataDir, STARTING_WAIT, progress);
        Optional<RemoteControl> remote = RemoteControl.connect(dataDir);
        if (remote.isPresent()) return remote.get();
        DataFolderAccess.offlineProblem(dataDir).ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        try {
            return offline(dataDir);
        } catch (RuntimeException e) {
            // a server announced itself between our look and our open and holds the database now: use it
            ServerStartup.awaitStartingServer(dataDir, STARTING_WAIT, progress);
            return RemoteControl.connect(dataDir).map(r -> (NetrootControl) r).orElseThrow(() -> e);
        }
    }

    /** The data folder opened directly: only while no server runs (the database allows one process). */
    public static NetrootControl offline(Path dataDir) {
        return ServiceLoader.load(OfflineControlFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Netroot server answers for " + dataDir
                        + " and this program cannot open the data folder itself: start the server"
                        + " (`netroot serve` or the system service)"))
                .open(dataDir);
    }
}
