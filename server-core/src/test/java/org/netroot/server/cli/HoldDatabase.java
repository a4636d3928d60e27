package org.netroot.server.cli;

import java.nio.file.Path;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.store.DatabaseOwner;

/**
 * A Netroot command that keeps the database open as long as a test wants: {@code DATA SECONDS},
 * reading it every 200 ms. Prints OPEN once it holds the database; when a server takes the data
 * folder over, prints STOPPED and what the view said, and exits 3.
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
            long end = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(200);
                try {
                    c.volumes();
                } catch (IllegalStateException e) {
                    System.out.println("STOPPED: " + e.getMessage());
                    System.out.flush();
                    System.exit(3);
                }
            }
        }
        System.out.println("CLOSED");
    }
}
