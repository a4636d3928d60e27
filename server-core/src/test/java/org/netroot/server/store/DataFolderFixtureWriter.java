package org.netroot.server.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Lease;
import org.netroot.server.storage.RawFileBlockDevice;

/**
 * Writes what the CLI cannot (leases, boot events, a client's write to its disk) into a data folder
 * made with {@code netroot volume create} and {@code netroot client add}: how
 * src/test/resources/fixtures/datafolder-v1 was made (see the README there). Kept as the record of
 * that; a later release makes its own fixture with its own code and keeps this one as it is.
 */
final class DataFolderFixtureWriter {
    static final String DISK_MARKER = "written by pc1 at LBA 1";
    static final Instant LEASE_EXPIRY = Instant.parse("2036-01-01T00:00:00Z");
    static final Instant FIRST_EVENT = Instant.parse("2026-11-30T19:00:00Z");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (Database db = Database.open(dir)) {
            LeaseRepository leases = new LeaseRepository(db);
            leases.save(new Lease("52:54:00:10:00:01", "198.18.10.100", LEASE_EXPIRY, "pc1"));
            leases.save(new Lease("52:54:00:10:00:02", "198.18.10.42", LEASE_EXPIRY, null));
            BootEventRepository events = new BootEventRepository(db);
            Instant t = FIRST_EVENT;
            events.insert(new BootEvent(0, t, "52:54:00:10:00:01", "pc1", BootEventType.DHCP_OFFER, "198.18.10.100", null, null));
            events.insert(new BootEvent(0, t.plusMillis(5), "52:54:00:10:00:01", "pc1", BootEventType.DHCP_ACK, "198.18.10.100", null, null));
            events.insert(new BootEvent(0, t.plusMillis(40), "52:54:00:10:00:01", "pc1", BootEventType.SCRIPT_SERVED, "/boot/52-54-00-10-00-01.ipxe", null, null));
            events.insert(new BootEvent(0, t.plusMillis(90), "52:54:00:10:00:01", "pc1", BootEventType.ISCSI_LOGIN, "iqn.2026-01.org.netroot:pc1", null, null));
            events.insert(new BootEvent(0, t.plusMillis(95), "52:54:00:10:00:01", "pc1", BootEventType.ISCSI_FIRST_READ, null, 3L, 512L));
            events.insert(new BootEvent(0, t.plusSeconds(60), null, null, BootEventType.ERROR, "a request from an unknown address", null, null));
        }
        try (RawFileBlockDevice disk = RawFileBlockDevice.open(dir.resolve("volumes").resolve("disk-pc1.img"), false)) {
            disk.write(512, ByteBuffer.wrap(DISK_MARKER.getBytes(StandardCharsets.US_ASCII)));
            disk.flush();
        }
    }
}
