package org.netroot.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.store.Database;
import org.netroot.server.store.PeerAddressRepository;
import org.netroot.server.store.StoreWriter;

/** Where DHCP saw each MAC, kept in H2 across restarts. */
class PeerDirectoryTest {
    @TempDir Path data;

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void whatIsLearnedIsThereAfterARestart() throws Exception {
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter()) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer);
            peers.learn(ip("10.0.0.5"), "52:54:00:00:00:01");
            peers.learn(ip("10.0.0.6"), "52:54:00:00:00:02");
            peers.learn(ip("10.0.0.7"), "52:54:00:00:00:01"); // moved: the old address is not its any more
            peers.learn(ip("10.0.0.6"), "52:54:00:00:00:03"); // the address went to another machine
        }
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter()) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer);
            assertEquals(ip("10.0.0.7"), peers.addressOf("52:54:00:00:00:01").orElseThrow());
            assertTrue(peers.macOf(ip("10.0.0.5")).isEmpty());
            assertEquals("52:54:00:00:00:03", peers.macOrNull(ip("10.0.0.6")));
            assertTrue(peers.addressOf("52:54:00:00:00:02").isEmpty(), "its address is someone else's now");
            assertEquals(2, new PeerAddressRepository(db).all().size());
        }
    }

    @Test
    void aFloodOfMacsKeepsOnlyTheMostRecent() throws Exception {
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter()) {
            PeerAddressRepository store = new PeerAddressRepository(db);
            PeerDirectory peers = new PeerDirectory(store, writer, Clock.systemUTC(), 3);
            for (int i = 1; i <= 5; i++) peers.learn(ip("10.0.0." + i), "52:54:00:00:00:0" + i);
            writer.submit(() -> { }).join();
            assertTrue(peers.addressOf("52:54:00:00:00:02").isEmpty());
            assertEquals(ip("10.0.0.5"), peers.addressOf("52:54:00:00:00:05").orElseThrow());
            assertEquals(List.of("52:54:00:00:00:03", "52:54:00:00:00:04", "52:54:00:00:00:05"),
                    store.all().stream().map(PeerAddressRepository.PeerAddress::mac).sorted().toList());
        }
    }
}
