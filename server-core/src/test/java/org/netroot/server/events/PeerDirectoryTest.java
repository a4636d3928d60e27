package org.netroot.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.TestClock;
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

    @Test
    void theLeastRecentlySeenIsEvictedNotTheFirstLearned() throws Exception {
        PeerDirectory peers = new PeerDirectory(null, null, new TestClock(), 3);
        peers.learn(ip("10.0.0.1"), "52:54:00:00:00:01");
        peers.learn(ip("10.0.0.2"), "52:54:00:00:00:02");
        peers.learn(ip("10.0.0.3"), "52:54:00:00:00:03");
        peers.learn(ip("10.0.0.1"), "52:54:00:00:00:01"); // seen again, same address
        peers.learn(ip("10.0.0.4"), "52:54:00:00:00:04");
        assertEquals(ip("10.0.0.1"), peers.addressOf("52:54:00:00:00:01").orElseThrow(), "seen last but one");
        assertTrue(peers.addressOf("52:54:00:00:00:02").isEmpty(), "the least recently seen goes");
    }

    @Test
    void aSightingVouchesForAnHourAndEachSightingRefreshesIt() throws Exception {
        TestClock clock = new TestClock();
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter(db)) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer, clock, 10);
            peers.learn(ip("10.0.0.5"), "52:54:00:00:00:01");
            clock.advance(Duration.ofMinutes(50));
            assertEquals(ip("10.0.0.5"), peers.recentAddressOf("52:54:00:00:00:01").orElseThrow());
            peers.learn(ip("10.0.0.5"), "52:54:00:00:00:01"); // the same machine boots again
            clock.advance(Duration.ofMinutes(50));
            assertEquals(ip("10.0.0.5"), peers.recentAddressOf("52:54:00:00:00:01").orElseThrow(),
                    "seen 50 minutes ago, not 100");
            writer.submit(() -> { }).join();
            assertEquals(clock.instant().minus(Duration.ofMinutes(50)), new PeerAddressRepository(db).all().getFirst().seenAt(),
                    "the store keeps the refreshed sighting, for the next start");
            clock.advance(Duration.ofMinutes(11));
            assertTrue(peers.recentAddressOf("52:54:00:00:00:01").isEmpty(), "an hour without DHCP: stale");
            assertEquals(ip("10.0.0.5"), peers.addressOf("52:54:00:00:00:01").orElseThrow(), "still named in events");
        }
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter(db)) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer, clock, 10);
            assertTrue(peers.recentAddressOf("52:54:00:00:00:01").isEmpty(), "a restart does not make it recent");
        }
    }

    @Test
    void aScriptFetchVouchesForTheSightedAddressOnlyAndTheVouchingSurvivesARestartNotAMove() throws Exception {
        TestClock clock = new TestClock();
        String mac = "52:54:00:00:00:01";
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter(db)) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer, clock, 10);
            peers.learn(ip("10.0.0.5"), mac);
            peers.scriptFetched(ip("10.0.0.6"), mac); // from elsewhere: vouches for nothing
            assertTrue(peers.vouchedAddressOf(mac, Duration.ofHours(1)).isEmpty());
            peers.stillUsedFrom(ip("10.0.0.5"), mac); // use renews a vouching, never starts one
            assertTrue(peers.vouchedAddressOf(mac, Duration.ofHours(1)).isEmpty());
            peers.scriptFetched(ip("10.0.0.5"), mac);
            assertEquals(ip("10.0.0.5"), peers.vouchedAddressOf(mac, Duration.ofHours(1)).orElseThrow());
            clock.advance(Duration.ofMinutes(2));
            peers.learn(ip("10.0.0.5"), mac); // its initramfs does DHCP again, same address: still vouched for
            assertEquals(ip("10.0.0.5"), peers.vouchedAddressOf(mac, Duration.ofHours(1)).orElseThrow());
            writer.submit(() -> { }).join();
        }
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter(db)) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer, clock, 10);
            assertEquals(ip("10.0.0.5"), peers.vouchedAddressOf(mac, Duration.ofHours(1)).orElseThrow(),
                    "a restart drops NBD connections: their clients reconnect");
            peers.learn(ip("10.0.0.66"), mac); // a claim of another address
            assertTrue(peers.vouchedAddressOf(mac, Duration.ofHours(1)).isEmpty());
            writer.submit(() -> { }).join();
        }
        try (Database db = Database.open(data); StoreWriter writer = new StoreWriter(db)) {
            PeerDirectory peers = new PeerDirectory(new PeerAddressRepository(db), writer, clock, 10);
            assertTrue(peers.vouchedAddressOf(mac, Duration.ofHours(1)).isEmpty(), "the move is stored unvouched");
        }
    }
}
