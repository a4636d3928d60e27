package org.netroot.server.events;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.ClientActivity.State;
import org.netroot.server.store.ClientDirectory;

/**
 * What each client is doing now, in memory, from the boot events as the bus hands them out (and the
 * firmware DHCP reports just before): boot steps make it BOOTING, the first read of its volume (or
 * its NBD connection: an nbdroot kernel or initramfs is the booted OS) ONLINE, the end of its last
 * iSCSI session or NBD connection OFFLINE, an error or a refused NBD connection FAILED, a boot
 * that left the server (RAM disk, local disk, a kernel with its root elsewhere) BOOTED. Every change is published as
 * {@link ChangeType#CLIENT_ACTIVITY}. Nothing is stored: after a restart every client is OFFLINE
 * until it is seen again.
 */
public final class ClientActivityTracker implements Consumer<BootEvent>, FirmwareSink {
    /** A boot step after this long without one starts a new boot, whatever the state. */
    static final Duration QUIET = Duration.ofMinutes(2);
    /**
     * While ONLINE, a DHCP event counts as a new boot only when a network-boot request (firmware
     * reported) came this shortly before it: the running OS renewing its lease is no boot.
     */
    static final Duration SAME_REQUEST = Duration.ofSeconds(5);
    /** A flood of made-up MACs must not grow memory without end. */
    private static final int MAX_FIRMWARE = 65_536;

    private record Firmware(String name, Instant at) {
    }

    /** One client's boot as seen so far. */
    private static final class Track {
        State state = State.OFFLINE;
        Instant bootStarted;
        Instant bootFinished;
        Instant lastStep;
        String lastError;
        String firmware;
        String ip;
        Instant at;
        int sessions;
    }

    private final ClientDirectory clients;
    private final PeerDirectory peers;
    private final ChangePublisher changes;
    private final Clock clock;
    private final Map<String, Firmware> firmwareByMac = new ConcurrentHashMap<>();
    private final Map<String, Track> byMac = new HashMap<>();

    public ClientActivityTracker(ClientDirectory clients, PeerDirectory peers, ChangePublisher changes) {
        this(clients, peers, changes, Clock.systemUTC());
    }

    ClientActivityTracker(ClientDirectory clients, PeerDirectory peers, ChangePublisher changes, Clock clock) {
        this.clients = clients;
        this.peers = peers;
        this.changes = changes;
        this.clock = clock;
    }

    @Override
    public void firmware(String mac, String firmware) {
        if (mac == null) return;
        if (firmwareByMac.size() >= MAX_FIRMWARE) firmwareByMac.clear();
        firmwareByMac.put(Client.normalizeMac(mac), new Firmware(firmware, clock.instant()));
    }

    /** One boot event, stored and named (the bus's writer thread). */
    @Override
    public synchronized void accept(BootEvent event) {
        if (event.mac() == null || event.type() == null) return;
        Client client = clients.byMac(event.mac()).orElse(null);
        if (client == null) return;
        Track track = byMac.computeIfAbsent(client.mac(), m -> new Track());
        ClientActivity before = view(client, track);
        apply(track, event);
        track.ip = peers.addressOf(client.mac()).map(InetAddress::getHostAddress).orElse(track.ip);
        ClientActivity after = view(client, track);
        if (!sameApartFromTime(before, after)) changes.publish(ChangeType.CLIENT_ACTIVITY, client.name(), after);
    }

    /** Every client, OFFLINE when nothing was seen of it since the server started. */
    public synchronized List<ClientActivity> all() {
        List<ClientActivity> all = new ArrayList<>();
        for (Client c : clients.all()) all.add(view(c, byMac.getOrDefault(c.mac(), new Track())));
        return all;
    }

    private void apply(Track t, BootEvent e) {
        Instant at = e.at() == null ? clock.instant() : e.at();
        t.at = at;
        switch (e.type()) {
            case DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_ACK, DHCP_NAK, PROXY_OFFER, PROXY_ACK -> {
                Firmware f = bootRequestAt(e.mac(), at);
                if ((t.state == State.ONLINE || t.state == State.BOOTED) && f == null) return;
                if (f != null) t.firmware = f.name();
                bootStep(t, at);
            }
            case TFTP_PROBE, BOOT_FILE_SENT, SCRIPT_SERVED -> bootStep(t, at);
            case ISCSI_LOGIN -> {
                t.sessions++;
                // BOOTED: a kernel that logs in after all (a command line not known to open the volume)
                if (t.state != State.ONLINE && t.state != State.BOOTED) bootStep(t, at);
            }
            case ISCSI_FIRST_READ -> {
                t.state = State.ONLINE;
                t.lastError = null;
                if (t.bootFinished == null) t.bootFinished = at;
            }
            case NBD_CONNECT -> {
                t.sessions++;
                t.state = State.ONLINE;
                t.lastError = null;
                if (t.bootFinished == null) t.bootFinished = at;
            }
            case ISCSI_LOGOUT, NBD_DISCONNECT -> {
                t.sessions = Math.max(0, t.sessions - 1);
                if (t.sessions == 0) t.state = State.OFFLINE;
            }
            case HANDED_OVER -> {
                if (t.state != State.BOOTING) return;
                t.state = State.BOOTED;
                if (t.bootFinished == null) t.bootFinished = at;
            }
            case IGNORED, BOOT_MODE_CHANGED, ISCSI_RESET -> { } // no step of a boot: the machine's state stays what it was
            case ERROR, NBD_REFUSED -> {
                t.state = State.FAILED;
                t.lastError = e.detail();
            }
        }
    }

    /** A step of a boot: the first after OFFLINE, ONLINE, FAILED or a quiet spell starts a new one. */
    private static void bootStep(Track t, Instant at) {
        boolean newBoot = t.state != State.BOOTING || t.lastStep == null
                || Duration.between(t.lastStep, at).compareTo(QUIET) > 0;
        if (newBoot) {
            t.bootStarted = at;
            t.bootFinished = null;
            t.lastError = null;
        }
        t.state = State.BOOTING;
        t.lastStep = at;
    }

    /** The network-boot request DHCP reported for this event, or null (a plain DHCP client: the OS). */
    private Firmware bootRequestAt(String mac, Instant at) {
        Firmware f = firmwareByMac.get(Client.normalizeMac(mac));
        boolean same = f != null && !f.at().isBefore(at.minus(SAME_REQUEST)) && !f.at().isAfter(at.plus(SAME_REQUEST));
        return same ? f : null;
    }

    private ClientActivity view(Client c, Track t) {
        return new ClientActivity(c.name(), c.mac(), t.state, t.firmware, t.ip, t.bootStarted,
                t.bootFinished, t.lastError, t.at == null ? clock.instant() : t.at);
    }

    private static boolean sameApartFromTime(ClientActivity a, ClientActivity b) {
        return a.state() == b.state() && Objects.equals(a.firmware(), b.firmware()) && Objects.equals(a.ip(), b.ip())
                && Objects.equals(a.bootStarted(), b.bootStarted()) && Objects.equals(a.bootFinished(), b.bootFinished())
                && Objects.equals(a.lastError(), b.lastError()) && Objects.equals(a.clientName(), b.clientName());
    }
}
