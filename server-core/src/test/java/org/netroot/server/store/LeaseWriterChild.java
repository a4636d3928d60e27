package org.netroot.server.store;

import java.nio.file.Path;
import java.time.Instant;
import org.netroot.server.api.Lease;

/**
 * The child JVM of {@link StoreWriterDurabilityTest}: stores one lease through the writer, says so
 * on stdout the moment its future completes (when DHCP would send the ACK), then waits to be killed.
 * With {@code --no-sync} it uses a writer that does not force to disk, to show the test can fail.
 */
public final class LeaseWriterChild {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(Path.of(args[0]));
        StoreWriter writer = args.length > 1 && args[1].equals("--no-sync") ? new StoreWriter() : new StoreWriter(db);
        LeaseRepository leases = new LeaseRepository(db);
        writer.submit(() -> leases.save(new Lease("52:54:00:00:00:01", "198.18.0.100",
                Instant.parse("2030-01-01T00:00:00Z"), "pc1"))).join();
        System.out.println("stored");
        System.out.flush();
        Thread.sleep(60_000); // killed long before
    }
}
