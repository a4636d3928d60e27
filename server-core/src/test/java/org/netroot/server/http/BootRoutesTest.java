package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Client;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.testing.TestClock;

/** The script decisions, without Netty: who gets a CHAP client's script, and how often a refusal is recorded. */
class BootRoutesTest {
    static final String MAC = "52:54:00:00:00:02";
    @TempDir Path tmp;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();
    final AtomicLong nanos = new AtomicLong();
    final TestClock clock = new TestClock();
    final PeerDirectory peers = new PeerDirectory(clock);
    static final String PLAIN_MAC = "52:54:00:00:00:03";
    final Client chap = new Client("c2", MAC, "v2", null, null, null, "chap-secret-12", null, null, null);
    final Client plain = new Client("p3", PLAIN_MAC, "v3", null, null, null, null, null, null, null);
    /** Who the routes told of a served script ("name from address"): what moves an install along. */
    final List<String> served = new CopyOnWriteArrayList<>();

    BootRoutes routes() {
        return new BootRoutes(new BootPlanner(mac -> mac.equals(MAC) ? Optional.of(chap)
                : mac.equals(PLAIN_MAC) ? Optional.of(plain) : Optional.empty(),
                AssetCatalog.EMPTY, InstallPhases.NONE, 3260), peers, new AssetResolver(tmp), new AssetResolver(tmp),
                events::add, nanos::get).servedTo((c, plan, from, dhcpSawItThere, retry) -> served.add(c.name()
                + " from " + from.getHostAddress() + (dhcpSawItThere ? " (DHCP saw it there)" : "") + (retry ? ", retry" : "")));
    }

    BootRoutes.Answer get(BootRoutes routes, String from) throws Exception {
        return get(routes, "/boot/" + MAC + ".ipxe", from);
    }

    BootRoutes.Answer get(BootRoutes routes, String path, String from) throws Exception {
        return routes.answer("GET", path, null, "http://10.0.0.1", "10.0.0.1", InetAddress.getByName(from));
    }

    @Test
    void aFailedScriptRetriesAtAUrlOfItsOwnWhichTellsNoOneOfABoot() throws Exception {
        peers.learn(InetAddress.getByName("10.0.0.7"), PLAIN_MAC);
        BootRoutes routes = routes();
        BootRoutes.Script first = assertInstanceOf(BootRoutes.Script.class, get(routes, "/boot/" + PLAIN_MAC + ".ipxe",
                "10.0.0.7"));
        assertTrue(first.body().contains("chain --replace http://10.0.0.1/boot/" + PLAIN_MAC + "/retry.ipxe\n"), first.body());
        assertEquals(List.of("p3 from 10.0.0.7 (DHCP saw it there)"), served);
        BootRoutes.Script retry = assertInstanceOf(BootRoutes.Script.class, get(routes, "/boot/" + PLAIN_MAC + "/retry.ipxe",
                "10.0.0.7"));
        assertEquals(first.body(), retry.body(), "the same plan");
        assertEquals(List.of("p3 from 10.0.0.7 (DHCP saw it there)", "p3 from 10.0.0.7 (DHCP saw it there), retry"), served,
                "told as a retry: it may start an install, never move one on (InstallProgressTest)");
        assertTrue(events.getLast().detail().startsWith("retry: "), events.getLast().detail());
    }

    @Test
    void aScriptFetchedFromElsewhereThanDhcpSawTheMacIsServedButMovesNothing() throws Exception {
        peers.learn(InetAddress.getByName("10.0.0.7"), PLAIN_MAC);
        BootRoutes routes = routes();
        assertInstanceOf(BootRoutes.Script.class, get(routes, "/boot/" + PLAIN_MAC + ".ipxe", "10.0.0.66"));
        assertEquals(List.of(), served, "anyone may type a MAC into a URL");
        assertTrue(peers.vouchedAddressOf(PLAIN_MAC, Duration.ofHours(1)).isEmpty(), "nor vouches for a sighting");
        assertInstanceOf(BootRoutes.Script.class, get(routes, "/boot/" + PLAIN_MAC + ".ipxe", "10.0.0.7"));
        assertEquals(List.of("p3 from 10.0.0.7 (DHCP saw it there)"), served);
        assertEquals(InetAddress.getByName("10.0.0.7"), peers.vouchedAddressOf(PLAIN_MAC, Duration.ofHours(1)).orElseThrow(),
                "the machine DHCP saw fetched its script from there: the sighting is vouched for");
    }

    @Test
    void aRetryingRefusedChapClientIsRecordedOnceAMinute() throws Exception {
        BootRoutes routes = routes();
        for (int i = 0; i < 20; i++) {
            assertEquals(403, assertInstanceOf(BootRoutes.Failure.class, get(routes, "10.0.0.66")).status());
            nanos.addAndGet(Duration.ofSeconds(2).toNanos()); // iPXE retries every few seconds
        }
        assertEquals(1, events.size(), "40 s of retries: one timeline entry");
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        get(routes, "10.0.0.66");
        assertEquals(2, events.size(), "a minute later, one more");
        assertTrue(events.getFirst().detail().contains("has not seen"), events.getFirst().detail());
    }

    @Test
    void theScriptGoesOnlyToTheAddressDhcpSawTheMacAt() throws Exception {
        peers.learn(InetAddress.getByName("10.0.0.5"), MAC);
        BootRoutes routes = routes();
        BootRoutes.Script s = assertInstanceOf(BootRoutes.Script.class, get(routes, "10.0.0.5"));
        assertTrue(s.body().contains("chap-secret-12"));
        assertEquals(403, assertInstanceOf(BootRoutes.Failure.class, get(routes, "10.0.0.6")).status());
    }

    @Test
    void aSightingMoreThanAnHourOldNoLongerVouches() throws Exception {
        peers.learn(InetAddress.getByName("10.0.0.5"), MAC);
        clock.advance(Duration.ofMinutes(61)); // the address may be another machine's by now
        assertEquals(403, assertInstanceOf(BootRoutes.Failure.class, get(routes(), "10.0.0.5")).status());
        assertTrue(events.getLast().detail().contains("more than 60 minutes ago"), events.getLast().detail());
        peers.learn(InetAddress.getByName("10.0.0.5"), MAC); // it boots again: DHCP first
        assertInstanceOf(BootRoutes.Script.class, get(routes(), "10.0.0.5"));
    }

    @Test
    void onlyAFreshSightingTheLinkAgreesWithMayMoveAnInstallToItsAddress() throws Exception {
        peers.checkingLinksWith(a -> a.getHostAddress().equals("10.0.0.66") ? java.util.Set.of("02:00:00:00:00:66")
                : java.util.Set.of());
        BootRoutes routes = routes();
        peers.learn(InetAddress.getByName("10.0.0.66"), PLAIN_MAC); // a forged claim: p3's MAC, the forger's address
        get(routes, "/boot/" + PLAIN_MAC + ".ipxe", "10.0.0.66");
        assertEquals(List.of(), served, "the link layer shows another machine there: nothing may move");
        peers.learn(InetAddress.getByName("10.0.0.7"), PLAIN_MAC);
        clock.advance(BootRoutes.INSTALL_REPIN_WITHIN.plusSeconds(1));
        get(routes, "/boot/" + PLAIN_MAC + ".ipxe", "10.0.0.7");
        assertEquals(List.of("p3 from 10.0.0.7"), served, "from where DHCP saw it, but not just now: it may not re-pin");
        peers.learn(InetAddress.getByName("10.0.0.7"), PLAIN_MAC);
        get(routes, "/boot/" + PLAIN_MAC + ".ipxe", "10.0.0.7");
        assertEquals("p3 from 10.0.0.7 (DHCP saw it there)", served.getLast());
    }

    @Test
    void aForgedDhcpClaimGetsNoSecretsWhenTheLinkShowsAnotherMachineThere() throws Exception {
        // the forger broadcast a REQUEST with the CHAP client's MAC and its own address; its frames carry its own MAC
        peers.checkingLinksWith(a -> a.getHostAddress().equals("10.0.0.66") ? java.util.Set.of("02:00:00:00:00:66")
                : a.getHostAddress().equals("10.0.0.5") ? java.util.Set.of(MAC) : java.util.Set.of());
        peers.learn(InetAddress.getByName("10.0.0.66"), MAC);
        BootRoutes.Failure refused = assertInstanceOf(BootRoutes.Failure.class, get(routes(), "10.0.0.66"));
        assertEquals(403, refused.status());
        assertTrue(events.getLast().detail().contains("the network shows another machine (02:00:00:00:00:66) at 10.0.0.66"),
                events.getLast().detail());
        assertTrue(peers.vouchedAddressOf(MAC, Duration.ofHours(1)).isEmpty(), "nor is the forged sighting vouched for");
        peers.learn(InetAddress.getByName("10.0.0.5"), MAC); // the real client: its own frames from its address
        assertTrue(assertInstanceOf(BootRoutes.Script.class, get(routes(), "10.0.0.5")).body().contains("chap-secret-12"));
    }
}
