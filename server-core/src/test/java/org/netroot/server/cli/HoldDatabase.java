package org.netroot.server.cli;

import java.nio.file.Path;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.store.DatabaseOwner;

/**
 * A Netroot command that keeps the database open as long as a test wants: {@code DATA SECONDS}.
 * Prints OPEN once it holds the database.
 */
public final class HoldDatabase {
    private HoldDatabase() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty(DatabaseOwner.COMMAND_PROPERTY, "netroot volume list");
        try (LocalControl c = LocalControl.openOffline(Path.of(args[0]))) {
            c.volumes();
            System.out.println("OPEN");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]) * 1000);
        }
        System.out.println("CLOSED");
    }
}
