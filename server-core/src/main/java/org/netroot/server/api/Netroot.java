package org.netroot.server.api;

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
        return RemoteControl.connect(dataDir).map(r -> (NetrootControl) r).orElseGet(() -> offline(dataDir));
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
