package org.netroot.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.ClientActivity.State;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.testing.TestClock;

/** A client's card state from its boot events, as the bus hands them out: no sockets, a clock the test moves. */
class ClientActivityTrackerTest {
    static final String MAC = "52:54:00:00:00:01";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final TestClock clock = new TestClock(T0);
    private final List<ClientActivity> published = new CopyOnWriteArrayList<>();
    private final PeerDirectory peers = new PeerDirectory();
    private final ClientActivityTracker tracker = new ClientActivityTracker(
            ClientDirectory.of(List.of(Client.sanboot("pc1", MAC, "pc1"))), peers, (type, subject, payload) -> {
                assertEquals(ChangeType.CLIENT_ACTIVITY, type);
                assertEquals("pc1", subject);
                published.add((ClientActivity) payload);
            }, clock);

    @Test
    void aBootGoesFromBootingToOnlineWithItsFirmwareAddressAndDuration() throws Exception {
        assertEquals(State.OFFLINE, tracker.all().get(0).state(), "nothing seen yet");

        dhcp(0, BootEventType.DHCP_DISCOVER, "BIOS");
        peers.learn(InetAddress.getByName("198.18.0.10"), MAC);
        dhcp(1, BootEventType.DHCP_ACK, "BIOS");
        event(3, BootEventType.BOOT_FILE_SENT, "undionly.kpxe");
        dhcp(4, BootEventType.DHCP_DISCOVER, "iPXE");
        event(5, BootEventType.SCRIPT_SERVED, "sanboot");
        event(6, BootEventType.ISCSI_LOGIN, "logged in");
        event(8, BootEventType.ISCSI_FIRST_READ, "reads");

        ClientActivity now = last();
        assertEquals(State.ONLINE, now.state());
        assertEquals("iPXE", now.firmware(), "the latest network-boot request's firmware");
        assertEquals("198.18.0.10", now.ip());
        assertEquals(T0, now.bootStarted(), "the first DHCP request of the boot");
        assertEquals(T0.plusSeconds(8), now.bootFinished(), "the first read");
        assertEquals(List.of(State.BOOTING, State.BOOTING, State.BOOTING, State.ONLINE),
                published.stream().map(ClientActivity::state).toList(),
                "published on each change: BOOTING, the address, iPXE, ONLINE; not on steps that change nothing");
        assertEquals(now, tracker.all().get(0));
    }

    @Test
    void anErrorFailsTheBootInWordsAndTheNextRequestStartsAFreshOne() {
        dhcp(0, BootEventType.DHCP_DISCOVER, "UEFI");
        event(2, BootEventType.ERROR, "CHAP login refused: the secret is wrong");
        assertEquals(State.FAILED, last().state());
        assertEquals("CHAP login refused: the secret is wrong", last().lastError());

        dhcp(30, BootEventType.DHCP_DISCOVER, "UEFI");
        assertEquals(State.BOOTING, last().state());
        assertEquals(T0.plusSeconds(30), last().bootStarted(), "a request after FAILED starts a new boot");
        assertNull(last().lastError());
        assertNull(last().bootFinished());
    }

    @Test
    void aLongQuietSpellStartsANewBootButAStepWithinItDoesNot() {
        dhcp(0, BootEventType.DHCP_DISCOVER, "BIOS");
        dhcp(60, BootEventType.DHCP_REQUEST, "BIOS");
        assertEquals(T0, last().bootStarted());
        dhcp(60 + Duration.ofMinutes(3).toSeconds(), BootEventType.DHCP_DISCOVER, "BIOS");
        assertEquals(T0.plusSeconds(240), tracker.all().get(0).bootStarted(), "more than 2 minutes quiet");
    }

    @Test
    void onlineStaysOnlineWhenTheOsRenewsItsLeaseOrLogsInAgain() {
        dhcp(0, BootEventType.DHCP_DISCOVER, "BIOS");
        event(1, BootEventType.ISCSI_LOGIN, "firmware session");
        event(2, BootEventType.ISCSI_FIRST_READ, "reads");
        event(40, BootEventType.DHCP_REQUEST, "plain DHCP client"); // no network-boot request reported
        event(41, BootEventType.ISCSI_LOGIN, "the OS's initiator");
        event(41, BootEventType.ISCSI_LOGOUT, "old session closed");
        assertEquals(State.ONLINE, tracker.all().get(0).state());
        assertEquals(T0.plusSeconds(2), tracker.all().get(0).bootFinished());

        event(90, BootEventType.ISCSI_LOGOUT, "logged out");
        assertEquals(State.OFFLINE, last().state(), "its last session ended");
    }

    @Test
    void anNbdRootIsOnlineFromItsConnectionOfflineAfterItAndFailedWhenRefused() {
        dhcp(0, BootEventType.DHCP_DISCOVER, "BIOS");
        event(5, BootEventType.NBD_REFUSED, "NBD from 10.0.0.9 refused: volume pc1 is the disk of client pc1, not 10.0.0.9");
        assertEquals(State.FAILED, last().state());
        assertTrue(last().lastError().contains("refused"), last().lastError());
        event(9, BootEventType.NBD_CONNECT, "10.0.0.5 opened volume pc1 of client pc1 over NBD");
        assertEquals(State.ONLINE, last().state(), "the kernel (nbdroot) or initramfs attached its root: the OS runs");
        assertNull(last().lastError());
        assertEquals(T0.plusSeconds(9), last().bootFinished());
        event(60, BootEventType.NBD_DISCONNECT, "closed");
        assertEquals(State.OFFLINE, last().state());
    }

    @Test
    void aBootThatLeavesTheServerIsBootedAndTheOsLeaseRenewalIsNoNewBoot() {
        event(5, BootEventType.HANDED_OVER, "too early: nothing boots");
        assertEquals(State.OFFLINE, tracker.all().get(0).state(), "a hand-over outside a boot changes nothing");
        dhcp(10, BootEventType.DHCP_DISCOVER, "BIOS");
        event(12, BootEventType.SCRIPT_SERVED, "ramdisk");
        event(20, BootEventType.BOOT_FILE_SENT, "http asset root.squashfs");
        event(20, BootEventType.HANDED_OVER, "running from RAM");
        assertEquals(State.BOOTED, last().state());
        assertEquals(T0.plusSeconds(10), last().bootStarted());
        assertEquals(T0.plusSeconds(20), last().bootFinished(), "the boot took until the hand-over");
        event(300, BootEventType.DHCP_REQUEST, "the OS renews its lease"); // no network-boot request reported
        assertEquals(State.BOOTED, tracker.all().get(0).state());
        assertEquals(T0.plusSeconds(10), tracker.all().get(0).bootStarted());
        dhcp(400, BootEventType.DHCP_DISCOVER, "BIOS");
        assertEquals(State.BOOTING, last().state(), "a network-boot request: it boots again");
        assertEquals(T0.plusSeconds(400), last().bootStarted());
    }

    @Test
    void aKernelThatOpensItsVolumeAfterTheHandOverGoesOnlineWithinTheSameBoot() {
        dhcp(0, BootEventType.DHCP_DISCOVER, "iPXE");
        event(3, BootEventType.HANDED_OVER, "kernel started");
        event(9, BootEventType.ISCSI_LOGIN, "the kernel's initiator");
        event(10, BootEventType.ISCSI_FIRST_READ, "reads");
        assertEquals(State.ONLINE, last().state());
        assertEquals(T0, last().bootStarted(), "the same boot");
    }

    @Test
    void eventsOfMachinesThatAreNoClientAreIgnored() {
        clock.set(T0.plusSeconds(0));
        tracker.firmware("52:54:00:00:00:99", "BIOS");
        tracker.accept(new BootEvent(1, T0, "52:54:00:00:00:99", null, BootEventType.DHCP_DISCOVER, "x", null, null));
        tracker.accept(new BootEvent(2, T0, null, null, BootEventType.ERROR, "tftp from nowhere", null, null));
        assertTrue(published.isEmpty());
        assertEquals(1, tracker.all().size());
    }

    private void dhcp(long second, BootEventType type, String firmware) {
        clock.set(T0.plusSeconds(second));
        tracker.firmware(MAC, firmware);
        event(second, type, "request");
    }

    private void event(long second, BootEventType type, String detail) {
        clock.set(T0.plusSeconds(second));
        tracker.accept(new BootEvent(second + 1, T0.plusSeconds(second), MAC, "pc1", type, detail, null, null));
    }

    private ClientActivity last() {
        return published.get(published.size() - 1);
    }
}
