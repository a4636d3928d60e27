package org.netroot.server.cli;

import java.nio.file.Path;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.store.Database;
import org.netroot.server.store.DatabaseOwner;

/**
 * A Netroot command that keeps the database open as long as a test wants: {@code DATA SECONDS},
 * reading it every 200 ms. Prints OPEN once it holds the database; when a server takes the data
 * folder over, prints STOPPED and what the view said, and exits 3. {@code DATA SECONDS server}
 * holds it as a server would while it stops.
 */
public final class HoldDatabase {
    private HoldDatabase() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 2 && args[2].equals("server")) {
            // a server past its control API: stopping (control.json gone), the database still open
            try (Database db = Database.open(Path.of(args[0]), DatabaseOwner.SERVER, Database.LOCK_WAIT)) {
                System.out.println("OPEN");
                System.out.flush();
                Thread.sleep(Long.parseLong(args[1]) * 1000);
            }
            System.out.println("CLOSED");
            return;
        }
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
